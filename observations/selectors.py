"""Reads for observations, evidence, reflections and goals; privacy rules live here.

Evidence is visible to its author, the host of the room it was written in, the
cycle's facilitator and the cycle's participants. For anyone in an evaluator
role (principal, district) it is never attributed to the host: their views get
rows without the host and group evidence by look-for.
"""

import datetime
from collections import OrderedDict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from cycles.models import Cycle, CycleParticipant, Debrief, LookFor, Visit
from cycles.selectors import can_read_cycle_evidence, cycles_visible_to
from jel.models import Membership
from jel.permissions import (
    COACHES,
    EVALUATORS,
    LEADERS,
    evidence_disclosure,
    evidence_list_in_order,
    evidence_shuffle_key,
)
from observations.models import (
    Evidence,
    Goal,
    Observation,
    Reflection,
    SchoolExport,
)

# --- Reflections ---------------------------------------------------------------


def _cycle_group_q(user, prefix="cycle__") -> Q:
    return Q(**{f"{prefix}facilitator": user}) | Q(
        **{f"{prefix}memberships__user": user}
    )


def reflection_can_read(*, reflection: Reflection, user, role: str) -> bool:
    """The author always; others only when the author shared it with them."""
    if reflection.author_id == user.pk:
        return True
    visibility = reflection.visibility
    if visibility == Reflection.Visibility.COACHES:
        return role in COACHES
    if visibility == Reflection.Visibility.CYCLE_GROUP and reflection.cycle_id:
        return Cycle.objects.filter(
            _cycle_group_q(user, prefix=""), pk=reflection.cycle_id
        ).exists()
    return False


def reflections_for(*, user, role: str) -> QuerySet[Reflection]:
    """Reflections the user wrote or that colleagues shared with them."""
    shared = Q(visibility=Reflection.Visibility.CYCLE_GROUP) & _cycle_group_q(user)
    if role in COACHES:
        shared |= Q(visibility=Reflection.Visibility.COACHES)
    ids = Reflection.objects.filter(Q(author=user) | shared).values("pk")
    return (
        Reflection.objects.filter(pk__in=ids)
        .select_related("author", "cycle", "visit")
        .annotate(reply_count=Count("replies"))
        .order_by("-created_at")
    )


# --- Goals -----------------------------------------------------------------------


def goals_for(*, user) -> QuerySet[Goal]:
    """The user's own goals with their check-ins; goals are nobody else's business."""
    return (
        Goal.objects.filter(owner=user)
        .select_related("cycle")
        .prefetch_related("check_ins")
        .order_by("follow_up_on", "-created_at")
    )


def goals_due_for_follow_up(*, user, today: datetime.date | None = None):
    """The user's goals whose follow-up day is today or already past."""
    today = today or timezone.localdate()
    return Goal.objects.filter(owner=user, follow_up_on__lte=today).order_by(
        "follow_up_on"
    )


# --- Visits ----------------------------------------------------------------------


def visits_for_person(*, user, start: datetime.date, end: datetime.date):
    """Visits the user hosts or observes between start and end (inclusive)."""
    return (
        Visit.objects.filter(Q(host=user) | Q(observers=user))
        .filter(date__gte=start, date__lte=end)
        .exclude(cycle__status=Cycle.Status.CANCELLED)
        .select_related("cycle", "cycle__problem_of_practice", "host", "room")
        .annotate(
            is_observer=Exists(
                Visit.observers.through.objects.filter(
                    visit_id=OuterRef("pk"), user_id=user.pk
                )
            )
        )
        .distinct()
        .order_by("date", "starts_at", "pk")
    )


def visits_to_capture(*, user, start: datetime.date, end: datetime.date):
    """Visits between start and end the user records evidence for (observers
    and the cycle's facilitator, as can_capture says; never just the host)."""
    return (
        Visit.objects.filter(Q(observers=user) | Q(cycle__facilitator=user))
        .filter(date__gte=start, date__lte=end)
        .exclude(cycle__status=Cycle.Status.CANCELLED)
        .distinct()
        .order_by("date", "starts_at", "pk")
    )


