"""Planning a cycle: create and edit it, its people, look-fors and visits.

What the planner leaves out is filled here as the cycle's type says (the
problem's look-fors, a swap day's whole team, a lab's follow-up days), so a
form, the API and the seed all get the same plan from the same arguments.
"""

import datetime as dt
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from cycles import selectors
from cycles.kinds import DebriefDue, Layout, spec_for
from cycles.models import (
    VISIT_MINUTES_DEFAULT,
    Cycle,
    CycleLookFor,
    CycleParticipant,
    Debrief,
    LabSeries,
    Visit,
)
from cycles.reminders import cycle_reminders_sync
from cycles.services import booking
from cycles.services.validation import (
    limit_errors,
    minutes_errors,
    plan_errors,
    schedule_errors,
    visit_errors,
)
from jel.concurrency import claimed_edit
from jel.validation import check_school_date
from scheduling import selectors as schedule

Status = Cycle.Status
PartRole = CycleParticipant.Role

# Minutes between two visits of one block: time to walk to the next room.
PASSING_MINUTES = 5

CYCLE_FIELDS = (
    "title",
    "focus",
    "problem_of_practice",
    "facilitator",
    "starts_on",
    "ends_on",
    "series",
    "prebrief_goal",
    "prebrief_expectations",
    "prebrief_prompts",
    "prebrief_at",
    "follow_up_days",
    "initiative",
    "grouping",
    "group_size",
    "guiding_students_doing",
    "guiding_subtle_prompts",
    "guiding_expected_artifacts",
    "team",
    "arrange_cover",
    "window_override_reason",
)
# Text fields: an empty answer is stored as "", never None.
TEXT_FIELDS = (
    "focus",
    "prebrief_goal",
    "prebrief_expectations",
    "prebrief_prompts",
    "initiative",
    "guiding_students_doing",
    "guiding_subtle_prompts",
    "guiding_expected_artifacts",
    "window_override_reason",
    "grouping",
)


def _plan_defaults(spec, *, hosts, observers, look_fors, fields, problem, team):
    """Fill what the planner left out, as the cycle's type says.

    None (on an edit) keeps what the cycle has; an empty list is filled.
    """
    for name in TEXT_FIELDS:
        if name in fields and fields[name] is None:
            fields[name] = ""
    if not spec.observers.cover:
        fields["arrange_cover"] = False
    if not spec.observers.asked:
        observers = []
    if look_fors is not None and not look_fors and problem is not None:
        look_fors = list(
            problem.look_fors.filter(archived_at__isnull=True).order_by(
                "position", "pk"
            )
        )
    if spec.hosts.team_by_default and hosts is not None and not hosts and team:
        # Planned for a team: everyone in it takes part.
        hosts = list(team.members.order_by("full_name"))
    hosts, observers, look_fors = (
        _once(items) if items is not None else None
        for items in (hosts, observers, look_fors)
    )
    return hosts, observers, look_fors, fields


def _new_series(*, school, by, title: str, inquiry: str) -> LabSeries:
    try:
        return lab_series_create(school=school, by=by, title=title, inquiry=inquiry)
    except ValidationError as error:
        # The series' own fields are named for the series on the planner.
        raise ValidationError(
            {f"new_series_{k}": v for k, v in error.message_dict.items()}
        ) from error


def _once(items) -> list:
    """Each person or look-for once, in the order given (a list sent with a
    name twice must not break the one-part-per-role rule)."""
    seen, kept = set(), []
    for item in items:
        if item.pk not in seen:
            seen.add(item.pk)
            kept.append(item)
    return kept


def _set_people(cycle, *, hosts, observers, facilitator):
    spec = spec_for(cycle.kind)
    hosts, observers = _once(hosts), _once(observers)
    old_responses = {
        p.user_id: (p.host_response, p.responded_at)
        for p in cycle.memberships.filter(role=PartRole.HOST)
    }
    cycle.memberships.all().delete()
    rows = []
    for user in hosts:
        response, responded_at = old_responses.get(user.pk, ("", None))
        if spec.hosts.opt_in and not response:
            response = CycleParticipant.HostResponse.PENDING
        rows.append(
            CycleParticipant(
                school=cycle.school,
                cycle=cycle,
                user=user,
                role=PartRole.HOST,
                host_response=response,
                responded_at=responded_at,
            )
        )
    for user in observers:
        rows.append(
            CycleParticipant(
                school=cycle.school, cycle=cycle, user=user, role=PartRole.OBSERVER
            )
        )
    if facilitator is not None:
        rows.append(
            CycleParticipant(
                school=cycle.school,
                cycle=cycle,
                user=facilitator,
                role=PartRole.FACILITATOR,
            )
        )
    CycleParticipant.objects.bulk_create(rows)
    if spec.groups and cycle.group_size:
        walk_form_groups(cycle=cycle)


