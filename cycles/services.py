"""Writes for cycles: each validates every rule first, then writes in one transaction.

A rule breach raises ValidationError with a dict of field -> message, so the
forms show the message beside the field and nothing is half-saved.
"""

import datetime as dt
from collections.abc import Sequence
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from cycles import booking, rules, selectors
from cycles.models import (
    MICRO_DEBRIEF_HOURS,
    QUALITY_CHECK_FIELDS,
    VISIT_MINUTES_DEFAULT,
    VISIT_MINUTES_MAX,
    VISIT_MINUTES_MIN,
    Cycle,
    CycleLookFor,
    CycleParticipant,
    CycleSettings,
    CycleTransition,
    Debrief,
    LabSeries,
    LookFor,
    ProblemOfPractice,
    ProblemOfPracticeVersion,
    Visit,
    WalkNextStep,
)
from cycles.reminders import cycle_reminders_sync

Kind = Cycle.Kind
Status = Cycle.Status
PartRole = CycleParticipant.Role

# Minutes between two visits of one block: time to walk to the next room.
PASSING_MINUTES = 5


def _names(users) -> str:
    return ", ".join(sorted(u.full_name or u.email for u in users))


# --- Settings -----------------------------------------------------------------


def cycle_settings_for(*, school) -> CycleSettings:
    """The school's cycle settings, created with defaults the first time."""
    found, _ = CycleSettings.objects.get_or_create(school=school)
    return found


def cycle_settings_update(*, school, by, **fields) -> CycleSettings:
    """Change a school's cycle limits and targets."""
    found = cycle_settings_for(school=school)
    for name, value in fields.items():
        setattr(found, name, value)
    found.full_clean()
    found.save()
    return found


# --- Problems of practice and look-fors ----------------------------------------


def _validate_problem(question: str) -> None:
    if not (question or "").strip():
        raise ValidationError({"question": "Write the question you want to answer."})


def _snapshot(problem: ProblemOfPractice, by) -> ProblemOfPracticeVersion:
    return ProblemOfPracticeVersion.objects.create(
        school=problem.school,
        problem=problem,
        number=problem.version,
        question=problem.question,
        theory_of_action=problem.theory_of_action,
        initiative=problem.initiative,
        passed_all_checks=problem.passes_all_checks,
        created_by=by,
    )


@transaction.atomic
def problem_create(
    *,
    school,
    by,
    question: str,
    theory_of_action: str = "",
    initiative: str = "",
    checks: Sequence[str] = (),
    look_fors: Sequence[tuple[str, str]] = (),
) -> ProblemOfPractice:
    """Write a problem of practice (a draft may leave checks unticked)."""
    _validate_problem(question)
    unknown = set(checks) - set(QUALITY_CHECK_FIELDS)
    if unknown:
        raise ValidationError({"checks": f"Unknown quality checks: {sorted(unknown)}"})
    problem = ProblemOfPractice(
        school=school,
        question=question.strip(),
        theory_of_action=theory_of_action.strip(),
        initiative=initiative.strip(),
        created_by=by,
        **{name: name in checks for name in QUALITY_CHECK_FIELDS},
    )
    problem.save()
    _snapshot(problem, by)
    for _position, (text, kind) in enumerate(look_fors):
        look_for_create(school=school, by=by, text=text, kind=kind, problem=problem)
    return problem


@transaction.atomic
def problem_update(
    *,
    problem: ProblemOfPractice,
    by,
    question: str,
    theory_of_action: str = "",
    initiative: str = "",
    checks: Sequence[str] = (),
) -> ProblemOfPractice:
    """Edit a problem as a new version; closed cycles keep the text they used."""
    _validate_problem(question)
    problem.question = question.strip()
    problem.theory_of_action = theory_of_action.strip()
    problem.initiative = initiative.strip()
    for name in QUALITY_CHECK_FIELDS:
        setattr(problem, name, name in checks)
    problem.version += 1
    problem.save()
    version = _snapshot(problem, by)
    Cycle.objects.filter(problem_of_practice=problem).exclude(
        status__in=[Status.CLOSED, Status.CANCELLED]
    ).update(problem_version=version)
    return problem