def bookings_of_visits_for_person(*, user, bookings) -> QuerySet:
    """Of these bookings, the pks of those that are visits the user hosts or
    observes (the home visits panel lists them)."""
    return (
        Visit.objects.filter(booking__in=bookings)
        .filter(Q(host=user) | Q(observers=user))
        .exclude(cycle__status=Cycle.Status.CANCELLED)
        .values_list("booking_id", flat=True)
    )


def visit_of(*, user, pk: int) -> Visit | None:
    """A visit the user hosted or observed, by id, or None."""
    return (
        Visit.objects.filter(Q(host=user) | Q(observers=user), pk=pk)
        .select_related("cycle")
        .first()
    )


def visit_for_viewer(*, membership, pk: int) -> Visit | None:
    """A visit of a cycle this person may see, else None (the view answers 404)."""
    cycle_ids = cycles_visible_to(membership=membership).values("pk")
    return (
        Visit.objects.filter(pk=pk, cycle_id__in=cycle_ids)
        .select_related("cycle", "cycle__problem_of_practice", "host")
        .first()
    )


def can_capture(*, visit: Visit, user) -> bool:
    """Observers of the visit and the cycle's facilitator may record evidence."""
    if visit.cycle.facilitator_id == user.pk:
        return True
    return visit.observers.filter(pk=user.pk).exists()


def visit_started_q(*, now: datetime.datetime | None = None, prefix: str = "") -> Q:
    """Visits that have started: their start time has come (or, without a time,
    their day). Evidence is recorded, and counted, only for these."""
    now = now or timezone.now()
    return Q(**{f"{prefix}starts_at__lte": now}) | Q(
        **{f"{prefix}starts_at": None, f"{prefix}date__lte": timezone.localdate(now)}
    )


def visit_has_started(*, visit: Visit, now: datetime.datetime | None = None) -> bool:
    """Whether the visit's start time (or, without a time, its day) has come."""
    now = now or timezone.now()
    if visit.starts_at is not None:
        return visit.starts_at <= now
    return visit.date <= timezone.localdate(now)


def visit_opens_at(*, visit: Visit) -> datetime.datetime:
    """When evidence may first be recorded: the start time, or the day's start."""
    if visit.starts_at is not None:
        return visit.starts_at
    return timezone.make_aware(datetime.datetime.combine(visit.date, datetime.time.min))


def visit_not_started_message(*, visit: Visit) -> str:
    """What the observer reads before the visit starts: when to come back."""
    day = f"{visit.date:%A} {visit.date.day} {visit.date:%B}"
    if visit.starts_at is None:
        return f"This visit is on {day}; come back then."
    at = timezone.localtime(visit.starts_at)
    return f"This visit starts at {at:%H:%M} on {day}; come back then."


def visit_debriefs(*, visit: Visit) -> tuple[Debrief | None, Debrief | None]:
    """(held, next): the held debrief that closes this visit's evidence, and the
    debrief still to come after it; one query.

    A debrief of this visit (micro-observations), or one of its cycle held
    after the visit started, closes it: once the group has talked about the
    evidence, its entries stay as they were.
    """
    since = visit.starts_at or timezone.make_aware(
        datetime.datetime.combine(visit.date, datetime.time.min)
    )
    debriefs = list(
        Debrief.objects.filter(cycle_id=visit.cycle_id)
        .filter(Q(visit=visit) | Q(visit=None))
        .order_by("due_at", "pk")
    )
    held = [
        d
        for d in debriefs
        if d.held_at is not None and (d.visit_id == visit.pk or d.held_at >= since)
    ]
    if held:
        return min(held, key=lambda d: d.held_at), None
    to_come = [d for d in debriefs if d.held_at is None]
    own = [d for d in to_come if d.visit_id == visit.pk]
    return None, (own or to_come or [None])[0]