def _set_look_fors(cycle, look_fors):
    look_fors = _once(look_fors)
    cycle.look_for_links.all().delete()
    CycleLookFor.objects.bulk_create(
        CycleLookFor(school=cycle.school, cycle=cycle, look_for=lf, position=i)
        for i, lf in enumerate(look_fors)
    )


def _lay_out_pairs(cycle, *, by, hosts, visit_date, minutes, period, at):
    # Each pair visits each other, the experienced teacher hosting first. In
    # the period the planner chose (or the one their start time falls in):
    # one visit after the other, each observer's class covered in turn. A
    # teacher who has no class then hosts in a period they teach, the guest's
    # planning period first, as when no period is chosen.
    tz = cycle.school.tz
    school = cycle.school
    slot = period
    if slot is None and at(0) is not None:
        start = timezone.localtime(at(0), tz).time()
        slot = next(
            (
                p
                for p in schedule.class_periods_on(school=school, day=visit_date)
                if p.starts_at <= start < p.ends_at
            ),
            None,
        )

    def teaches_in_slot(user) -> bool:
        return slot is not None and any(
            p.number == slot.number
            for p in schedule.teaching_periods(user=user, day=visit_date, school=school)
        )

    for host, guest in swap_pairs_for(cycle=cycle, teachers=hosts):
        step = 0
        for a, b in ((host, guest), (guest, host)):
            if teaches_in_slot(a):
                chosen = slot
                when = at(step) or dt.datetime.combine(
                    visit_date, slot.starts_at, tzinfo=tz
                ) + timedelta(minutes=step * (minutes + PASSING_MINUTES))
                step += 1
            else:
                options = selectors.swap_periods(
                    host=a, guest=b, day=visit_date, school=school
                )
                chosen = options[0] if options else period
                when = (
                    dt.datetime.combine(visit_date, chosen.starts_at, tzinfo=tz)
                    if chosen is not None
                    else at(step)
                )
            visit_plan(
                cycle=cycle,
                by=by,
                host=a,
                observers=[b],
                date=visit_date,
                starts_at=when,
                minutes=minutes,
                period=chosen,
            )


def _lay_out_block(cycle, *, by, hosts, observers, visit_date, minutes, period, at):
    # Each host in turn, one after the other: the group walks between rooms.
    for step, host in enumerate(hosts):
        visit_plan(
            cycle=cycle,
            by=by,
            host=host,
            observers=observers,
            date=visit_date,
            starts_at=at(step),
            minutes=minutes,
            period=period,
        )


