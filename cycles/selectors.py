"""Reads for cycles: who may see which cycle, suggestions for planners, home panel."""

import datetime as dt
from collections import Counter

from django.db.models import Count, Min, Prefetch, Q
from django.utils import timezone

from cycles import rules
from cycles.filters import CycleFilter
from cycles.kinds import Layout, kinds_where, spec_for
from cycles.models import (
    Cycle,
    CycleLookFor,
    CycleParticipant,
    CycleSettings,
    CycleTransition,
    Debrief,
    LookFor,
    ProblemOfPractice,
    Visit,
)
from jel.models import Membership, Role, StaffProfile, User
from jel.permissions import LEADERS, can
from scheduling import calendar
from scheduling import selectors as schedule
from scheduling.models import Period

Status = Cycle.Status
# Types by what their spec says (cycles.kinds), for the queries below.
PAIRED = kinds_where(lambda spec: spec.layout == Layout.PAIRS)
CAPPED = kinds_where(lambda spec: spec.hosts.yearly_cap)
ROTATIONS = kinds_where(lambda spec: spec.swap_rotation_target)


def can_plan(membership) -> bool:
    """Whether this member may plan cycles (and so sees every cycle here)."""
    return membership is not None and can(membership, "plan_cycles")


def cycle_settings_of(*, school) -> CycleSettings:
    """The school's cycle settings; the defaults (unsaved) if it has none yet."""
    found = CycleSettings.objects.filter(school=school).first()
    return found if found is not None else CycleSettings(school=school)


def _visible_filter(user):
    return (
        Q(memberships__user=user)
        | Q(visits__host=user)
        | Q(visits__observers=user)
        | Q(facilitator=user)
    )


def cycles_visible_to(*, membership):
    """Planners see every cycle of the school; anyone else only cycles they are in."""
    cycles = Cycle.objects.filter(school=membership.school)
    if not can_plan(membership):
        # By id: the membership's user is not loaded, and needs no query here.
        ids = cycles.filter(_visible_filter(membership.user_id)).values("pk")
        cycles = cycles.filter(pk__in=ids)
    return cycles


def can_read_cycle_evidence(*, cycle: Cycle, user, role: str) -> bool:
    """Facilitator, participants, the cycle's hosts and observers, and principals.

    The one rule for every page that shows a cycle's evidence (its evidence
    pages and CSV, its debrief): a coach or mentor outside the cycle may plan
    it but does not read what was written in its classrooms.
    """
    if role in LEADERS or cycle.facilitator_id == user.pk:
        return True
    if CycleParticipant.objects.filter(cycle=cycle, user=user).exists():
        return True
    return Visit.objects.filter(Q(host=user) | Q(observers=user), cycle=cycle).exists()


def cycle_list(*, membership, filters=None):
    """The cycles a person may see, with what the list page shows, newest first.

    filters: the query's type and status (cycles.filters.CycleFilter).
    """
    visible = cycles_visible_to(membership=membership)
    return (
        CycleFilter(filters, queryset=visible)
        .qs.select_related("facilitator", "problem_of_practice")
        .annotate(
            visit_count=Count("visits", distinct=True),
            people_count=Count("memberships", distinct=True),
        )
        # A grouped query drops Meta.ordering: say it, for stable pages.
        .order_by("-starts_on", "-created_at", "-pk")
    )


def cycle_for_viewer(*, membership, pk: int) -> Cycle | None:
    """One cycle if this person may see it, else None (the view answers 404)."""
    return (
        cycles_visible_to(membership=membership)
        .select_related(
            "facilitator", "problem_of_practice", "problem_version", "series"
        )
        .prefetch_related(
            Prefetch(
                "memberships", queryset=CycleParticipant.objects.select_related("user")
            ),
            Prefetch(
                "visits",
                queryset=Visit.objects.select_related("host").prefetch_related(
                    "observers"
                ),
            ),
            Prefetch("transitions", queryset=_transitions()),
            Prefetch(
                "debriefs",
                queryset=Debrief.objects.prefetch_related("attendees", "group_steps"),
            ),
        )
        .filter(pk=pk)
        .first()
    )