def visit_debrief_held(*, visit: Visit) -> Debrief | None:
    """The held debrief that closes this visit's evidence, or None."""
    return visit_debriefs(visit=visit)[0]


def look_fors_for_cycle(*, cycle: Cycle) -> list[LookFor]:
    """The cycle's look-fors in the order the data tool shows them."""
    return [
        link.look_for
        for link in cycle.look_for_links.select_related("look_for").order_by(
            "position", "pk"
        )
        if link.look_for.archived_at is None
    ]


def cycles_of(*, user) -> QuerySet[Cycle]:
    """Cycles the user facilitated, joined, hosted or observed in; newest first."""
    return (
        Cycle.objects.filter(
            Q(facilitator=user)
            | Q(memberships__user=user)
            | Q(visits__host=user)
            | Q(visits__observers=user)
        )
        .exclude(status=Cycle.Status.CANCELLED)
        .distinct()
        .order_by("-starts_on", "-created_at")
    )


def observation_for(*, visit: Visit, user) -> Observation | None:
    return Observation.objects.filter(visit=visit, observer=user).first()


# --- Evidence --------------------------------------------------------------------

# Who reads a cycle's evidence is one rule for every page (the evidence pages,
# the debrief): cycles.selectors.can_read_cycle_evidence.
can_see_cycle_evidence = can_read_cycle_evidence


def host_is_attributed(*, role: str) -> bool:
    """Whether a viewer in this role may see whose room evidence came from."""
    return role not in EVALUATORS


def cycle_classrooms(*, cycle: Cycle) -> int:
    """How many different classrooms (hosts) a cycle visits."""
    return Visit.objects.filter(cycle=cycle).values("host_id").distinct().count()


def too_few_classrooms_for(*, cycle: Cycle, role: str) -> bool:
    """For an evaluator, evidence of a cycle in fewer classrooms than the school's
    privacy threshold would point at the host even with the name removed."""
    if host_is_attributed(role=role):
        return False
    return cycle_classrooms(cycle=cycle) < cycle.school.privacy_threshold


def _small_cycle_ids():
    return (
        Cycle.objects.annotate(classrooms=Count("visits__host", distinct=True))
        .filter(classrooms__lt=F("school__privacy_threshold"))
        .values("pk")
    )


def evidence_visible_to(*, user, role: str) -> QuerySet[Evidence]:
    """Evidence the user may read: their own, their room's, their cycles' (and,
    for a principal, every cycle's: cycles.selectors.can_read_cycle_evidence).

    Evaluators do not read others' evidence from cycles in fewer classrooms
    than the privacy threshold (see too_few_classrooms_for), except from their
    own room.
    """
    cycle_ids = CycleParticipant.objects.filter(user=user).values("cycle_id")
    visible = (
        Q(observation__observer=user)
        | Q(observation__visit__host=user)
        | Q(observation__visit__cycle__facilitator=user)
        | Q(observation__visit__cycle_id__in=cycle_ids)
    )
    if role in LEADERS:
        # The evidence pages' rule (can_read_cycle_evidence): a principal reads
        # every cycle's evidence, unattributed, as the pages show it.
        visible |= Q(observation__visit__cycle__isnull=False)
    evidence = Evidence.objects.filter(visible)
    if not host_is_attributed(role=role):
        # A principal who hosted still reads everything written in their room.
        evidence = evidence.exclude(
            Q(observation__visit__cycle_id__in=_small_cycle_ids())
            & ~Q(observation__observer=user)
            & ~Q(observation__visit__host=user)
        )
    return evidence.select_related(
        "look_for",
        "observation__observer",
        "observation__visit__host",
        "observation__visit__cycle",
    ).order_by("-noted_at", "pk")


