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

import dataclasses
import hashlib
import hmac
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
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
    # Upload a OneRoster export: a principal for their school, district staff
    # for the district.
    "import_roster": LEADERS | DISTRICT_STAFF,
    # Download everything of the school as a .zip (read as the downloader).
    "export_school_data": LEADERS,
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


# --- Evidence disclosure: the one rule for every output of evidence ----------


@dataclass(frozen=True)
class EvidenceDisclosure:
    """Which facts about one evidence entry a reader may be shown.

    Product principle 2: evidence from a host's classroom never reaches an
    evaluator (principal, district) attributed to that host, by name nor by
    anything that points to one host. Hiding the name is not enough, because
    the cycle's plan (its visits: host, start time, minutes, observers, in
    order) is known to a planner (they made it) and is given by the cycle API
    and pages. So for an evaluator reading someone else's entry in someone
    else's room, an output withholds every fact that could be joined with the
    plan:

    - host: the name itself.
    - visit: the visit id is the plan's key for the host.
    - ids: an entry's id grows with time, so ids give the order of writing
      and, with the plan's visit order, the room; a client id is an
      identifier no reader needs (it is for the sender's offline queue).
    - time_of_day: a time (or a date when the cycle's visits span days) falls
      inside one visit of the plan. We drop noted_at entirely.
    - observer: in a swap day, a lab or a micro-observation each observer
      visits one host, so the observer's name names the host; we withhold
      every other observer's name from evaluators, whatever the cycle type,
      rather than reason per type.
    - chronological: a list in order of writing lines up with the plan's
      visit order. Lists an evaluator reads are ordered by look-for and then
      by a stable keyed hash (evidence_shuffle_key), never by time or id.

    The plan itself stays whole for planners (planning needs hosts, times and
    observers, and the plan is not evidence); what makes the pair safe is that
    no evidence output an evaluator gets carries any of the keys above, so
    there is nothing to join the two on. The threshold rule (no evaluator
    reads others' evidence of a cycle in fewer classrooms than the school's
    privacy threshold) stays in the observations selectors: fewer rooms than
    that point at the host by themselves.

    A principal still reads everything written in a room they hosted, and
    their own entries as an observer (their time, their name; not the host's
    name nor the visit: the record does not attribute even to them). Non-evaluators (the
    cycle's group, coaches and mentors in it, hosts) see all but the host's
    name where the cycle type hides hosts (rounds, walks: `host` false); the
    time and observer are colleagues' shared knowledge of a visit they took
    part in.
    """

    host: bool
    visit: bool
    ids: bool
    time_of_day: bool
    observer: bool
    chronological: bool

    @property
    def attributed(self) -> bool:
        """Whether anything here may point to the room (an evaluator gets none)."""
        return self.visit or self.time_of_day or self.observer or self.ids


EVIDENCE_FULL = EvidenceDisclosure(
    host=True, visit=True, ids=True, time_of_day=True, observer=True, chronological=True
)
EVIDENCE_UNATTRIBUTED = EvidenceDisclosure(
    host=False,
    visit=False,
    ids=False,
    time_of_day=False,
    observer=False,
    chronological=False,
)

# Colleagues in a cycle whose type hides hosts (rounds, walks): all but the name.
EVIDENCE_NAMELESS = dataclasses.replace(EVIDENCE_FULL, host=False)
# An evaluator's own entry as an observer: neither the host nor the visit.
EVIDENCE_OWN_ENTRY = dataclasses.replace(EVIDENCE_NAMELESS, visit=False)


def evidence_disclosure(
    *,
    role: str | None,
    reader_id: int | None,
    observer_id: int | None = None,
    host_id: int | None = None,
    type_hides_hosts: bool = False,
) -> EvidenceDisclosure:
    """What a reader in `role` may see of one entry (see EvidenceDisclosure).

    Without observer_id and host_id it answers for entries of others in
    others' rooms: the rule for a list as a whole (its order, its columns).
    An unknown role is treated as an evaluator: the rule fails closed.
    """
    is_host = reader_id is not None and reader_id == host_id
    is_observer = reader_id is not None and reader_id == observer_id
    if role in EVALUATORS or role is None:
        if is_host:
            return EVIDENCE_FULL
        # Their own entry: they were in the room, but the name stays out of
        # what they read (it is theirs to remember, not the record's to show).
        return EVIDENCE_OWN_ENTRY if is_observer else EVIDENCE_UNATTRIBUTED
    if type_hides_hosts and not is_host:
        return EVIDENCE_NAMELESS
    return EVIDENCE_FULL


def evidence_list_in_order(*, role: str | None) -> bool:
    """Whether a list of a cycle's evidence this role reads may be chronological."""
    return evidence_disclosure(role=role, reader_id=None).chronological


def evidence_shuffle_key(pk: int) -> str:
    """A stable order that says nothing about when an entry was written.

    Keyed with the secret key, so the order cannot be recomputed from ids
    (which an evaluator never gets anyway) and is the same on every page.
    """
    message = f"evidence-order:{pk}".encode()
    return hmac.new(_order_key(), message, hashlib.sha256).hexdigest()


def _order_key() -> bytes:
    return settings.SECRET_KEY.encode()