def _transitions():
    return CycleTransition.objects.select_related("by").order_by("at", "pk")


def cycle_look_fors(*, cycle) -> list[LookFor]:
    """A cycle's look-fors in their order."""
    return [
        link.look_for
        for link in CycleLookFor.objects.filter(cycle=cycle)
        .select_related("look_for")
        .order_by("position", "pk")
    ]


def problems_for(*, school, include_archived=False):
    problems = ProblemOfPractice.objects.filter(school=school)
    if not include_archived:
        problems = problems.filter(archived_at__isnull=True)
    return problems.prefetch_related(
        Prefetch(
            "look_fors",
            queryset=LookFor.objects.filter(archived_at__isnull=True).order_by(
                "position", "pk"
            ),
        )
    )


def look_for_library(*, school, include_archived=False):
    """Every look-for of the school, for reuse in any cycle."""
    look_fors = LookFor.objects.filter(school=school).select_related("problem")
    if not include_archived:
        look_fors = look_fors.filter(archived_at__isnull=True)
    return look_fors.order_by("problem_id", "position", "pk")


def staff_choices(*, school, roles=None):
    """Active staff of the school as Users, by name."""
    memberships = Membership.objects.filter(school=school, is_active=True)
    if roles:
        memberships = memberships.filter(role__in=roles)
    return User.objects.filter(pk__in=memberships.values("user")).order_by("full_name")


def teachers_for(users, *, school) -> list[rules.Teacher]:
    """The facts the planning rules use about these people."""
    users = list(users)
    profiles = {
        p.membership.user_id: p
        for p in StaffProfile.objects.filter(
            school=school, membership__user__in=users
        ).select_related("membership")
    }
    found = []
    for user in users:
        profile = profiles.get(user.pk)
        grades = profile.grade_levels if profile else []
        found.append(
            rules.Teacher(
                id=user.pk,
                name=user.full_name or user.email,
                years=profile.years_experience if profile else 0,
                department=profile.department if profile else "",
                grade=grades[0] if grades else None,
            )
        )
    return found


def _year_of(school, day: dt.date | None):
    return calendar.year_bounds(school=school, day=day or timezone.localdate())


def host_rotation(*, school, day: dt.date | None = None, candidates=None):
    """Teachers ranked by how few visits they have hosted this school year.

    Returns [(user, hosted_count)], fewest first: principle 4, hosting rotates.
    """
    start, end = _year_of(school, day)
    users = list(
        candidates
        if candidates is not None
        else staff_choices(school=school, roles=[Role.TEACHER])
    )
    counts = Counter(
        Visit.objects.filter(school=school, date__range=(start, end), host__in=users)
        .exclude(cycle__status=Status.CANCELLED)
        .values_list("host_id", flat=True)
    )
    by_id = {u.pk: u for u in users}
    ranked = rules.rank_hosts(teachers_for(users, school=school), counts)
    return [(by_id[t.id], count) for t, count in ranked]


def previous_swap_pairs(*, school, users, exclude_cycle=None) -> set[frozenset]:
    """For each teacher, the pairs of the last swap day they took part in."""
    ids = {u.pk for u in users}
    visits = (
        Visit.objects.filter(school=school, cycle__kind__in=PAIRED)
        .exclude(cycle__status=Status.CANCELLED)
        .filter(Q(host__in=ids) | Q(observers__in=ids))
        .prefetch_related("observers")
        .distinct()
        .order_by("-date", "-pk")
    )
    if exclude_cycle is not None and exclude_cycle.pk:
        visits = visits.exclude(cycle=exclude_cycle)
    last_cycle_of: dict[int, int] = {}
    pairs: set[frozenset] = set()
    for visit in visits:
        people = [visit.host_id] + [o.pk for o in visit.observers.all()]
        for person in people:
            if person in ids:
                last_cycle_of.setdefault(person, visit.cycle_id)
        for observer in visit.observers.all():
            pair = frozenset((visit.host_id, observer.pk))
            if any(last_cycle_of.get(p) == visit.cycle_id for p in pair):
                pairs.add(pair)
    return pairs


