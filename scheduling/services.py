"""Writes to the schedule: planning, moving and cancelling bookings, coverage, tokens.

Every booking (a cycle's visit, pre-brief or debrief, or a plain visit) goes
through booking_plan / booking_move so that the same rules hold everywhere:
nothing is booked that the bell schedule makes impossible (product principle 5).
The rules themselves live in scheduling.conflicts; the names callers use are
re-exported here.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from scheduling import selectors
from scheduling.conflicts import (
    SUBSTITUTE,
    BookingConflict,
    Conflict,
    CoverageOption,
    Slot,
    booking_check,
    booking_suggestions,
    coverage_suggestions,
    coverer_conflicts,
    find_conflicts,
    load_day,
    normalise_coverage,
    overlaps,
    participant_pairs,
    people_of,
    resolve_when,
    uncovered_sections,
)
from scheduling.models import Booking, BookingPerson, CalendarToken, Coverage
from scheduling.reminders import booking_reminders_sync

MAX_BOOKING_MINUTES = 8 * 60

__all__ = [
    "SUBSTITUTE",
    "BookingConflict",
    "Conflict",
    "CoverageOption",
    "Slot",
    "booking_cancel",
    "booking_check",
    "booking_move",
    "booking_plan",
    "booking_suggestions",
    "calendar_token_issue",
    "calendar_token_regenerate",
    "calendar_token_revoke",
    "coverage_assign",
    "coverage_suggestions",
]


def _validate_basics(*, kind, title, minutes):
    errors = {}
    if kind not in Booking.Kind.values:
        errors["kind"] = "Choose a visit, pre-brief, debrief or meeting."
    if not (title or "").strip():
        errors["title"] = "Give the booking a title."
    if not (1 <= int(minutes) <= MAX_BOOKING_MINUTES):
        errors["minutes"] = f"Choose between 1 and {MAX_BOOKING_MINUTES} minutes."
    if errors:
        raise ValidationError(errors)


def _plan_or_refuse(
    *,
    school,
    kind,
    date,
    period,
    start_time,
    minutes,
    host,
    participants,
    room,
    coverage,
    exclude_id,
    window_override_reason,
):
    facts = load_day(school, date)
    plan = normalise_coverage(coverage)
    conflicts, when = find_conflicts(
        facts,
        kind=kind,
        period=period,
        start_time=start_time,
        minutes=minutes,
        host=host,
        participants=participants,
        room=room,
        covered=set(plan),
        exclude_id=exclude_id,
        window_override_reason=window_override_reason,
    )
    participant_ids = {u.pk for u, _ in participants} | ({host.pk} if host else set())
    if when is not None:
        # Cover is only for people who teach then; a move into a planning
        # period drops it rather than holding a colleague for nothing.
        plan = {
            observer_id: cover
            for observer_id, cover in plan.items()
            if uncovered_sections(facts, observer_id, when, exclude_id)
        }
    conflicts += coverer_conflicts(facts, when, plan, participant_ids, exclude_id)
    if conflicts:
        suggestions = booking_suggestions(
            school=school,
            date=date,
            period=when.period if when else period,
            start_time=start_time,
            minutes=minutes,
            kind=kind,
            host=host,
            participants=participants,
            room=room,
            exclude_id=exclude_id,
            window_override_reason=window_override_reason,
        )
        raise BookingConflict(conflicts, suggestions)
    if room is None and kind == Booking.Kind.VISIT and host is not None:
        first = when.overlapping[0] if when.overlapping else None
        section = facts.teaching.get((host.pk, first.number)) if first else None
        room = section.room if section else None
    return facts, when, plan, room


def _write_coverage(booking, facts, when, participants, plan):
    booking.coverages.all().delete()
    rows = []
    for user, _role in participants:
        cover = plan.get(user.pk)
        if cover is None:
            continue
        for _p, section in uncovered_sections(facts, user.pk, when, booking.pk):
            rows.append(
                Coverage(
                    school=booking.school,
                    booking=booking,
                    observer=user,
                    section=section,
                    covered_by=None if cover == SUBSTITUTE else cover,
                    needs_substitute=cover == SUBSTITUTE,
                )
            )
    Coverage.objects.bulk_create(rows)


@transaction.atomic
def booking_plan(
    *,
    school,
    by,
    kind,
    title,
    date,
    period=None,
    start_time=None,
    minutes=15,
    host=None,
    observers=(),
    facilitator=None,
    attendees=(),
    room=None,
    coverage=None,
    window_override_reason="",
    description="",
) -> Booking:
    """Book people, a room and a time, or refuse with BookingConflict.

    coverage maps each observer who teaches then to a colleague or SUBSTITUTE.
    """
    _validate_basics(kind=kind, title=title, minutes=minutes)
    participants = participant_pairs(
        observers=observers, facilitator=facilitator, attendees=attendees
    )
    participants = [(u, r) for u, r in participants if u != host]
    facts, when, plan, room = _plan_or_refuse(
        school=school,
        kind=kind,
        date=date,
        period=period,
        start_time=start_time,
        minutes=minutes,
        host=host,
        participants=participants,
        room=room,
        coverage=coverage,
        exclude_id=None,
        window_override_reason=window_override_reason,
    )
    booking = Booking.objects.create(
        school=school,
        kind=kind,
        title=title.strip(),
        description=description,
        date=date,
        period=when.period,
        starts_at=facts.aware(when.start),
        ends_at=facts.aware(when.end),
        room=room,
        host=host,
        created_by=by,
        window_override_reason=window_override_reason.strip(),
    )
    people = [(host, BookingPerson.Role.HOST)] if host else []
    BookingPerson.objects.bulk_create(
        BookingPerson(school=school, booking=booking, user=user, role=role)
        for user, role in people + participants
    )
    _write_coverage(booking, facts, when, participants, plan)
    booking_reminders_sync(booking)
    return booking


def _participants_of(booking):
    return [
        (person.user, person.role)
        for person in booking.people.select_related("user")
        if person.role != BookingPerson.Role.HOST
    ]


@transaction.atomic
def booking_move(
    *,
    booking,
    by,
    date,
    period=None,
    start_time=None,
    minutes=None,
    room=None,
    coverage=None,
    window_override_reason=None,
) -> Booking:
    """Move a booking to another time; its coverage follows unless replaced."""
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.is_cancelled:
        raise ValidationError({"__all__": "A cancelled booking cannot be moved."})
    minutes = minutes or booking.minutes
    participants = _participants_of(booking)
    if coverage is None:
        coverage = {}
        for cover in booking.coverages.select_related("covered_by"):
            coverage[cover.observer_id] = cover.covered_by or SUBSTITUTE
    if window_override_reason is None:
        window_override_reason = booking.window_override_reason
    if room is None and booking.kind != Booking.Kind.VISIT:
        room = booking.room
    facts, when, plan, room = _plan_or_refuse(
        school=booking.school,
        kind=booking.kind,
        date=date,
        period=period,
        start_time=start_time,
        minutes=minutes,
        host=booking.host,
        participants=participants,
        room=room,
        coverage=coverage,
        exclude_id=booking.pk,
        window_override_reason=window_override_reason,
    )
    booking.date = date
    booking.period = when.period
    booking.starts_at = facts.aware(when.start)
    booking.ends_at = facts.aware(when.end)
    booking.room = room
    booking.window_override_reason = window_override_reason.strip()
    booking.sequence += 1
    booking.save()
    _write_coverage(booking, facts, when, participants, plan)
    booking_reminders_sync(booking)
    return booking


@transaction.atomic
def booking_cancel(*, booking, by) -> Booking:
    """Cancel a booking; feeds keep it as STATUS:CANCELLED so calendars drop it."""
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.is_cancelled:
        return booking
    booking.status = Booking.Status.CANCELLED
    booking.sequence += 1
    booking.save(update_fields=["status", "sequence", "updated_at"])
    _hand_over_cover(booking)
    booking_reminders_sync(booking)
    return booking


def _hand_over_cover(cancelled):
    """Give a cancelled booking's cover to another visit that still needs it."""
    covers = list(cancelled.coverages.select_related("section__period"))
    if not covers:
        return
    facts = load_day(cancelled.school, cancelled.date)
    for cover in covers:
        if cover.section_id is None:
            continue
        period = facts.class_periods.get(cover.section.period.number)
        if period is None:
            continue
        start, end = facts.aware(period.starts_at), facts.aware(period.ends_at)
        heir = next(
            (
                b
                for b in facts.bookings
                if cover.observer_id in people_of(b)
                and overlaps(start, end, b.starts_at, b.ends_at)
            ),
            None,
        )
        if heir is not None:
            cover.booking = heir
            cover.save(update_fields=["booking"])
            Booking.objects.filter(pk=heir.pk).update(sequence=heir.sequence + 1)
            booking_reminders_sync(heir)