def evidence_rows(*, evidence, role: str, reader) -> list[dict]:
    """Evidence as rows for pages, exports and the API, each row holding only
    what jel.permissions.evidence_disclosure lets this reader see of it.

    For an evaluator the rows come in look-for order, then a keyed shuffle:
    never in the order they were written (see EvidenceDisclosure).
    """
    reader_id = getattr(reader, "pk", None)
    rows = []
    for entry in evidence_in_reading_order(evidence=evidence, role=role):
        visit = entry.observation.visit
        shown = evidence_disclosure(
            role=role,
            reader_id=reader_id,
            observer_id=entry.observation.observer_id,
            host_id=visit.host_id,
        )
        row = {
            "cycle": visit.cycle_id,
            "cycle_title": visit.cycle.title,
            "look_for": entry.look_for_id,
            "look_for_text": entry.look_for.text if entry.look_for else "",
            "student_focus": entry.student_focus,
            "is_tally": entry.is_tally,
            "text": entry.text,
            "what": entry.what,
            "so_what": entry.so_what,
            "now_what": entry.now_what,
            "bright_spot": entry.bright_spot,
        }
        if shown.ids:
            row["id"] = entry.pk
            row["client_id"] = entry.client_id
        if shown.time_of_day:
            row["noted_at"] = entry.noted_at
        if shown.observer:
            row["observer"] = entry.observation.observer.full_name
        if shown.visit:
            row["visit"] = visit.pk
        if shown.host:
            row["host"] = visit.host.full_name
        rows.append(row)
    return rows


def evidence_in_reading_order(*, evidence, role: str):
    """The entries in the order this role may read them: newest first for the
    cycle's colleagues; for an evaluator by cycle, look-for, then keyed shuffle."""
    if evidence_list_in_order(role=role):
        return evidence
    return sorted(
        evidence,
        key=lambda entry: (
            entry.observation.visit.cycle_id,
            entry.look_for_id or 0,
            evidence_shuffle_key(entry.pk),
        ),
    )


def evidence_for_reader(*, user, role: str, pk: int) -> Evidence | None:
    """One entry this person may read, else None (the view answers 404)."""
    return evidence_visible_to(user=user, role=role).filter(pk=pk).first()


@dataclass
class LookForGroup:
    """Evidence about one look-for, across classrooms, with hosts removed."""

    look_for: LookFor | None
    tally: int = 0
    entries: list = field(default_factory=list)
    classrooms: set = field(default_factory=set)

    @property
    def label(self) -> str:
        return self.look_for.text if self.look_for else "Not tied to a look-for"


def debrief_evidence(
    *, cycle: Cycle, role: str | None, only_observer=None
) -> list[LookForGroup]:
    """A cycle's evidence grouped by look-for; never says whose room it was.

    Within a group, entries are in the order they were written for the cycle's
    colleagues and in a keyed shuffle for an evaluator (jel.permissions
    EvidenceDisclosure.chronological). only_observer limits it to one
    observer's own entries (an evaluator in a cycle with too few classrooms to
    hide the host).
    """
    groups: OrderedDict = OrderedDict()
    for look_for in look_fors_for_cycle(cycle=cycle):
        groups[look_for.pk] = LookForGroup(look_for=look_for)
    evidence = Evidence.objects.filter(observation__visit__cycle=cycle)
    if only_observer is not None:
        evidence = evidence.filter(observation__observer=only_observer)
    evidence = list(
        evidence.select_related("look_for", "observation").order_by("noted_at", "pk")
    )
    if not evidence_list_in_order(role=role):
        evidence.sort(key=lambda entry: evidence_shuffle_key(entry.pk))
    for entry in evidence:
        key = entry.look_for_id
        if key not in groups:
            groups[key] = LookForGroup(look_for=entry.look_for)
        group = groups[key]
        group.classrooms.add(entry.observation.visit_id)
        if entry.is_tally and not entry.text:
            group.tally += 1
            continue
        if entry.is_tally:
            group.tally += 1
        group.entries.append(entry)
    # Unlinked evidence last: the look-fors are what the group came to see.
    ordered = [g for k, g in groups.items() if k is not None]
    if None in groups:
        ordered.append(groups[None])
    return ordered