def swap_pairing_suggestion(*, school, users, exclude_cycle=None) -> dict:
    """Suggested swap pairs: new with experienced, cross-content, not last time's."""
    users = list(users)
    by_id = {u.pk: u for u in users}
    previous = previous_swap_pairs(
        school=school, users=users, exclude_cycle=exclude_cycle
    )
    pairs, left = rules.suggest_pairs(teachers_for(users, school=school), previous)
    return {
        "pairs": [(by_id[a.id], by_id[b.id]) for a, b in pairs],
        "details": [
            {
                "host": by_id[a.id],
                "guest": by_id[b.id],
                "new_with_experienced": a.is_new != b.is_new,
                "cross_content": a.department != b.department,
                "repeat": frozenset((a.id, b.id)) in previous,
            }
            for a, b in pairs
        ],
        "left_over": [by_id[t.id] for t in left],
    }


def swap_days_this_year(*, school, users, day=None, exclude_cycle=None) -> Counter:
    """How many swap days each person has taken part in this school year."""
    start, end = _year_of(school, day)
    cycles = (
        Cycle.objects.filter(school=school, kind__in=CAPPED)
        .exclude(status=Status.CANCELLED)
        .filter(
            Q(starts_on__range=(start, end))
            | Q(starts_on__isnull=True, created_at__date__range=(start, end))
        )
    )
    if exclude_cycle is not None and exclude_cycle.pk:
        cycles = cycles.exclude(pk=exclude_cycle.pk)
    rows = (
        CycleParticipant.objects.filter(cycle__in=cycles, user__in=list(users))
        .values_list("user_id", "cycle_id")
        .distinct()
    )
    counts = Counter({u.pk: 0 for u in users})
    for user_id, _cycle_id in set(rows):
        counts[user_id] += 1
    return counts


def swap_cap_breaches(*, cycle, users) -> list:
    """The people for whom this swap day would exceed the school's yearly cap."""
    settings = CycleSettings.objects.filter(school=cycle.school).first()
    cap = settings.swap_days_cap_per_teacher_per_year if settings else None
    users = list(users)
    counts = swap_days_this_year(
        school=cycle.school, users=users, day=cycle.starts_on, exclude_cycle=cycle
    )
    over = set(rules.over_cap(counts, cap))
    return [u for u in users if u.pk in over]


def swap_rotations_this_semester(*, school, day=None) -> dict:
    """Swap days held or planned this semester against the school's target."""
    day = day or timezone.localdate()
    start, end = calendar.semester_bounds(school=school, day=day)
    settings = CycleSettings.objects.filter(school=school).first()
    target = settings.swap_rotations_target_per_semester if settings else 2
    count = (
        Cycle.objects.filter(
            school=school, kind__in=ROTATIONS, starts_on__range=(start, end)
        )
        .exclude(status=Status.CANCELLED)
        .count()
    )
    return {"count": count, "target": target, "met": count >= target}


def walk_group_numbers(*, cycle) -> list[int]:
    return sorted(
        {
            p.group_number
            for p in cycle.memberships.all()
            if p.role == CycleParticipant.Role.OBSERVER and p.group_number
        }
    )


def walk_groups(*, cycle) -> dict[int, list]:
    groups: dict[int, list] = {}
    for p in cycle.memberships.all():
        if p.role == CycleParticipant.Role.OBSERVER and p.group_number:
            groups.setdefault(p.group_number, []).append(p.user)
    return dict(sorted(groups.items()))


