from jel.registry import nav_links_for


def current_school(request):
    membership = getattr(request, "membership", None)
    return {
        "current_school": getattr(request, "school", None),
        "current_membership": membership,
        "memberships": getattr(request, "memberships", []),
        "nav_links": nav_links_for(membership),
    }