def _next_position(problem) -> int:
    last = (
        LookFor.objects.filter(problem=problem).order_by("-position").first()
        if problem is not None
        else None
    )
    return last.position + 1 if last else 0


@transaction.atomic
def look_for_create(*, school, by, text: str, kind: str, problem=None) -> LookFor:
    """Add a look-for to a problem of practice or to the school's library."""
    errors = {}
    if not (text or "").strip():
        errors["text"] = "Say what you would see or hear students doing."
    if kind not in LookFor.Kind.values:
        errors["kind"] = "Choose oral, visual or artifact."
    if problem is not None and problem.school_id != school.pk:
        errors["problem"] = "That problem of practice is not in this school."
    if errors:
        raise ValidationError(errors)
    return LookFor.objects.create(
        school=school,
        problem=problem,
        text=text.strip(),
        kind=kind,
        position=_next_position(problem),
        created_by=by,
    )


@transaction.atomic
def look_for_move(*, look_for: LookFor, by, up: bool) -> None:
    """Swap a look-for with its neighbour in its problem's order."""
    siblings = list(
        LookFor.objects.filter(
            problem=look_for.problem, archived_at__isnull=True
        ).order_by("position", "pk")
    )
    index = next(i for i, item in enumerate(siblings) if item.pk == look_for.pk)
    other = index - 1 if up else index + 1
    if other < 0 or other >= len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, item in enumerate(siblings):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])


def look_for_remove(*, look_for: LookFor, by) -> str:
    """Delete an unused look-for; one used in a cycle or evidence is archived.

    Returns "deleted" or "archived". Evidence (in the observations app) points
    here with PROTECT, so a protected delete means "used": archive instead.
    """
    try:
        with transaction.atomic():
            look_for.delete()
        return "deleted"
    except ProtectedError:
        look_for.archived_at = timezone.now()
        look_for.save(update_fields=["archived_at"])
        return "archived"


def look_for_restore(*, look_for: LookFor, by) -> None:
    look_for.archived_at = None
    look_for.save(update_fields=["archived_at"])


# --- Cycles ---------------------------------------------------------------------


def _check_minutes(kind: str, minutes: int, errors: dict) -> None:
    if kind in (Kind.ROUNDS, Kind.MICRO) and not (
        VISIT_MINUTES_MIN <= minutes <= VISIT_MINUTES_MAX
    ):
        errors["minutes"] = (
            f"Visits in this cycle type last {VISIT_MINUTES_MIN}-{VISIT_MINUTES_MAX} "
            "minutes."
        )
    elif not (5 <= minutes <= 90):
        errors["minutes"] = "A visit lasts between 5 and 90 minutes."


def _plan_errors(*, school, kind, fields, hosts, observers, look_fors) -> dict:
    """Rules that hold for a cycle of this kind even as a draft."""
    errors: dict[str, str] = {}
    problem = fields.get("problem_of_practice")
    if not fields.get("title", "").strip():
        errors["title"] = "Give the cycle a name people will recognise."
    if kind == Kind.ROUNDS and problem is None:
        errors["problem_of_practice"] = (
            "Instructional rounds need a problem of practice."
        )
    if kind == Kind.MICRO and len(look_fors) != 1:
        errors["look_fors"] = (
            "A micro-observation has one tight focus: choose exactly one look-for."
        )
    if kind == Kind.MICRO and len(hosts) > 1:
        errors["hosts"] = "A micro-observation visits one classroom."
    if kind == Kind.LAB and len(hosts) > 1:
        errors["hosts"] = "A peer learning lab has one volunteer host."
    if kind == Kind.WALK and not fields.get("initiative", "").strip():
        errors["initiative"] = (
            "A learning walk is aligned to a school-wide initiative: name it."
        )
    size = fields.get("group_size")
    if kind == Kind.WALK and size is not None and size < 2:
        errors["group_size"] = "A group needs at least two people."
    both = {u.pk for u in hosts} & {u.pk for u in observers}
    if both and kind != Kind.SWAP:
        errors["observers"] = "A host cannot observe their own classroom."
    starts_on, ends_on = fields.get("starts_on"), fields.get("ends_on")
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = "The cycle cannot end before it starts."
    for look_for in look_fors:
        if look_for.is_archived:
            errors["look_fors"] = f"“{look_for}” is archived."
    if problem is not None and problem.school_id != school.pk:
        errors["problem_of_practice"] = "That problem of practice is not here."
    return errors


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


