"""Booking a cycle's visits, pre-brief and debrief through the master schedule.

The schedule (scheduling.services) owns conflicts, coverage and calendars; this
module turns a cycle's plan into bookings and its refusals into field errors.
(It was cycles/booking.py; the reads it had are in cycles.selectors.)
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

from cycles.kinds import DebriefDue, spec_for
from cycles.models import CycleParticipant
from jel.dates import add_minutes
from scheduling import selectors as schedule
from scheduling import services as booking_services
from scheduling.day_facts import calendar_reads
from scheduling.models import Booking
from scheduling.services import BookingConflict, BookingRequest

DEBRIEF_MINUTES = 45
FACILITATOR = CycleParticipant.Role.FACILITATOR


def _local_time(moment: dt.datetime, school) -> dt.time:
    return timezone.localtime(moment, school.tz).time().replace(tzinfo=None)


def cover_plan(visit, *, facilitator=None) -> dict:
    """Who covers each observer who teaches during the visit.

    A free colleague, fairest first (the schedule's rotation); a substitute is
    the last resort, when no colleague is free then. In rounds an observer
    leaves one class for the block's visits in that period: the colleague who
    covers it for the first visit covers the whole period (a colleague already
    covering then is busy, so one is never asked for two classes at once).
    """
    school = visit.school
    start = _local_time(visit.starts_at, school)
    return schedule.cover_plan_for(
        BookingRequest(
            school=school,
            date=visit.date,
            period=visit.period,
            start_time=start,
            minutes=visit.minutes,
            host=visit.host,
            observers=list(visit.observers.all()),
            facilitator=facilitator,
        ),
    )


def _describe(conflict_error: BookingConflict) -> str:
    text = " ".join(c.reason for c in conflict_error.conflicts)
    if conflict_error.suggestions:
        text += " Free then: " + ", ".join(
            s.label for s in conflict_error.suggestions[:3]
        )
        text += "."
    return text


def book_visits(cycle, *, by) -> None:
    """Book every unbooked visit of a cycle, or refuse with every conflict named."""
    # The visits share their day: its calendar is read once (bookings afresh).
    with calendar_reads():
        _book_visits(cycle, by=by)


def _book_visits(cycle, *, by) -> None:
    problems = []
    with_facilitator = spec_for(cycle.kind).facilitator_at_visits
    for visit in cycle.visits.select_related("host", "period").prefetch_related(
        "observers"
    ):
        if visit.booking_id is not None:
            continue
        info = schedule.day_info(school=cycle.school, day=visit.date)
        if not info.is_school_day:
            # Checked here too: the schedule's search for free slots needs a
            # school year to search in.
            problems.append(
                f"{visit.date:%A %-d %B %Y} is not a school day ({info.why_not})."
            )
            continue
        if visit.starts_at is None and visit.period is None:
            problems.append(f"The visit to {visit.host} needs a period or a time.")
            continue
        # The slot at that day's times: a late start moves every period.
        visit.period = (
            schedule.period_on(school=cycle.school, day=visit.date, period=visit.period)
            or visit.period
        )
        start = (
            _local_time(visit.starts_at, cycle.school)
            if visit.starts_at is not None
            else visit.period.starts_at
        )
        if visit.starts_at is None:
            visit.starts_at = dt.datetime.combine(
                visit.date, start, tzinfo=cycle.school.tz
            )
        if visit.period is None:
            # A visit watches a class: name the period its start falls in.
            visit.period = next(
                (
                    p
                    for p in schedule.class_periods_on(
                        school=cycle.school, day=visit.date
                    )
                    if p.starts_at <= start < p.ends_at
                ),
                None,
            )
        coverage = (
            cover_plan(
                visit, facilitator=cycle.facilitator if with_facilitator else None
            )
            if cycle.arrange_cover
            else None
        )
        try:
            booking = booking_services.booking_plan(
                BookingRequest(
                    school=cycle.school,
                    by=by,
                    kind=Booking.Kind.VISIT,
                    title=f"{cycle.get_kind_display()}: {cycle.title}",
                    description=cycle.focus,
                    date=visit.date,
                    period=visit.period,
                    start_time=start,
                    minutes=visit.minutes,
                    host=visit.host,
                    observers=list(visit.observers.all()),
                    facilitator=cycle.facilitator if with_facilitator else None,
                    room=visit.room,
                    coverage=coverage,
                    window_override_reason=cycle.window_override_reason,
                )
            )
        except BookingConflict as refused:
            problems.append(
                f"Visit to {visit.host} at {start:%H:%M}: {_describe(refused)}"
            )
            continue
        visit.booking = booking
        visit.period = booking.period
        visit.room = booking.room
        visit.starts_at = booking.starts_at
        visit.save(update_fields=["booking", "period", "room", "starts_at"])
    if problems:
        raise ValidationError({"visit_date": problems})


# How far ahead the default debrief looks for a free PLC time.
PLC_WEEKS_AHEAD = 8
# The lab's facilitated reflection, right after the lesson.
REFLECTION_MINUTES = 30


def plc_times(team, after: dt.date, school, *, weeks=PLC_WEEKS_AHEAD):
    """(date, period, start, minutes) of the team's PLC meetings from a date on,
    at each day's times (a late-start day moves a PLC held in a period)."""
    if team is None or team.plc_day_of_week is None:
        return
    if team.plc_period_id is None and team.plc_starts_at is None:
        return
    day = after + dt.timedelta(days=(team.plc_day_of_week - after.weekday()) % 7)
    for _ in range(weeks):
        info = schedule.day_info(school=school, day=day)
        if info.is_school_day:
            period = schedule.period_on(school=school, day=day, period=team.plc_period)
            if team.plc_period_id is None or period is not None:
                start = team.plc_starts_at or period.starts_at
                if team.plc_ends_at and team.plc_starts_at:
                    end = team.plc_ends_at
                elif period is not None:
                    end = period.ends_at
                else:
                    end = add_minutes(start, DEBRIEF_MINUTES)
                minutes = (
                    dt.datetime.combine(day, end) - dt.datetime.combine(day, start)
                ).seconds // 60
                yield day, period, start, minutes
        day += dt.timedelta(days=7)


def next_plc_time(team, after: dt.date, school):
    """(date, period, start, minutes) of the team's next PLC meeting from a date."""
    return next(plc_times(team, after, school, weeks=9), None)


def _after_lesson_times(visits, school):
    """(date, None, start, minutes) right after the lesson, then at the start of
    each later class period that day, then after the last one (after school)."""
    last = max(visits, key=lambda v: v.ends_at or v.starts_at)
    end = last.ends_at or last.starts_at
    day = timezone.localtime(end, school.tz).date()
    lesson_end = _local_time(end, school)
    yield day, None, lesson_end, REFLECTION_MINUTES
    periods = schedule.class_periods_on(school=school, day=day)
    for p in periods:
        if p.starts_at > lesson_end:
            yield day, None, p.starts_at, REFLECTION_MINUTES
    if periods and periods[-1].ends_at > lesson_end:
        yield day, None, periods[-1].ends_at, REFLECTION_MINUTES


def _debrief_people(cycle) -> list:
    """The cycle's people but its facilitator (who is booked as facilitator)."""
    memberships = (
        cycle.memberships.all()
        if "memberships" in getattr(cycle, "_prefetched_objects_cache", {})
        else cycle.memberships.select_related("user")
    )
    return [p.user for p in memberships if p.role != FACILITATOR]


def _debrief_request(
    cycle, *, by, day, period, start, minutes, people=None
) -> BookingRequest:
    if people is None:
        people = _debrief_people(cycle)
    return BookingRequest(
        school=cycle.school,
        by=by,
        kind=Booking.Kind.DEBRIEF,
        title=f"Debrief: {cycle.title}",
        date=day,
        period=period,
        start_time=start,
        minutes=minutes,
        facilitator=cycle.facilitator,
        attendees=people,
    )


def _default_debrief_times(cycle, visits):
    """Where a debrief goes when nobody chose its time, best first: a lab's
    reflection right after the lesson; else the team's PLC times from the day
    after the visits (the next free one is taken)."""
    school = cycle.school
    if spec_for(cycle.kind).debrief.due == DebriefDue.AFTER_LESSON and visits:
        yield from _after_lesson_times(visits, school)
    last_day = max((v.date for v in visits), default=timezone.localdate())
    yield from plc_times(cycle.team, last_day + dt.timedelta(days=1), school)
    if visits:
        # No (free) PLC time: the first time after the visits that the
        # facilitator and the participants share (after school at the latest).
        for day, period, start, _ in _after_lesson_times(visits, school):
            yield day, period, start, DEBRIEF_MINUTES


def book_debrief(cycle, *, by) -> None:
    """Book the cycle's debrief with its people: at its chosen time, else at the
    first default time that is free (right after a lab's lesson, the team's
    next free PLC time, or the first shared free time after the visits)."""
    with calendar_reads():
        _book_debrief(cycle, by=by)


def _book_debrief(cycle, *, by) -> None:
    debrief = cycle.debriefs.filter(visit__isnull=True).first()
    if debrief is None or debrief.booking_id is not None:
        return
    school = cycle.school
    visits = [v for v in cycle.visits.all() if v.starts_at is not None]
    if debrief.due_at is not None:
        local = timezone.localtime(debrief.due_at, school.tz)
        day = local.date()
        info = schedule.day_info(school=school, day=day)
        if not info.is_school_day:
            raise ValidationError(
                {
                    "debrief_at": f"{day:%A %-d %B %Y} is not a school day "
                    f"({info.why_not})."
                }
            )
        request = _debrief_request(
            cycle,
            by=by,
            day=day,
            period=None,
            start=local.time().replace(tzinfo=None),
            minutes=DEBRIEF_MINUTES,
        )
        try:
            booking = booking_services.booking_plan(request)
        except BookingConflict as refused:
            raise ValidationError(
                {
                    "debrief_at": "The debrief cannot be booked then: "
                    f"{_describe(refused)}"
                }
            ) from refused
    else:
        booking = None
        people = _debrief_people(cycle)  # read once for every time tried
        for day, period, start, minutes in _default_debrief_times(cycle, visits):
            request = _debrief_request(
                cycle,
                by=by,
                day=day,
                period=period,
                start=start,
                minutes=minutes,
                people=people,
            )
            if schedule.booking_check(request):
                continue  # taken (another cycle's debrief, a class): the next
            booking = booking_services.booking_plan(request)
            break
        if booking is None:
            if spec_for(cycle.kind).debrief.due == DebriefDue.AFTER_LESSON and visits:
                # Nobody is free for it that day: it is still due when the
                # lesson ends, and the facilitator picks a time.
                debrief.due_at = max(v.ends_at or v.starts_at for v in visits)
                debrief.save(update_fields=["due_at"])
            return
    debrief.booking = booking
    debrief.due_at = booking.starts_at
    debrief.save(update_fields=["booking", "due_at"])


def cancel_bookings_of_visits(cycle, *, by) -> None:
    for visit in cycle.visits.exclude(booking=None).select_related("booking"):
        booking_services.booking_cancel(booking=visit.booking, by=by)


def cancel_debrief_booking(debrief, *, by) -> None:
    if debrief.booking_id is not None:
        booking_services.booking_cancel(booking=debrief.booking, by=by)
        debrief.booking = None
        debrief.save(update_fields=["booking"])


def cancel_prebrief_booking(cycle, *, by) -> None:
    if cycle.prebrief_booking_id is not None:
        booking_services.booking_cancel(booking=cycle.prebrief_booking, by=by)
        cycle.prebrief_booking = None


def cancel_bookings(cycle, *, by) -> None:
    """Cancel every booking of a cycle; calendars drop them."""
    cancel_bookings_of_visits(cycle, by=by)
    if cycle.prebrief_booking_id is not None:
        booking_services.booking_cancel(booking=cycle.prebrief_booking, by=by)
    for debrief in cycle.debriefs.exclude(booking=None).select_related("booking"):
        booking_services.booking_cancel(booking=debrief.booking, by=by)


def book_prebrief(cycle, *, by) -> None:
    """Book a lab's pre-brief with the host, observers and facilitator."""
    if cycle.prebrief_at is None or cycle.prebrief_booking_id is not None:
        return
    school = cycle.school
    local = timezone.localtime(cycle.prebrief_at, school.tz)
    info = schedule.day_info(school=school, day=local.date())
    if not info.is_school_day:
        raise ValidationError(
            {"prebrief_at": f"{local:%A %-d %B %Y} is not a school day."}
        )
    people = _debrief_people(cycle)
    try:
        booking = booking_services.booking_plan(
            BookingRequest(
                school=school,
                by=by,
                kind=Booking.Kind.PREBRIEF,
                title=f"Pre-brief: {cycle.title}",
                description=cycle.prebrief_goal,
                date=local.date(),
                start_time=local.time().replace(tzinfo=None),
                minutes=20,
                facilitator=cycle.facilitator,
                attendees=people,
            )
        )
    except BookingConflict as refused:
        message = f"The pre-brief cannot be booked then: {_describe(refused)}"
        raise ValidationError({"prebrief_at": message}) from refused
    cycle.prebrief_booking = booking
    cycle.save(update_fields=["prebrief_booking"])