def micro_reciprocal_suggestion(*, cycle) -> dict | None:
    """For a micro-observation: the return visit, if it has not happened yet."""
    if not spec_for(cycle.kind).reciprocal:
        return None
    visit = next(iter(cycle.visits.all()), None)
    if visit is None:
        return None
    observers = list(visit.observers.all())
    if len(observers) != 1:
        return None
    observer = observers[0]
    returned = (
        Visit.objects.filter(
            school=cycle.school,
            cycle__kind=cycle.kind,
            host=observer,
            observers=visit.host,
            date__gte=visit.date,
        )
        .exclude(cycle__status=Status.CANCELLED)
        .exists()
    )
    if returned:
        return None
    return {"host": observer, "observer": visit.host, "after": visit.date}


def debriefs_overdue(*, school, user=None):
    """Debriefs past their due time and not held, for the cycles this person runs."""
    debriefs = Debrief.objects.filter(
        school=school, held_at__isnull=True, due_at__lt=timezone.now()
    ).exclude(cycle__status__in=[Status.CANCELLED, Status.CLOSED])
    if user is not None:
        debriefs = debriefs.filter(
            Q(cycle__facilitator=user)
            | Q(visit__observers=user)
            | Q(cycle__created_by=user)
        )
    return debriefs.select_related("cycle", "visit").distinct()


HOME_VISITS_SHOWN = 5


def home_panel(*, membership) -> dict:
    """What the home page shows about cycles: mine, and what needs doing."""
    user, school = membership.user, membership.school
    mine = (
        Cycle.objects.filter(school=school)
        .filter(_visible_filter(user))
        .exclude(status__in=[Status.CLOSED, Status.CANCELLED])
        .distinct()
        .select_related("facilitator")
        .annotate(first_visit_at=Min("visits__starts_at"))
        .order_by("starts_on", "pk")[:8]
    )
    todo = []
    for debrief in debriefs_overdue(school=school, user=user)[:5]:
        todo.append(
            {"cycle": debrief.cycle, "text": "Debrief overdue", "kind": "danger"}
        )
    if can_plan(membership):
        drafts = Cycle.objects.filter(school=school, status=Status.DRAFT).filter(
            Q(facilitator=user) | Q(created_by=user)
        )[:5]
        for cycle in drafts:
            todo.append(
                {"cycle": cycle, "text": "Draft: ready to schedule?", "kind": "warning"}
            )
    hosting = CycleParticipant.objects.filter(
        school=school,
        user=user,
        role=CycleParticipant.Role.HOST,
        host_response=CycleParticipant.HostResponse.PENDING,
    ).select_related("cycle")
    for part in hosting:
        if part.cycle.is_open:
            todo.append(
                {
                    "cycle": part.cycle,
                    "text": "You are asked to host a lab: agree or decline",
                    "kind": "info",
                }
            )
    today = timezone.localdate()
    visits = (
        Visit.objects.filter(school=school, date__gte=today)
        .filter(Q(host=user) | Q(observers=user))
        .exclude(cycle__status=Status.CANCELLED)
        .select_related("cycle", "host")
        .distinct()
        .order_by("date", "starts_at")
    )
    shown = list(visits[: HOME_VISITS_SHOWN + 1])
    more_from = shown.pop().date if len(shown) > HOME_VISITS_SHOWN else None
    more = visits.count() - len(shown) if more_from else 0
    return {
        "cycles": list(mine),
        "todo": todo,
        "visits": shown,
        "more_visits": more,
        "more_from": more_from,
    }


def swap_pairs_of(*, cycle) -> list[dict]:
    """A swap day's pairs with why they were put together."""
    if spec_for(cycle.kind).layout != Layout.PAIRS:
        return []
    seen, pairs = set(), []
    for visit in cycle.visits.all():
        for guest in visit.observers.all():
            key = frozenset((visit.host_id, guest.pk))
            if key not in seen:
                seen.add(key)
                pairs.append((visit.host, guest))
    people = {u.pk: u for pair in pairs for u in pair}
    facts = {t.id: t for t in teachers_for(people.values(), school=cycle.school)}
    previous = previous_swap_pairs(
        school=cycle.school, users=people.values(), exclude_cycle=cycle
    )
    return [
        {
            "host": a,
            "guest": b,
            "new_with_experienced": facts[a.pk].is_new != facts[b.pk].is_new,
            "cross_content": facts[a.pk].department != facts[b.pk].department,
            "repeat": frozenset((a.pk, b.pk)) in previous,
        }
        for a, b in pairs
    ]


