"""Who may do what: the one home of role rules, for pages, the API and templates.

Tenancy (another school's record answers 404) comes from django-scopes. On top
of it, two kinds of rule, as the README's access section says:
- an **ability** is what a role may do at all ("plan_cycles"); a wrong role
  gets 403. Every ability is named in ABILITIES below, with the roles that
  hold it, so "who may do X?" has one answer here.
- an **object rule** is whether this member is related to this object (in the
  cycle, the booking, a reader of the reflection). It lives with the object's
  app in its selectors (the privacy rules), and an unrelated member gets 404.

Why not django-rules: a user holds different roles in different schools and the
current one is chosen per request (request.membership); rules' predicates see
only (user, obj). A dict and three small adapters say it more plainly.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from rest_framework.permissions import BasePermission

from jel.models import Role

# Role sets. Name these (or better, an ability) rather than spelling out roles.
LEADERS = frozenset({Role.PRINCIPAL})
COACHES = frozenset({Role.COACH, Role.MENTOR})
FACILITATORS = LEADERS | COACHES
EVALUATORS = frozenset({Role.PRINCIPAL, Role.DISTRICT})
SCHOOL_STAFF = FACILITATORS | {Role.TEACHER}
DISTRICT_STAFF = frozenset({Role.DISTRICT})
ALL_ROLES = frozenset(Role)

ABILITIES: dict[str, frozenset] = {
    # Plan and run cycles of the five types, and book their visits and cover.
    "plan_cycles": FACILITATORS,
    # Book a visit or meeting in the visit planner and arrange its cover.
    "plan_visits": FACILITATORS,
    # Edit the master schedule: day types, school days, windows, teams.
    "edit_schedule": LEADERS,
    # How many classes each colleague covered this year (fairness, union caps).
    "view_coverage_counts": LEADERS,
    # School-wide settings: reminder times, cycle settings (caps, thresholds).
    "change_school_settings": LEADERS,
    # The school's learning dashboards (patterns across classrooms, never a rating).
    "view_dashboards": FACILITATORS,
    # One teacher's own ESSA learning page: coaches and mentors, never evaluators.
    "view_teacher_learning": COACHES,
    # The district's comparison of schools, in aggregate.
    "view_district": DISTRICT_STAFF,
    # Anything any member of the school may do (their own week, notices...).
    "use_school": ALL_ROLES,
}


def _role_of(membership_or_request):
    membership = getattr(membership_or_request, "membership", membership_or_request)
    return getattr(membership, "role", None)


def can(membership_or_request, ability: str) -> bool:
    """Whether the member (or the request's current member) has the ability."""
    try:
        roles = ABILITIES[ability]
    except KeyError:
        raise ValueError(f"unknown ability {ability!r}: add it to ABILITIES") from None
    return _role_of(membership_or_request) in roles


def _guard(view, allowed):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if request.membership is None:
            return redirect("no_school")
        if request.membership.role not in allowed:
            raise PermissionDenied("Your role in this school cannot open this page.")
        return view(request, *args, **kwargs)

    wrapped.allowed_roles = allowed
    return wrapped


def ability_required(ability: str):
    """Decorate a view: signed in, with a current school, holding the ability."""
    if ability not in ABILITIES:
        raise ValueError(f"unknown ability {ability!r}: add it to ABILITIES")

    def decorator(view):
        wrapped = _guard(view, ABILITIES[ability])
        wrapped.ability = ability
        return wrapped

    return decorator


def role_required(*role_sets):
    """Decorate a view: signed in, with a current school, in one of the roles.

    With no argument: any member of the school. Prefer ability_required.
    """
    allowed = frozenset().union(*role_sets) if role_sets else ALL_ROLES

    def decorator(view):
        return _guard(view, allowed)

    return decorator


class HasCurrentSchool(BasePermission):
    message = "You are not a member of any school."

    def has_permission(self, request, view):
        return getattr(request._request, "membership", None) is not None


class HasAbility(BasePermission):
    """DRF: the user's role here holds the view's `ability` (default: any member)."""

    message = "Your role in this school cannot use this endpoint."

    def has_permission(self, request, view):
        membership = getattr(request._request, "membership", None)
        if membership is None:
            return False
        ability = getattr(view, "ability", None)
        if ability is None:
            return membership.role in getattr(view, "allowed_roles", ALL_ROLES)
        return can(membership, ability)