def walk_routes(hosts: list, groups: list[list]) -> list[tuple[int, object, list]]:
    """(step, host, walkers) for each visit of a walk whose walkers are in groups.

    Each group visits its own rooms in turn, all groups at once: at each step
    no two groups are in one room and nobody is in two places. Every group
    visits the same number of rooms: when the rooms do not share out evenly,
    the last step sends the groups left without a new room to rooms another
    group has seen. With fewer rooms than groups, the groups take turns.
    """
    if not hosts or not groups:
        return []
    routes = []
    if len(hosts) >= len(groups):
        # At step s group g is in room g + s*k (mod rooms): k consecutive rooms
        # are distinct, and a group's rooms are fewer than k apart from a lap.
        steps = -(-len(hosts) // len(groups))
        for step in range(steps):
            for index, group in enumerate(groups):
                room = (index + step * len(groups)) % len(hosts)
                routes.append((step, hosts[room], group))
    else:
        for index, group in enumerate(groups):
            step, room = divmod(index, len(hosts))
            routes.append((step, hosts[room], group))
    return sorted(routes, key=lambda route: route[0])


def _lay_out_groups(cycle, *, by, hosts, observers, visit_date, minutes, period, at):
    groups = list(selectors.walk_groups(cycle=cycle).values())
    grouped = {user.pk for group in groups for user in group}
    # Anyone not (yet) in a group walks with the first group.
    loose = [user for user in observers if user.pk not in grouped]
    if loose:
        groups = [groups[0] + loose, *groups[1:]] if groups else [loose]
    if len(groups) < 2:
        _lay_out_block(
            cycle,
            by=by,
            hosts=hosts,
            observers=observers,
            visit_date=visit_date,
            minutes=minutes,
            period=period,
            at=at,
        )
        return
    for step, host, walkers in walk_routes(hosts, groups):
        visit_plan(
            cycle=cycle,
            by=by,
            host=host,
            observers=walkers,
            date=visit_date,
            starts_at=at(step),
            minutes=minutes,
            period=period,
        )


def lesson_minutes(*, school, host, day, period=None, start_time=None) -> int | None:
    """Minutes from a visit's start to the end of the host's lesson then.

    The lesson is the chosen period (at that day's times), or else the period
    the host teaches that holds the start time; None when neither is known.
    """
    if day is None:
        return None
    lesson = _period_that_day(school, day, period)
    if lesson is None and start_time is not None and host is not None:
        lesson = next(
            (
                p
                for p in schedule.teaching_periods(user=host, day=day, school=school)
                if p.starts_at <= start_time < p.ends_at
            ),
            None,
        )
    if lesson is None:
        return None
    start = start_time or lesson.starts_at
    if not lesson.starts_at <= start < lesson.ends_at:
        start = lesson.starts_at
    begin = dt.datetime.combine(day, start)
    return int((dt.datetime.combine(day, lesson.ends_at) - begin).total_seconds() // 60)


def _default_minutes(spec, *, school, hosts, day, period, start_time) -> int | None:
    """Visit minutes the planner left empty, as the cycle's type says."""
    if spec.visit_whole_lesson:
        return lesson_minutes(
            school=school,
            host=hosts[0] if hosts else None,
            day=day,
            period=period,
            start_time=start_time,
        )
    return None


def _period_that_day(school, day, period):
    """The chosen period at the times of that day's bell schedule."""
    if period is None or day is None:
        return period
    return schedule.period_on(school=school, day=day, period=period) or period


def _plan_visits(
    cycle, *, by, hosts, observers, visit_date, start_time, minutes, period=None
):
    """Lay out the visits of a cycle as its type does them."""
    if visit_date is None or not hosts:
        return
    tz = cycle.school.tz
    period = _period_that_day(cycle.school, visit_date, period)
    if start_time is None and period is not None:
        start_time = period.starts_at
    start = (
        dt.datetime.combine(visit_date, start_time, tzinfo=tz)
        if start_time is not None
        else None
    )

    def at(step):
        if start is None:
            return None
        return start + timedelta(minutes=step * (minutes + PASSING_MINUTES))

    common = {"by": by, "hosts": hosts, "visit_date": visit_date, "at": at}
    layout = spec_for(cycle.kind).layout
    if layout == Layout.PAIRS:
        _lay_out_pairs(cycle, minutes=minutes, period=period, **common)
    elif layout == Layout.GROUPS:
        _lay_out_groups(
            cycle, observers=observers, minutes=minutes, period=period, **common
        )
    else:
        _lay_out_block(
            cycle, observers=observers, minutes=minutes, period=period, **common
        )


def _replace_visits(cycle, *, by):
    """Drop a cycle's visits (and their bookings) before laying them out again."""
    booking.cancel_bookings_of_visits(cycle, by=by)
    try:
        with transaction.atomic():
            cycle.debriefs.filter(visit__isnull=False).delete()
            cycle.visits.all().delete()
    except ProtectedError as used:
        # Observers have started writing in these visits: their words stay put.
        raise ValidationError(
            {
                "visit_date": "Observers have already recorded evidence in these "
                "visits, so they cannot be moved. Plan a new cycle instead."
            }
        ) from used


def swap_pairs_for(*, cycle, teachers):
    """The pairs a swap day's teachers are put in (see rules.suggest_pairs)."""
    suggestion = selectors.swap_pairing_suggestion(
        school=cycle.school, users=teachers, exclude_cycle=cycle
    )
    return [(a, b) for a, b in suggestion["pairs"]]


def _date_errors(**dates) -> dict:
    """A visit's or debrief's day must be one a school could mean."""
    errors = {}
    for name, value in dates.items():
        try:
            check_school_date(value)
        except ValidationError as error:
            errors[name] = " ".join(error.messages)
    return errors


def cycle_made_with(*, school, creation_token) -> Cycle | None:
    """The cycle a planner form's one-time token already made, if any."""
    if creation_token is None:
        return None
    return Cycle.objects.filter(school=school, creation_token=creation_token).first()


def _latest_version(problem):
    return problem.versions.order_by("-number").first() if problem else None


@transaction.atomic
def cycle_create(
    *,
    school,
    by,
    kind: str,
    hosts=(),
    observers=(),
    look_fors=(),
    visit_date: dt.date | None = None,
    start_time: dt.time | None = None,
    period=None,
    minutes: int | None = None,
    debrief_at: dt.datetime | None = None,
    schedule: bool = False,
    new_series_title: str = "",
    new_series_inquiry: str = "",
    creation_token=None,
    **fields,
) -> Cycle:
    """Plan a cycle of one of the five kinds as a draft (or schedule it at once).

    Without minutes, visits last 15 minutes, or a whole lesson where the type
    says so (labs). With new_series_title, a lab starts a new series of that
    name; the series is kept only with its lab (one transaction). A
    creation_token already used returns the cycle it made (a double submit
    makes one cycle).
    """
    from cycles.services.transitions import cycle_schedule

    made = cycle_made_with(school=school, creation_token=creation_token)
    if made is not None:
        return made
    try:
        spec = spec_for(kind)
    except ValueError:
        raise ValidationError({"kind": "Choose one of the five cycle types."}) from None
    unknown = set(fields) - set(CYCLE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown cycle fields: {sorted(unknown)}")
    # Asked first, as the planner reads the form: the series is kept only
    # if the whole plan is (one transaction).
    if (new_series_title or "").strip():
        fields["series"] = _new_series(
            school=school, by=by, title=new_series_title, inquiry=new_series_inquiry
        )
    hosts, observers, look_fors, fields = _plan_defaults(
        spec,
        hosts=list(hosts),
        observers=list(observers),
        look_fors=list(look_fors),
        fields=dict(fields),
        problem=fields.get("problem_of_practice"),
        team=fields.get("team"),
    )
    errors = plan_errors(
        school=school,
        kind=kind,
        fields=fields,
        hosts=hosts,
        observers=observers,
        look_fors=look_fors,
    )
    minutes = (
        minutes
        or _default_minutes(
            spec,
            school=school,
            hosts=hosts,
            day=visit_date,
            period=period,
            start_time=start_time,
        )
        or VISIT_MINUTES_DEFAULT
    )
    errors.update(minutes_errors(kind, minutes))
    errors.update(
        _date_errors(
            visit_date=visit_date,
            debrief_at=debrief_at,
            prebrief_at=fields.get("prebrief_at"),
        )
    )
    if errors:
        raise ValidationError(errors)
    if spec.follow_up and fields.get("follow_up_days") is None:
        fields["follow_up_days"] = selectors.cycle_settings_of(
            school=school
        ).lab_follow_up_days
    fields = {k: v for k, v in fields.items() if v is not None}
    try:
        with transaction.atomic():
            cycle = Cycle.objects.create(
                school=school,
                kind=kind,
                created_by=by,
                problem_version=_latest_version(fields.get("problem_of_practice")),
                creation_token=creation_token,
                **fields,
            )
    except IntegrityError:
        # The same form submitted twice at once: the other submit made it.
        made = cycle_made_with(school=school, creation_token=creation_token)
        if made is None:
            raise
        return made
    if not cycle.starts_on and visit_date:
        cycle.starts_on = cycle.ends_on = visit_date
        cycle.save(update_fields=["starts_on", "ends_on"])
    _set_people(
        cycle, hosts=hosts, observers=observers, facilitator=fields.get("facilitator")
    )
    _set_look_fors(cycle, look_fors)
    _plan_visits(
        cycle,
        by=by,
        hosts=hosts,
        observers=observers,
        visit_date=visit_date,
        start_time=start_time,
        minutes=minutes,
        period=period,
    )
    if spec.debrief.due != DebriefDue.PER_VISIT:
        Debrief.objects.create(school=school, cycle=cycle, due_at=debrief_at)
    cycle_reminders_sync(cycle)  # a lab's hosts are asked now (cycles.notices)
    if schedule:
        cycle = cycle_schedule(cycle=cycle, by=by)
    return cycle


@transaction.atomic
def cycle_update(*, cycle: Cycle, seen_version: int | None = None, **changes) -> Cycle:
    """Edit a cycle's plan; possible until it is closed or cancelled.

    Before the visits start, a new date or time lays the visits out again and,
    for a scheduled cycle, books them again (the old bookings are cancelled).
    A plan drawn from an older version than the saved one raises StaleEdit.
    """
    with claimed_edit(cycle, seen=seen_version):
        return _cycle_update(cycle=cycle, **changes)


def _cycle_update(
    *,
    cycle: Cycle,
    by,
    hosts=None,
    observers=None,
    look_fors=None,
    visit_date: dt.date | None = None,
    start_time: dt.time | None = None,
    period=None,
    minutes: int | None = None,
    debrief_at: dt.datetime | None = None,
    **fields,
) -> Cycle:
    if not cycle.is_open:
        raise ValidationError(
            {"__all__": "A closed or cancelled cycle can no longer be edited."}
        )
    unknown = set(fields) - set(CYCLE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown cycle fields: {sorted(unknown)}")
    spec = spec_for(cycle.kind)
    old_layout = _layout(cycle)
    old_groups = _group_sets(cycle)
    hosts, observers, look_fors, fields = _plan_defaults(
        spec,
        hosts=list(hosts) if hosts is not None else None,
        observers=list(observers) if observers is not None else None,
        look_fors=list(look_fors) if look_fors is not None else None,
        fields=dict(fields),
        problem=fields.get("problem_of_practice", cycle.problem_of_practice),
        team=fields.get("team", cycle.team),
    )
    hosts = hosts if hosts is not None else cycle.people(PartRole.HOST)
    observers = observers if observers is not None else cycle.people(PartRole.OBSERVER)
    look_fors = (
        look_fors
        if look_fors is not None
        else list(selectors.cycle_look_fors(cycle=cycle))
    )
    merged = {name: getattr(cycle, name) for name in CYCLE_FIELDS} | fields
    errors = plan_errors(
        school=cycle.school,
        kind=cycle.kind,
        fields=merged,
        hosts=hosts,
        observers=observers,
        look_fors=look_fors,
    )
    errors.update(
        _date_errors(
            visit_date=visit_date,
            debrief_at=debrief_at,
            prebrief_at=fields.get("prebrief_at"),
        )
    )
    if errors:
        raise ValidationError(errors)
    if "prebrief_at" in fields and fields["prebrief_at"] != cycle.prebrief_at:
        booking.cancel_prebrief_booking(cycle, by=by)
    problem_changed = (
        "problem_of_practice" in fields
        and fields["problem_of_practice"] != cycle.problem_of_practice
    )
    for name, value in fields.items():
        setattr(cycle, name, value)
    if problem_changed:
        cycle.problem_version = _latest_version(cycle.problem_of_practice)
    moved = visit_date is not None and (period is not None or start_time is not None)
    minutes = (
        minutes
        or (
            _default_minutes(
                spec,
                school=cycle.school,
                hosts=hosts,
                day=visit_date,
                period=period,
                start_time=start_time,
            )
            if moved
            else None
        )
        or next((v.minutes for v in cycle.visits.all()), VISIT_MINUTES_DEFAULT)
    )
    errors = minutes_errors(cycle.kind, minutes)
    if errors:
        raise ValidationError(errors)
    cycle.save()
    _set_people(cycle, hosts=hosts, observers=observers, facilitator=cycle.facilitator)
    _set_look_fors(cycle, look_fors)
    wanted = (
        visit_date,
        getattr(period, "pk", None),
        start_time,
        minutes,
        frozenset(u.pk for u in hosts),
        frozenset(u.pk for u in observers),
    )
    # An edit that leaves the visits as they are keeps their bookings (and
    # the calendar entries people already have).
    replan = (
        visit_date is not None
        and cycle.status in (Status.DRAFT, Status.SCHEDULED)
        and not (_same_layout(old_layout, wanted) and old_groups == _group_sets(cycle))
    )
    if replan:
        _replace_visits(cycle, by=by)
        _plan_visits(
            cycle,
            by=by,
            hosts=hosts,
            observers=observers,
            visit_date=visit_date,
            start_time=start_time,
            minutes=minutes,
            period=period,
        )
    debrief = cycle.debriefs.filter(visit__isnull=True).first()
    if (
        debrief is not None
        and debrief.held_at is None
        and (replan or debrief_at != debrief.due_at)
    ):
        booking.cancel_debrief_booking(debrief, by=by)
        debrief.due_at = debrief_at
        debrief.save(update_fields=["due_at"])
    if cycle.status != Status.DRAFT:
        # A scheduled cycle must still meet its type's rules after an edit.
        errors = schedule_errors(cycle)
        if errors:
            raise ValidationError(errors)
        if cycle.status == Status.SCHEDULED:
            booking.book_visits(cycle, by=by)
            booking.book_debrief(cycle, by=by)
            booking.book_prebrief(cycle, by=by)
    cycle_reminders_sync(cycle)
    return cycle


def _layout(cycle):
    """The date, period, start, minutes, hosts and observers of a cycle's visits."""
    visits = list(cycle.visits.prefetch_related("observers").order_by("starts_at"))
    if not visits:
        return None
    first = visits[0]
    if spec_for(cycle.kind).layout == Layout.PAIRS:
        # A member with no class in the chosen period hosts in another one:
        # the period and time chosen are among the visits'.
        periods = frozenset(v.period_id for v in visits)
        starts = frozenset(_local_start(cycle, v) for v in visits if v.starts_at)
    else:
        periods = frozenset([first.period_id])
        starts = frozenset([_local_start(cycle, first)] if first.starts_at else [])
    return (
        first.date,
        periods,
        starts,
        first.minutes,
        frozenset(v.host_id for v in visits),
        frozenset(o.pk for v in visits for o in v.observers.all()),
    )


def _local_start(cycle, visit):
    return (
        timezone.localtime(visit.starts_at, cycle.school.tz).time().replace(tzinfo=None)
    )


def _group_sets(cycle) -> set[frozenset]:
    """A walk's groups, as sets of walkers (empty for other types)."""
    if not spec_for(cycle.kind).groups:
        return set()
    return {
        frozenset(u.pk for u in group)
        for group in selectors.walk_groups(cycle=cycle).values()
    }


def _same_layout(old, wanted) -> bool:
    if old is None:
        return False
    date, period_id, start, minutes, hosts, observers = wanted
    if (date, minutes, hosts) != (old[0], old[3], old[4]):
        return False
    if period_id is not None and period_id not in old[1]:
        return False
    if start is not None and start not in old[2]:
        return False
    # Swap days pair their team members with each other, so no observer list.
    return not observers or observers == old[5]


@transaction.atomic
def walk_form_groups(*, cycle: Cycle) -> list[list]:
    """Put a walk's observers into mixed groups of the cycle's group size."""
    from cycles import rules

    parts = list(
        cycle.memberships.filter(role=PartRole.OBSERVER).select_related("user")
    )
    teachers = selectors.teachers_for([p.user for p in parts], school=cycle.school)
    groups = rules.form_mixed_groups(
        teachers, cycle.group_size or 4, by=cycle.grouping or "grade"
    )
    number_of = {t.id: n for n, group in enumerate(groups, start=1) for t in group}
    for part in parts:
        part.group_number = number_of.get(part.user_id)
        part.save(update_fields=["group_number"])
    return groups


@transaction.atomic
def visit_plan(
    *,
    cycle: Cycle,
    by,
    host,
    observers,
    date: dt.date,
    starts_at=None,
    minutes=15,
    period=None,
) -> Visit:
    """Add one visit to a cycle; a type debriefed per visit gets its debrief."""
    errors = visit_errors(
        kind=cycle.kind, host=host, observers=observers, minutes=minutes
    )
    if errors:
        raise ValidationError(errors)
    visit = Visit.objects.create(
        school=cycle.school,
        cycle=cycle,
        host=host,
        date=date,
        period=period,
        starts_at=starts_at,
        minutes=minutes,
    )
    visit.observers.set(observers)
    if spec_for(cycle.kind).debrief.due == DebriefDue.PER_VISIT:
        Debrief.objects.create(
            school=cycle.school,
            cycle=cycle,
            visit=visit,
            due_at=micro_debrief_due(visit),
        )
    return visit


def micro_debrief_due(visit: Visit) -> dt.datetime:
    """A per-visit debrief (micro-observations) is due 24 hours after the visit."""
    hours = spec_for(visit.cycle.kind).debrief.due_hours
    if visit.starts_at is not None:
        end = visit.ends_at
    else:
        end = dt.datetime.combine(visit.date, dt.time(15, 0), tzinfo=visit.school.tz)
    return end + timedelta(hours=hours)


@transaction.atomic
def lab_series_create(*, school, by, title: str, inquiry: str) -> LabSeries:
    """Start a series of labs that share one inquiry."""
    errors = limit_errors(LabSeries, {"title": title.strip(), "inquiry": inquiry})
    if not title.strip():
        errors["title"] = "Name the series."
    if not inquiry.strip():
        errors["inquiry"] = "State the inquiry the labs share."
    if errors:
        raise ValidationError(errors)
    return LabSeries.objects.create(
        school=school, title=title.strip(), inquiry=inquiry.strip()
    )
