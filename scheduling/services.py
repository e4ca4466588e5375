"""Writes to the schedule: planning, moving and cancelling bookings, coverage, tokens.

Every booking (a cycle's visit, pre-brief or debrief, or a plain visit) goes
through booking_plan / booking_move so that the same rules hold everywhere:
nothing is booked that the bell schedule makes impossible (product principle 5).
A booking is asked for with a BookingRequest; the rules live in
scheduling.conflict_rules, the suggestions in scheduling.suggestions, and the
names callers have always used are re-exported here.
"""

import hashlib

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from jel.concurrency import StaleEdit, claim_edit
from jel.models import OutboundEmail
from jel.services import outbound_queue
from scheduling import selectors
from scheduling.booking_request import SUBSTITUTE, BookingRequest
from scheduling.conflict_rules import (
    BookingConflict,
    Conflict,
    booking_check,
    coverer_conflicts,
    find_conflicts,
    resolve_when,
)
from scheduling.day_facts import (
    calendar_reads,
    free_to_cover,
    load_day,
    overlaps,
    people_of,
    uncovered_sections,
)
from scheduling.models import (
    Booking,
    BookingPerson,
    CalendarToken,
    Coverage,
    CoverRelease,
    DayType,
    ObservationWindow,
    Period,
    SchoolDay,
)
from scheduling.reminders import booking_reminders_sync
from scheduling.suggestions import (
    CoverageOption,
    Slot,
    booking_suggestions,
    coverage_suggestions,
)

MAX_BOOKING_MINUTES = 8 * 60

# school_day_set called without a seen version (imports, the demo): no check.
_UNSEEN = object()