# --- The schedule, as planners see it ------------------------------------------


def teaching_during(*, user, day, start: dt.time, end: dt.time, school):
    """The class periods (each with .section) user teaches that overlap start-end."""
    return [
        p
        for p in schedule.teaching_periods(user=user, day=day, school=school)
        if p.starts_at < end and start < p.ends_at
    ]


def swap_periods(*, host, guest, day, school) -> list[Period]:
    """Periods in which host teaches, guest's planning periods first."""
    taught = schedule.teaching_periods(user=host, day=day, school=school)
    guest_teaches = {
        p.number for p in schedule.teaching_periods(user=guest, day=day, school=school)
    }
    return sorted(taught, key=lambda p: (p.number in guest_teaches, p.starts_at))


def availability(*, school, day, period, candidates):
    """Who teaches and who is free in a period on a day, among candidates.

    Returns {"teaching": [...], "free": [...], "info": DayInfo}, each list of
    users in candidates' order (both empty on a day without school).
    """
    info = schedule.day_info(school=school, day=day)
    if not info.is_school_day:
        return {"info": info, "teaching": [], "free": []}
    busy = {
        section.teacher_id
        for section in schedule.sections_meeting(
            school=school, day=day, day_type=info.day_type
        )
        if section.period.number == period.number and section.teacher_id
    }
    candidates = list(candidates)
    return {
        "info": info,
        "teaching": [u for u in candidates if u.pk in busy],
        "free": [u for u in candidates if u.pk not in busy],
    }


RECIPROCAL_SEARCH_DAYS = 21


def micro_reciprocal_slot(*, school, host, observer, after: dt.date) -> dict | None:
    """The first period after a date when host teaches and observer plans, and
    neither is booked then: {"date", "period"}, or None within three weeks."""
    first = max(after + dt.timedelta(days=1), timezone.localdate())
    last = first + dt.timedelta(days=RECIPROCAL_SEARCH_DAYS)
    busy: dict[dt.date, list] = {}
    for person in (host, observer):
        for booking in schedule.bookings_for_user(
            user=person, start=first, end=last, school=school
        ):
            busy.setdefault(booking.date, []).append(booking)
    now = timezone.now()
    day = first
    while day <= last:
        taught = schedule.teaching_periods(user=host, day=day, school=school)
        planning = {
            p.number
            for p in schedule.planning_periods(user=observer, day=day, school=school)
        }
        for period in taught:
            if period.number not in planning:
                continue
            start = dt.datetime.combine(day, period.starts_at, tzinfo=school.tz)
            end = dt.datetime.combine(day, period.ends_at, tzinfo=school.tz)
            if start <= now:
                continue
            if any(b.starts_at < end and start < b.ends_at for b in busy.get(day, [])):
                continue
            return {"date": day, "period": period}
        day += dt.timedelta(days=1)
    return None


def micro_reciprocal_plan(*, cycle) -> dict | None:
    """The return visit of a micro-observation, ready to plan: host and observer
    swapped, the same look-for and minutes, and a time when both are free."""
    suggestion = micro_reciprocal_suggestion(cycle=cycle)
    if suggestion is None:
        return None
    visit = next(iter(cycle.visits.all()))
    return {
        **suggestion,
        "title": f"Return visit: {cycle.title}"[:200],
        "look_fors": cycle_look_fors(cycle=cycle),
        "minutes": visit.minutes,
        "slot": micro_reciprocal_slot(
            school=cycle.school,
            host=suggestion["host"],
            observer=suggestion["observer"],
            after=suggestion["after"],
        ),
    }
