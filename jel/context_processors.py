from jel.registry import nav_links_for
from jel.selectors import unread_count


def current_school(request):
    membership = getattr(request, "membership", None)
    return {
        "current_school": getattr(request, "school", None),
        "current_membership": membership,
        "memberships": getattr(request, "memberships", []),
        "nav_links": nav_links_for(membership),
        "unread_notifications": unread_count(user=request.user) if membership else 0,
    }