__all__ = [
    "SUBSTITUTE",
    "BookingConflict",
    "BookingRequest",
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


def _validate_basics(request: BookingRequest):
    errors = {}
    if request.kind not in Booking.Kind.values:
        errors["kind"] = "Choose a visit, pre-brief, debrief or meeting."
    if not (request.title or "").strip():
        errors["title"] = "Give the booking a title."
    if not (1 <= int(request.minutes) <= MAX_BOOKING_MINUTES):
        errors["minutes"] = f"Choose between 1 and {MAX_BOOKING_MINUTES} minutes."
    if errors:
        raise ValidationError(errors)


def _plan_or_refuse(request: BookingRequest):
    """(facts, when, cover plan, room) of a request that fits, or BookingConflict."""
    facts = load_day(request.school, request.date)
    exclude_id = request.exclude_booking_id
    conflicts, when = find_conflicts(facts, request)
    plan = request.coverage
    if when is not None:
        # Cover is only for people who teach then; a move into a planning
        # period drops it rather than holding a colleague for nothing.
        plan = {
            observer_id: cover
            for observer_id, cover in plan.items()
            if uncovered_sections(facts, observer_id, when, exclude_id)
        }
    conflicts += coverer_conflicts(
        facts, when, plan, taken=request.people_ids, exclude_id=exclude_id
    )
    if conflicts:
        period = when.period if when else request.period
        raise BookingConflict(
            conflicts, booking_suggestions(request.but(period=period))
        )
    room = request.room
    if room is None and request.is_visit and request.host is not None:
        first = when.overlapping[0] if when.overlapping else None
        section = facts.teaching.get((request.host.pk, first.number)) if first else None
        room = section.room if section else None
    return facts, when, plan, room


def _coverers(booking) -> dict:
    """{(observer id, colleague id): section id} of a booking's covered classes."""
    return {
        (observer_id, covered_by_id): section_id
        for observer_id, covered_by_id, section_id in booking.coverages.filter(
            covered_by__isnull=False
        ).values_list("observer_id", "covered_by_id", "section_id")
    }


def _note_cover_changes(booking, before: dict) -> None:
    """Remember who stopped covering a class at a booking (their calendar shows
    the duty cancelled), and forget it for whoever covers it again."""
    now = _coverers(booking)
    for (observer_id, released_id), section_id in before.items():
        if (observer_id, released_id) not in now:
            CoverRelease.objects.update_or_create(
                booking=booking,
                observer_id=observer_id,
                released_id=released_id,
                defaults={
                    "school": booking.school,
                    "section_id": section_id,
                    "released_at": timezone.now(),
                },
            )
    for observer_id, covered_by_id in now:
        CoverRelease.objects.filter(
            booking=booking, observer_id=observer_id, released_id=covered_by_id
        ).delete()


def substitute_reason(facts, when, *, taken, exclude_id=None) -> str:
    """Why a class gets a substitute rather than a colleague, for the plan."""
    free = free_to_cover(facts, when, taken=taken, exclude_id=exclude_id)
    if not free:
        return f"No colleague is free in {when.label()}."
    colleagues = "colleague was" if len(free) == 1 else "colleagues were"
    return f"Asked for by the planner ({len(free)} {colleagues} free)."


def _write_coverage(booking, facts, when, participants, plan):
    before = _coverers(booking)
    booking.coverages.all().delete()
    rows = []
    taken = people_of(booking) | {
        cover.pk for cover in plan.values() if cover != SUBSTITUTE
    }
    for user, _role in participants:
        cover = plan.get(user.pk)
        if cover is None:
            continue
        for _p, section in uncovered_sections(facts, user.pk, when, booking.pk):
            reason = ""
            if cover == SUBSTITUTE:
                reason = substitute_reason(
                    facts, when, taken=taken, exclude_id=booking.pk
                )
            rows.append(
                Coverage(
                    school=booking.school,
                    booking=booking,
                    observer=user,
                    section=section,
                    covered_by=None if cover == SUBSTITUTE else cover,
                    needs_substitute=cover == SUBSTITUTE,
                    substitute_reason=reason,
                )
            )
    Coverage.objects.bulk_create(rows)
    _note_cover_changes(booking, before)


@transaction.atomic
def booking_plan(request: BookingRequest | None = None, /, **fields) -> Booking:
    """Book people, a room and a time, or refuse with BookingConflict.

    Takes a BookingRequest (or its fields as keywords); its coverage maps each
    observer who teaches then to a colleague or SUBSTITUTE.
    """
    request = request or BookingRequest(**fields)
    _validate_basics(request)
    with calendar_reads():
        return _book(request)


def _book(request: BookingRequest) -> Booking:
    facts, when, plan, room = _plan_or_refuse(request)
    booking = Booking.objects.create(
        school=request.school,
        kind=request.kind,
        title=request.title.strip(),
        description=request.description,
        date=request.date,
        period=when.period,
        starts_at=facts.aware(when.start),
        ends_at=facts.aware(when.end),
        room=room,
        host=request.host,
        created_by=request.by,
        window_override_reason=request.window_override_reason.strip(),
    )
    BookingPerson.objects.bulk_create(
        BookingPerson(school=request.school, booking=booking, user=user, role=role)
        for user, role in request.everyone
    )
    _write_coverage(booking, facts, when, request.participants, plan)
    booking_reminders_sync(booking)
    return booking


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
    request = BookingRequest.for_move(
        booking,
        date=date,
        period=period,
        start_time=start_time,
        minutes=minutes,
        room=room,
        coverage=coverage,
        window_override_reason=window_override_reason,
    )
    facts, when, plan, room = _plan_or_refuse(request)
    booking.date = date
    booking.period = when.period
    booking.starts_at = facts.aware(when.start)
    booking.ends_at = facts.aware(when.end)
    booking.room = room
    booking.window_override_reason = request.window_override_reason.strip()
    booking.sequence += 1
    booking.save()
    _write_coverage(booking, facts, when, request.participants, plan)
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
    before = _coverers(cancelled)
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
            # Saved, not updated: the invite e-mailed next must carry the
            # SEQUENCE the feed has, and the feed's ETag must change.
            heir.sequence += 1
            heir.save(update_fields=["sequence", "updated_at"])
            booking_reminders_sync(heir)
    # A colleague whose cover went to another visit sees the old duty cancelled.
    _note_cover_changes(cancelled, before)


@transaction.atomic
def coverage_assign(*, coverage, covered_by=None, by) -> Coverage:
    """Give one covered class to a colleague, or (covered_by=None) a substitute."""
    coverage = Coverage.objects.select_related("booking").get(pk=coverage.pk)
    booking = Booking.objects.select_for_update().get(pk=coverage.booking_id)
    before = _coverers(booking)
    if covered_by is not None:
        facts = load_day(booking.school, booking.date)
        period = None
        if coverage.section_id:
            period = facts.class_periods.get(coverage.section.period.number)
        request = BookingRequest.for_booking(booking, period=period)
        when, conflicts = resolve_when(facts, request)
        others_covering = {
            c.covered_by_id
            for c in booking.coverages.all()
            if c.covered_by_id and c.observer_id != coverage.observer_id
        }
        conflicts += coverer_conflicts(
            facts,
            when,
            {coverage.observer_id: covered_by},
            taken=people_of(booking) | others_covering,
            exclude_id=booking.pk,
        )
        if conflicts:
            raise BookingConflict(conflicts)
    coverage.covered_by = covered_by
    coverage.needs_substitute = covered_by is None
    coverage.substitute_reason = ""
    if covered_by is None:
        facts = load_day(booking.school, booking.date)
        request = BookingRequest.for_booking(booking)
        when, _conflicts = resolve_when(facts, request)
        if when is not None:
            others_covering = {
                c.covered_by_id for c in booking.coverages.all() if c.covered_by_id
            }
            coverage.substitute_reason = substitute_reason(
                facts,
                when,
                taken=people_of(booking) | others_covering,
                exclude_id=booking.pk,
            )
    coverage.save(update_fields=["covered_by", "needs_substitute", "substitute_reason"])
    # Saved on this object, so the invites derived next carry the new SEQUENCE.
    booking.sequence += 1
    booking.save(update_fields=["sequence", "updated_at"])
    _note_cover_changes(booking, before)
    booking_reminders_sync(booking)
    return coverage


# --- the coverage plan for the office ---------------------------------------------


def _coverage_plan_version(covers) -> str:
    """Changes whenever a booking or a cover of the day's plan changes."""
    parts = sorted(
        f"{c.booking_id}.{c.booking.sequence}.{c.pk}.{c.covered_by_id or 'sub'}"
        for c in covers
    )
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def coverage_plan_email(*, school, day, to, sender) -> OutboundEmail:
    """E-mail the day's coverage plan to the office, through the outbox.

    The same plan to the same address is sent once (a double click changes
    nothing); a changed plan is a new e-mail.
    """
    covers = list(selectors.coverage_on(school=school, day=day))
    context = {"day": day, "covers": covers, "school": school, "sender": sender}
    version = _coverage_plan_version(covers)
    return outbound_queue(
        school=school,
        key=f"coverage-plan:{school.pk}:{day.isoformat()}:{to.lower()}:{version}",
        to=to,
        # One line whatever the school's name holds: it is an e-mail header.
        subject=" ".join(
            render_to_string(
                "scheduling/emails/coverage_plan_subject.txt", context
            ).split()
        ),
        text=render_to_string("scheduling/emails/coverage_plan.txt", context),
        html=render_to_string("scheduling/emails/coverage_plan.html", context),
        reply_to=sender,
    )


# --- editing the schedule -----------------------------------------------------------


@transaction.atomic
def day_type_save(
    *, school, day_type, periods, deleted, seen_version=None
) -> list[Period]:
    """Save a day type and its bell schedule; returns removed periods kept because
    sections meet in them. A page drawn before someone else's save: StaleEdit."""
    day_type.school = school
    if day_type.pk:
        # First, before any write: the name and every period are one edit.
        claim_edit(day_type, seen=seen_version)
    taken = DayType.objects.filter(school=school, name__iexact=day_type.name)
    if taken.exclude(pk=day_type.pk).exists():
        # The form says this too; here for two pages saving one new name at once.
        raise ValidationError(
            {"name": "The school already has a day type with this name."}
        )
    day_type.save()
    if day_type.is_default:
        # One usual day type: this one replaces the last.
        DayType.objects.exclude(pk=day_type.pk).update(is_default=False)
    for period in periods:
        period.school = school
        period.day_type = day_type
        period.save()
    kept = []
    for period in deleted:
        if period.sections.exists():
            kept.append(period)
            continue
        period.delete()
    return kept


@transaction.atomic
def school_day_set(
    *, school, date, day_type, note="", seen_version=_UNSEEN
) -> SchoolDay:
    """Give a date its day type, or (day_type None) make it a day without school.

    seen_version: the date's entry's version as the person saw it (None: they
    saw no entry); StaleEdit when someone set the date since. Left out, the
    date is set whatever it was (imports, the demo).
    """
    fields = {
        "is_school_day": day_type is not None,
        "day_type": day_type,
        "note": note,
    }
    day = SchoolDay.objects.filter(school=school, date=date).first()
    if day is None:
        try:
            with transaction.atomic():
                return SchoolDay.objects.create(school=school, date=date, **fields)
        except IntegrityError:
            # Someone set the same date a moment ago: theirs stands until this
            # person has seen it.
            current = SchoolDay.objects.get(school=school, date=date)
            if seen_version is _UNSEEN:
                day = current
            else:
                raise StaleEdit(current) from None
    if seen_version is not _UNSEEN:
        if seen_version is None:
            raise StaleEdit(day)
        claim_edit(day, seen=seen_version)
    for name, value in fields.items():
        setattr(day, name, value)
    day.save()
    return day


@transaction.atomic
def observation_window_save(
    *, school, window, periods, seen_version=None
) -> ObservationWindow:
    """Save a window of dates (and periods; none means all) set aside for visits;
    a page drawn before someone else's save: StaleEdit."""
    window.school = school
    if window.pk:
        claim_edit(window, seen=seen_version)
    window.save()
    window.periods.set(periods)
    return window


@transaction.atomic
def observation_window_delete(*, window) -> None:
    """Delete a window (a second delete of it changes nothing)."""
    ObservationWindow.objects.filter(pk=window.pk).delete()


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