@transaction.atomic
def coverage_assign(*, coverage, covered_by=None, by) -> Coverage:
    """Give one covered class to a colleague, or (covered_by=None) a substitute."""
    coverage = Coverage.objects.select_related("booking").get(pk=coverage.pk)
    booking = coverage.booking
    if covered_by is not None:
        facts = load_day(booking.school, booking.date)
        conflicts: list[Conflict] = []
        period = None
        if coverage.section_id:
            period = facts.class_periods.get(coverage.section.period.number)
        start = timezone.localtime(booking.starts_at, booking.school.tz).time()
        when = resolve_when(facts, period, start, booking.minutes, conflicts)
        others_covering = {
            c.covered_by_id
            for c in booking.coverages.all()
            if c.covered_by_id and c.observer_id != coverage.observer_id
        }
        conflicts += coverer_conflicts(
            facts,
            when,
            {coverage.observer_id: covered_by},
            people_of(booking) | others_covering,
            booking.pk,
        )
        if conflicts:
            raise BookingConflict(conflicts)
    coverage.covered_by = covered_by
    coverage.needs_substitute = covered_by is None
    coverage.save(update_fields=["covered_by", "needs_substitute"])
    Booking.objects.filter(pk=booking.pk).update(sequence=booking.sequence + 1)
    booking_reminders_sync(booking)
    return coverage


# --- calendar feed tokens -----------------------------------------------------


@transaction.atomic
def calendar_token_issue(*, school, user) -> CalendarToken:
    """The person's live feed token here, created on first use."""
    token = selectors.calendar_token_for(school=school, user=user)
    return token or CalendarToken.objects.create(school=school, user=user)


@transaction.atomic
def calendar_token_regenerate(*, school, user) -> CalendarToken:
    """Revoke the live token (its address then answers 404) and issue a new one."""
    calendar_token_revoke(school=school, user=user)
    return CalendarToken.objects.create(school=school, user=user)


@transaction.atomic
def calendar_token_revoke(*, school, user) -> int:
    """Revoke the person's live token; returns how many were revoked."""
    return CalendarToken.objects.filter(
        school=school, user=user, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
