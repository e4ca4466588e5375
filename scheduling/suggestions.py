"""What the schedule offers when a booking does not fit: the nearest free slots,
colleagues free to cover a class, and the feedback the planning pages and the
API show (conflicts, who needs cover and who could, free slots). All reads.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count

from jel.dates import add_minutes
from scheduling import calendar
from scheduling.booking_request import SUBSTITUTE, BookingRequest
from scheduling.conflict_rules import (
    TEACHING_CODES,
    booking_check,
    find_conflicts,
    resolve_when,
)
from scheduling.day_facts import (
    calendar_reads,
    checks_once,
    free_to_cover,
    load_day,
    load_days,
    people_of,
    period_on,
    uncovered_sections,
)
from scheduling.models import Booking, Coverage, Period

SUGGESTION_LIMIT = 5
SUGGESTION_SCHOOL_DAYS = 10
SUGGESTION_CALENDAR_DAYS = 28
# The free-slot search reads this many days at a time.
SEARCH_CHUNK_DAYS = 14
# Cover options shown per observer on the planning pages.
COVER_OPTIONS_SHOWN = 6


@dataclass(frozen=True)
class Slot:
    """A free time for everyone involved, offered when a booking is refused."""

    date: dt.date
    period: Period | None
    starts_at: dt.time
    ends_at: dt.time

    @property
    def label(self) -> str:
        when = f"{self.date:%a} {self.date.day} {self.date:%b}"
        if self.period is not None:
            return f"{when}, {self.period.name} ({self.starts_at:%H:%M})"
        return f"{when}, {self.starts_at:%H:%M}"


@dataclass(frozen=True)
class CoverageOption:
    """A colleague free to cover a class, with how much covering they already do."""

    user: object
    covering_today: int
    covering_total: int


def _minutes_into_period(request: BookingRequest) -> int:
    """How far into its period the request starts (kept for every candidate)."""
    start = request.start_time
    # Measured against the period at that day's times (a late start has its own).
    period = period_on(school=request.school, day=request.date, period=request.period)
    if start is None or period is None:
        return 0
    offset = (start.hour * 60 + start.minute) - (
        period.starts_at.hour * 60 + period.starts_at.minute
    )
    return max(offset, 0)


def booking_suggestions(
    request: BookingRequest | None = None, /, *, limit=SUGGESTION_LIMIT, **fields
) -> list[Slot]:
    """The nearest slots free for everyone: the same day first, then the next days.

    Free without cover: a slot that needs a colleague to cover is no suggestion.
    """
    request = (request or BookingRequest(**fields)).but(coverage={})
    slots: list[Slot] = []
    wanted = request.period.number if request.period is not None else None
    offset = _minutes_into_period(request)
    # Visits move with their host's class, so the room follows the slot.
    candidate_request = request.but(room=None) if request.is_visit else request
    last_day = request.date + dt.timedelta(days=SUGGESTION_CALENDAR_DAYS)
    # Bounded by calendar days too: a school with no school days ahead (the
    # year not set up, a long break) must not loop forever. The days are read
    # a fortnight at a time, each kind of fact in one query (load_days).
    school_days, days, day = 0, {}, request.date
    with calendar_reads():
        while (
            len(slots) < limit
            and school_days <= SUGGESTION_SCHOOL_DAYS
            and day <= last_day
        ):
            if day not in days:
                days.update(
                    load_days(
                        request.school,
                        day,
                        min(day + dt.timedelta(days=SEARCH_CHUNK_DAYS - 1), last_day),
                    )
                )
            facts = days[day]
            if facts.info.is_school_day:
                school_days += 1
                candidates = sorted(
                    facts.class_periods.values(),
                    key=lambda p: (
                        abs(p.number - wanted) if wanted is not None else 0,
                        p.starts_at,
                    ),
                )
                for candidate in candidates:
                    if day == request.date and candidate.number == wanted:
                        continue
                    conflicts, when = find_conflicts(
                        facts,
                        candidate_request.but(
                            date=day,
                            period=candidate,
                            start_time=add_minutes(candidate.starts_at, offset),
                        ),
                    )
                    if not conflicts:
                        slots.append(Slot(day, candidate, when.start, when.end))
                        if len(slots) >= limit:
                            break
            day += dt.timedelta(days=1)
    return slots


def coverage_suggestions(
    request: BookingRequest | None = None,
    /,
    *,
    observer,
    booking=None,
    exclude=(),
    counts=None,
    **fields,
) -> list[CoverageOption]:
    """Colleagues free to cover observer's class then, fairest first.

    For a booking already made, or a request (or its fields). Nobody is offered
    for a second class in a day before everyone free has covered once; then
    fewest covers this school year. counts: cover_counts_of(request), when the
    caller asks for several observers at once.
    """
    if booking is not None:
        request = BookingRequest.for_booking(booking)
    request = request or BookingRequest(**fields)
    facts = load_day(request.school, request.date)
    if not facts.info.is_school_day:
        return []
    when, _conflicts = resolve_when(facts, request)
    if when is None:
        return []
    taken = {observer.pk, *(u.pk for u in exclude)}
    if booking is not None:
        # This booking's own cover for the observer does not make its coverer
        # busy; the colleagues covering its other observers are.
        taken |= people_of(booking)
        taken |= {
            c.covered_by_id
            for c in booking.coverages.all()
            if c.covered_by_id and c.observer_id != observer.pk
        }
    free = free_to_cover(
        facts, when, taken=taken, exclude_id=request.exclude_booking_id
    )
    today, total = counts or cover_counts_of(request)
    options = [CoverageOption(u, today.get(u.pk, 0), total.get(u.pk, 0)) for u in free]
    return sorted(
        options,
        key=lambda o: (o.covering_today, o.covering_total, o.user.full_name),
    )


def cover_plan_for(request: BookingRequest, *, avoid=()) -> dict:
    """{observer: colleague or SUBSTITUTE} for each observer whose class needs
    cover then: the fairest free colleague (coverage_suggestions' order), a
    substitute only when no colleague is free. A class another booking already
    covers (a rounds block's earlier visit in the same period) needs nothing.

    avoid: ids of colleagues already asked to cover something at the same time.
    """
    facts = load_day(request.school, request.date)
    if not facts.info.is_school_day:
        return {}
    when, _conflicts = resolve_when(facts, request)
    if when is None:
        return {}
    everyone = [user for user, _role in request.everyone]
    taken = {u.pk for u in everyone} | set(avoid)
    plan = {}
    counts = None  # nothing is written while the plan is made: counted once
    for observer in request.observers:
        if not uncovered_sections(facts, observer.pk, when, request.exclude_booking_id):
            continue
        counts = counts or cover_counts_of(request)
        options = coverage_suggestions(
            request, observer=observer, exclude=everyone, counts=counts
        )
        free = [o.user for o in options if o.user.pk not in taken]
        plan[observer] = free[0] if free else SUBSTITUTE
        if free:
            taken.add(free[0].pk)
    return plan


def cover_counts_of(request: BookingRequest) -> tuple[dict, dict]:
    """({colleague id: classes covered} on the request's date, and this school
    year): the fairness order of coverage_suggestions."""
    school, day = request.school, request.date
    return (
        _cover_counts(school, day, day),
        _cover_counts(school, *calendar.year_bounds(school=school, day=day)),
    )


def _cover_counts(school, start, end) -> dict:
    return checks_once(
        ("cover counts", school.pk, start, end),
        lambda: _count_covers(school, start, end),
    )


def _count_covers(school, start, end) -> dict:
    rows = (
        Coverage.objects.filter(
            school=school,
            covered_by__isnull=False,
            booking__status=Booking.Status.SCHEDULED,
            booking__date__gte=start,
            booking__date__lte=end,
        )
        .values("covered_by")
        .annotate(count=Count("id"))
    )
    return {r["covered_by"]: r["count"] for r in rows}


# --- what a planning page or the API shows for a request ---------------------------


@dataclass(frozen=True)
class CoverNeed:
    """An observer who teaches then: the conflict, who could cover, who is chosen."""

    observer: object
    conflict: object
    options: list
    chosen: object  # a user's id, SUBSTITUTE, or None


@dataclass(frozen=True)
class BookingFeedback:
    conflicts: list
    needs_cover: list
    suggestions: list
    checked: bool = True
    substitute: str = SUBSTITUTE

    @property
    def ok(self) -> bool:
        return not self.conflicts


def booking_feedback(
    *, request: BookingRequest, refused=None, with_cover: bool = True
) -> BookingFeedback:
    """Conflicts of a request (with its cover), cover options, and free slots.

    refused: the BookingConflict a service raised for this request, whose
    conflicts and suggestions are shown as they are. Otherwise the request is
    checked here; an observer whose class the request covers is no conflict, but
    is still listed with the colleagues who could cover, so the choice can change.
    """
    uncovered = booking_check(request.but(coverage={}))
    if refused is not None:
        conflicts, suggestions = refused.conflicts, refused.suggestions
    else:
        covered = request.covered_ids
        conflicts = [
            c
            for c in uncovered
            if not (
                c.code in TEACHING_CODES
                and c.person is not None
                and c.person.pk in covered
            )
        ]
        suggestions = booking_suggestions(request) if conflicts else []
    needs_cover = []
    if with_cover:
        teaching = {
            c.person.pk: c
            for c in uncovered
            if c.code == "observer_teaching" and c.person is not None
        }
        everyone = [user for user, _role in request.everyone]
        counts = None
        for observer in request.observers:
            conflict = teaching.get(observer.pk)
            if conflict is None:
                continue
            counts = counts or cover_counts_of(request)
            options = coverage_suggestions(
                request, observer=observer, exclude=everyone, counts=counts
            )
            chosen = request.coverage.get(observer.pk)
            needs_cover.append(
                CoverNeed(
                    observer=observer,
                    conflict=conflict,
                    options=options[:COVER_OPTIONS_SHOWN],
                    chosen=getattr(chosen, "pk", chosen),
                )
            )
    return BookingFeedback(
        conflicts=list(conflicts),
        needs_cover=needs_cover,
        suggestions=list(suggestions),
    )