def evidence_from_my_room(*, user) -> QuerySet[Evidence]:
    """Everything written in the user's classroom, newest first (hosts see all)."""
    return (
        Evidence.objects.filter(observation__visit__host=user)
        .exclude(text="", what="", is_tally=True)
        .select_related("look_for", "observation__visit__cycle")
        .order_by("-noted_at", "pk")
    )


def bright_spots_wall() -> QuerySet[Evidence]:
    """The school's wall: bright spots whose hosts agreed to share them."""
    return (
        Evidence.objects.filter(bright_spot=True, host_agreed_to_wall_at__isnull=False)
        .select_related("look_for")
        .order_by("-host_agreed_to_wall_at")
    )


def new_bright_spots_for_host(*, user):
    """Bright spots from the user's room they have not read yet."""
    return Evidence.objects.filter(
        observation__visit__host=user, bright_spot=True, host_thanked_at=None
    )


def observation_evidence(*, observation: Observation):
    return observation.evidence.select_related("look_for").order_by("noted_at", "pk")


def _role_of(viewer, school) -> str | None:
    """The viewer's role: viewer may be a Membership or a User."""
    if hasattr(viewer, "role"):
        return viewer.role
    membership = Membership.objects.filter(user=viewer, school=school).first()
    return membership.role if membership else None


def debrief_evidence_groups(*, cycle: Cycle, viewer, hide_hosts: bool) -> list[dict]:
    """The provider for cycles' debrief page: groups by look-for, as dicts.

    Each entry carries only what jel.permissions.evidence_disclosure lets the
    viewer see: no host where the cycle type hides hosts, and for anyone in
    an evaluator role no host, no time and a shuffled order.
    """
    role = _role_of(viewer, cycle.school)
    viewer_user = getattr(viewer, "user", viewer)
    only_observer = None
    if role is None or too_few_classrooms_for(cycle=cycle, role=role):
        only_observer = viewer_user
    visits = {
        visit.pk: visit
        for visit in Visit.objects.filter(cycle=cycle).select_related("host")
    }
    groups = []
    for group in debrief_evidence(cycle=cycle, role=role, only_observer=only_observer):
        entries = []
        for entry in group.entries:
            visit = visits.get(entry.observation.visit_id)
            shown = evidence_disclosure(
                role=role,
                reader_id=viewer_user.pk,
                observer_id=entry.observation.observer_id,
                host_id=visit.host_id if visit else None,
                type_hides_hosts=hide_hosts,
            )
            entries.append(
                {
                    "text": entry.text
                    or " / ".join(
                        part
                        for part in (entry.what, entry.so_what, entry.now_what)
                        if part
                    ),
                    "students": entry.get_student_focus_display()
                    if entry.student_focus
                    else "",
                    "host": visit.host.full_name
                    if shown.host and visit and visit.host_id
                    else None,
                    "at": entry.noted_at if shown.time_of_day else None,
                }
            )
        if group.tally:
            entries.append(
                {
                    "text": f"Tallied {group.tally} time(s)",
                    "students": "",
                    "host": None,
                    "at": None,
                }
            )
        groups.append(
            {
                "look_for": group.look_for,
                "label": group.label,
                "entries": entries,
                # The page says why the others' entries are not shown.
                "own_only": only_observer is not None,
            }
        )
    return groups


# --- School exports --------------------------------------------------------------


def school_exports_for(*, user, limit: int = 20) -> QuerySet[SchoolExport]:
    """The exports this person asked for here, newest first: only theirs, since
    each was read with their visibility rules."""
    return SchoolExport.objects.filter(requested_by=user).order_by(
        "-created_at", "-pk"
    )[:limit]


def school_export_of(*, user, pk: int) -> SchoolExport | None:
    """One of this person's exports here, else None (the view answers 404)."""
    return SchoolExport.objects.filter(requested_by=user, pk=pk).first()