def _set_people(cycle, *, hosts, observers, facilitator):
    old_responses = {
        p.user_id: (p.host_response, p.responded_at)
        for p in cycle.memberships.filter(role=PartRole.HOST)
    }
    cycle.memberships.all().delete()
    rows = []
    for user in hosts:
        response, responded_at = old_responses.get(user.pk, ("", None))
        if cycle.kind == Kind.LAB and not response:
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
    if cycle.kind == Kind.WALK and cycle.group_size:
        walk_form_groups(cycle=cycle)


def _set_look_fors(cycle, look_fors):
    cycle.look_for_links.all().delete()
    CycleLookFor.objects.bulk_create(
        CycleLookFor(school=cycle.school, cycle=cycle, look_for=lf, position=i)
        for i, lf in enumerate(look_fors)
    )


def _plan_visits(
    cycle, *, by, hosts, observers, visit_date, start_time, minutes, period=None
):
    """Lay out the visits of a cycle as its type does them."""
    if visit_date is None or not hosts:
        return
    tz = cycle.school.tz
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

    if cycle.kind == Kind.SWAP:
        # Each pair visits each other, in a period the host teaches and the
        # guest plans when there is one: the experienced teacher hosts first.
        for host, guest in swap_pairs_for(cycle=cycle, teachers=hosts):
            for step, (a, b) in enumerate(((host, guest), (guest, host))):
                options = booking.swap_periods(
                    host=a, guest=b, day=visit_date, school=cycle.school
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
        return
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
    minutes: int = 15,
    debrief_at: dt.datetime | None = None,
    schedule: bool = False,
    **fields,
) -> Cycle:
    """Plan a cycle of one of the five kinds as a draft (or schedule it at once)."""
    if kind not in Kind.values:
        raise ValidationError({"kind": "Choose one of the five cycle types."})
    hosts, observers, look_fors = list(hosts), list(observers), list(look_fors)
    unknown = set(fields) - set(CYCLE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown cycle fields: {sorted(unknown)}")
    errors = _plan_errors(
        school=school,
        kind=kind,
        fields=fields,
        hosts=hosts,
        observers=observers,
        look_fors=look_fors,
    )
    _check_minutes(kind, minutes, errors)
    if errors:
        raise ValidationError(errors)
    if kind == Kind.LAB and fields.get("follow_up_days") is None:
        fields["follow_up_days"] = cycle_settings_for(school=school).lab_follow_up_days
    fields = {k: v for k, v in fields.items() if v is not None}
    problem = fields.get("problem_of_practice")
    cycle = Cycle.objects.create(
        school=school,
        kind=kind,
        created_by=by,
        problem_version=problem.versions.order_by("-number").first()
        if problem
        else None,
        **fields,
    )
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
    if kind != Kind.MICRO:
        Debrief.objects.create(school=school, cycle=cycle, due_at=debrief_at)
    if schedule:
        cycle = cycle_schedule(cycle=cycle, by=by)
    return cycle


@transaction.atomic
def cycle_update(
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
    """Edit a cycle's plan; possible until it is closed or cancelled.

    Before the visits start, a new date or time lays the visits out again and,
    for a scheduled cycle, books them again (the old bookings are cancelled).
    """
    if not cycle.is_open:
        raise ValidationError(
            {"__all__": "A closed or cancelled cycle can no longer be edited."}
        )
    unknown = set(fields) - set(CYCLE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown cycle fields: {sorted(unknown)}")
    old_layout = _layout(cycle)
    hosts = list(hosts) if hosts is not None else cycle.people(PartRole.HOST)
    observers = (
        list(observers) if observers is not None else cycle.people(PartRole.OBSERVER)
    )
    look_fors = (
        list(look_fors)
        if look_fors is not None
        else list(selectors.cycle_look_fors(cycle=cycle))
    )
    merged = {name: getattr(cycle, name) for name in CYCLE_FIELDS} | fields
    errors = _plan_errors(
        school=cycle.school,
        kind=cycle.kind,
        fields=merged,
        hosts=hosts,
        observers=observers,
        look_fors=look_fors,
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
        problem = cycle.problem_of_practice
        cycle.problem_version = (
            problem.versions.order_by("-number").first() if problem else None
        )
    minutes = minutes or next(
        (v.minutes for v in cycle.visits.all()), VISIT_MINUTES_DEFAULT
    )
    errors = {}
    _check_minutes(cycle.kind, minutes, errors)
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
        and not _same_layout(old_layout, wanted)
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
    start = (
        timezone.localtime(first.starts_at, cycle.school.tz).time().replace(tzinfo=None)
        if first.starts_at
        else None
    )
    return (
        first.date,
        first.period_id,
        start,
        first.minutes,
        frozenset(v.host_id for v in visits),
        frozenset(o.pk for v in visits for o in v.observers.all()),
    )


def _same_layout(old, wanted) -> bool:
    if old is None:
        return False
    date, period_id, start, minutes, hosts, observers = wanted
    if (date, minutes, hosts) != (old[0], old[3], old[4]):
        return False
    if period_id is not None and period_id != old[1]:
        return False
    if start is not None and start != old[2]:
        return False
    # Swap days pair their team members with each other, so no observer list.
    return not observers or observers == old[5]


def schedule_errors(cycle: Cycle) -> dict[str, str]:
    """Everything that stops this cycle from being scheduled, by form field."""
    errors: dict[str, str] = {}
    hosts = cycle.people(PartRole.HOST)
    observers = cycle.people(PartRole.OBSERVER)
    visits = list(cycle.visits.all())
    if cycle.facilitator_id is None:
        errors["facilitator"] = "Name who facilitates the cycle and its debrief."
    if not visits:
        errors["visit_date"] = "Plan at least one visit: pick a date and a time."
    if cycle.kind == Kind.ROUNDS:
        problem = cycle.problem_of_practice
        if problem is None:
            errors["problem_of_practice"] = (
                "Instructional rounds need a problem of practice."
            )
        elif not problem.passes_all_checks:
            errors["problem_of_practice"] = (
                "The problem of practice must pass all five quality checks before "
                "rounds are scheduled. Still unchecked: "
                + "; ".join(problem.unchecked())
                + "."
            )
        if len(hosts) < 2:
            errors["hosts"] = (
                "Rounds visit several classrooms: choose two or more hosts."
            )
        if len({v.date for v in visits}) > 1:
            errors["visit_date"] = "Rounds visit all classrooms in one block (one day)."
    if cycle.kind in (Kind.ROUNDS, Kind.LAB, Kind.WALK, Kind.MICRO) and not observers:
        errors["observers"] = "Choose who observes."
    if cycle.kind == Kind.LAB:
        not_yet = [
            p.user
            for p in cycle.memberships.all()
            if p.role == PartRole.HOST
            and p.host_response != CycleParticipant.HostResponse.ACCEPTED
        ]
        declined = [
            p.user
            for p in cycle.memberships.all()
            if p.role == PartRole.HOST
            and p.host_response == CycleParticipant.HostResponse.DECLINED
        ]
        if not hosts:
            errors["hosts"] = "A lab needs a volunteer host."
        elif declined:
            errors["hosts"] = (
                f"{_names(declined)} declined to host; choose another volunteer."
            )
        elif not_yet:
            errors["hosts"] = (
                f"{_names(not_yet)} has not agreed to host yet; hosting a lab is "
                "opt-in."
            )
        first = min((v.starts_at for v in visits if v.starts_at), default=None)
        if cycle.prebrief_at and first and cycle.prebrief_at >= first:
            errors["prebrief_at"] = "The pre-brief comes before the lesson."
        if not cycle.prebrief_goal.strip():
            errors["prebrief_goal"] = (
                "Share the instructional goal at the pre-brief, before the lesson."
            )
    if cycle.kind == Kind.SWAP:
        if len(hosts) < 2:
            errors["hosts"] = "A swap day needs at least two teachers to pair."
        over = selectors.swap_cap_breaches(cycle=cycle, users=hosts)
        if over:
            cap = cycle_settings_for(
                school=cycle.school
            ).swap_days_cap_per_teacher_per_year
            errors["hosts"] = (
                f"This would exceed the school's cap of {cap} swap days per teacher "
                f"this year for: {_names(over)}."
            )
    if cycle.kind == Kind.MICRO:
        if cycle.look_for_links.count() != 1:
            errors["look_fors"] = "A micro-observation needs exactly one look-for."
        if len(hosts) != 1:
            errors["hosts"] = "Choose the one classroom to visit."
        busy = _micro_observers_teaching(cycle, visits)
        if busy:
            errors["observers"] = (
                f"{_names(busy)} teaches then: a micro-observation happens in "
                "the observer's planning period."
            )
    if cycle.kind == Kind.WALK:
        if not cycle.initiative.strip():
            errors["initiative"] = "Name the initiative the walk is aligned to."
        if not cycle.group_size:
            errors["group_size"] = "Choose a group size so the walkers can be grouped."
    for visit in visits:
        if cycle.kind in (Kind.ROUNDS, Kind.MICRO) and not (
            VISIT_MINUTES_MIN <= visit.minutes <= VISIT_MINUTES_MAX
        ):
            errors["minutes"] = "Visits in this cycle type last 10-15 minutes."
    return errors


def _micro_observers_teaching(cycle, visits) -> list:
    busy = []
    for visit in visits:
        if visit.starts_at is None:
            continue
        start = timezone.localtime(visit.starts_at, cycle.school.tz).time()
        end = (
            dt.datetime.combine(visit.date, start) + timedelta(minutes=visit.minutes)
        ).time()
        for observer in visit.observers.all():
            if booking.teaching_during(
                user=observer, day=visit.date, start=start, end=end, school=cycle.school
            ):
                busy.append(observer)
    return busy


def _record(cycle, to_status, by, note=""):
    CycleTransition.objects.create(
        school=cycle.school,
        cycle=cycle,
        from_status=cycle.status,
        to_status=to_status,
        by=by,
        note=note,
    )
    cycle.status = to_status
    cycle.save(update_fields=["status", "updated_at"])


@transaction.atomic
def cycle_transition(*, cycle: Cycle, to_status: str, by, note: str = "") -> Cycle:
    """Move a cycle along draft → scheduled → in progress → debriefed → closed."""
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if not rules.can_move(cycle.status, to_status):
        raise ValidationError(
            {
                "status": f"A {cycle.get_status_display().lower()} cycle cannot "
                f"become {Status(to_status).label.lower()}."
            }
        )
    if to_status == Status.SCHEDULED:
        errors = schedule_errors(cycle)
        if errors:
            raise ValidationError(errors)
        # The schedule decides whether the visits can happen then: a conflict
        # refuses the whole plan, naming each visit and who is busy.
        booking.book_visits(cycle, by=by)
        booking.book_debrief(cycle, by=by)
        booking.book_prebrief(cycle, by=by)
    if to_status == Status.CANCELLED:
        booking.cancel_bookings(cycle, by=by)
    if to_status == Status.DEBRIEFED:
        not_held = cycle.debriefs.filter(held_at__isnull=True).count()
        if not_held:
            raise ValidationError(
                {
                    "held_at": "Record the debrief first: open it, write what the "
                    "group concluded and tick that it has been held."
                }
            )
    if to_status == Status.CLOSED and cycle.problem_of_practice_id:
        # Freeze the problem's text as it stood: later edits make new versions.
        cycle.problem_version = cycle.problem_of_practice.versions.order_by(
            "-number"
        ).first()
        cycle.save(update_fields=["problem_version"])
    _record(cycle, to_status, by, note)
    cycle_reminders_sync(cycle)
    return cycle


def cycle_schedule(*, cycle: Cycle, by) -> Cycle:
    """Schedule a draft cycle after checking its type's rules."""
    return cycle_transition(cycle=cycle, to_status=Status.SCHEDULED, by=by)


@transaction.atomic
def host_respond(*, cycle: Cycle, user, accept: bool) -> CycleParticipant:
    """A lab host agrees to open their room, or declines; only they can answer."""
    part = CycleParticipant.objects.filter(
        cycle=cycle, user=user, role=PartRole.HOST
    ).first()
    if part is None:
        raise ValidationError({"__all__": "You are not a host in this cycle."})
    if not cycle.is_open:
        raise ValidationError({"__all__": "This cycle is no longer open."})
    part.host_response = (
        CycleParticipant.HostResponse.ACCEPTED
        if accept
        else CycleParticipant.HostResponse.DECLINED
    )
    part.responded_at = timezone.now()
    part.save(update_fields=["host_response", "responded_at"])
    return part


@transaction.atomic
def walk_form_groups(*, cycle: Cycle) -> list[list]:
    """Put a walk's observers into mixed groups of the cycle's group size."""
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


# --- Visits and debriefs ------------------------------------------------------------


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
    """Add one visit to a cycle; a micro-observation's debrief is due 24 h after."""
    errors: dict[str, str] = {}
    _check_minutes(cycle.kind, minutes, errors)
    if host.pk in {o.pk for o in observers}:
        errors["observers"] = "A host cannot observe their own classroom."
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
    if cycle.kind == Kind.MICRO:
        Debrief.objects.create(
            school=cycle.school,
            cycle=cycle,
            visit=visit,
            due_at=micro_debrief_due(visit),
        )
    return visit


def micro_debrief_due(visit: Visit) -> dt.datetime:
    """A micro-observation's debrief is due 24 hours after the visit ends."""
    if visit.starts_at is not None:
        end = visit.ends_at
    else:
        end = dt.datetime.combine(visit.date, dt.time(15, 0), tzinfo=visit.school.tz)
    return end + timedelta(hours=MICRO_DEBRIEF_HOURS)


@transaction.atomic
def debrief_record(
    *,
    debrief: Debrief,
    by,
    held_at: dt.datetime | None = None,
    attendees=None,
    group_steps: dict[int, str] | None = None,
    **fields,
) -> Debrief:
    """Save what a debrief concluded, in the protocol of the cycle's type."""
    cycle = debrief.cycle
    allowed = {
        Kind.ROUNDS: {"describe", "analyze", "predict", "next_level_of_work"},
        Kind.LAB: {"reflection", "patterns", "wonderings"},
        Kind.SWAP: {"reflection"},
        Kind.MICRO: {"reflection", "next_step"},
        Kind.WALK: {"patterns", "wonderings"},
    }[cycle.kind] | {"patterns", "wonderings"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(
            dict.fromkeys(unknown, "This cycle type's debrief has no such field.")
        )
    errors = {}
    if held_at is not None and held_at > timezone.now() + timedelta(minutes=5):
        errors["held_at"] = "A debrief cannot be held in the future."
    if cycle.kind == Kind.WALK and held_at is not None:
        groups = selectors.walk_group_numbers(cycle=cycle)
        steps = {n: (group_steps or {}).get(n, "").strip() for n in groups}
        missing = [n for n, text in steps.items() if not text]
        if missing:
            errors["group_steps"] = (
                "Each group records exactly one next step. Missing for group "
                + ", ".join(str(n) for n in missing)
                + "."
            )
    if errors:
        raise ValidationError(errors)
    for name, value in fields.items():
        setattr(debrief, name, (value or "").strip())
    debrief.held_at = held_at
    debrief.save()
    if attendees is not None:
        debrief.attendees.set(attendees)
    if group_steps:
        for number, text in group_steps.items():
            if text.strip():
                WalkNextStep.objects.update_or_create(
                    debrief=debrief,
                    group_number=number,
                    defaults={"school": debrief.school, "next_step": text.strip()},
                )
    cycle_reminders_sync(cycle)
    return debrief


@transaction.atomic
def lab_series_create(*, school, by, title: str, inquiry: str) -> LabSeries:
    """Start a series of labs that share one inquiry."""
    errors = {}
    if not title.strip():
        errors["title"] = "Name the series."
    if not inquiry.strip():
        errors["inquiry"] = "State the inquiry the labs share."
    if errors:
        raise ValidationError(errors)
    return LabSeries.objects.create(
        school=school, title=title.strip(), inquiry=inquiry.strip()
    )
