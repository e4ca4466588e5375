"""The rules a booking must satisfy, one small function each.

A rule takes a Check (the loaded day, the request, when it would be) and yields
the Conflicts it finds. BOOKING_RULES lists them in the order their reasons are
shown; PERSON_RULES run for each person in the booking, COVER_RULES for each
colleague asked to cover a class. booking_check is the read the pages and the
API call; scheduling.services refuses a booking on the same rules.
"""

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone

from jel.dates import add_minutes
from scheduling.booking_request import SUBSTITUTE, BookingRequest
from scheduling.day_facts import (
    DayFacts,
    When,
    busy_for,
    is_excluded,
    load_day,
    overlaps,
    slot_in,
    uncovered_sections,
)
from scheduling.models import Booking, BookingPerson, Period

# The codes of "this person teaches then": cover for their class clears them.
TEACHING_CODES = frozenset({"observer_teaching", "teaching"})


@dataclass(frozen=True)
class Conflict:
    """One reason a booking cannot happen, naming the person and period."""

    code: str
    reason: str
    person: object = None
    period: Period | None = None

    def __str__(self):
        return self.reason


class BookingConflict(ValidationError):
    """A booking refused by the schedule; carries the conflicts and free slots."""

    def __init__(self, conflicts: Iterable[Conflict], suggestions=()):
        self.conflicts = list(conflicts)
        self.suggestions = list(suggestions)
        super().__init__({"__all__": [c.reason for c in self.conflicts]})


# --- when: the date and time a request asks for, on the loaded day ---------------


def not_a_school_day(facts: DayFacts) -> list[Conflict]:
    if facts.info.is_school_day:
        return []
    return [
        Conflict(
            "not_school_day",
            f"{facts.date:%A %-d %B %Y} is not a school day ({facts.info.why_not}).",
        )
    ]


def _period_today(facts: DayFacts, period):
    if period is None or period.day_type_id == facts.info.day_type.pk:
        return period
    # A period of another day type: the same slot today, at today's times.
    return slot_in(facts.periods, period)


def resolve_when(facts: DayFacts, request: BookingRequest):
    """(When, conflicts): the request's time today, and why it cannot fit there.

    When is None if there is no time to check the other rules against.
    """
    if not facts.info.is_school_day:
        # No bell schedule that day (closed after the booking was made).
        return None, not_a_school_day(facts)
    period = _period_today(facts, request.period)
    if request.period is not None and period is None:
        return None, [
            Conflict(
                "no_period",
                f"There is no such period on {facts.date:%A %-d %B} "
                f"({facts.info.day_type}).",
            )
        ]
    start_time, minutes = request.start_time, request.minutes
    if period is None and start_time is None:
        return None, [Conflict("no_time", "Choose a period or a start time.")]
    start = start_time or period.starts_at
    end = add_minutes(start, minutes)
    if end <= start:
        return None, [Conflict("too_long", "A booking must end on the same day.")]
    conflicts = []
    if period is not None:
        if not (period.starts_at <= start < period.ends_at):
            conflicts.append(
                Conflict(
                    "outside_period",
                    f"{start:%H:%M} is not in {period.name} "
                    f"({period.starts_at:%H:%M}-{period.ends_at:%H:%M}).",
                    period=period,
                )
            )
        elif end > period.ends_at:
            conflicts.append(
                Conflict(
                    "too_long",
                    f"A {minutes}-minute booking from {start:%H:%M} runs past the "
                    f"end of {period.name} at {period.ends_at:%H:%M} "
                    f"({period.minutes} minutes long).",
                    period=period,
                )
            )
    overlapping = sorted(
        (
            p
            for p in facts.class_periods.values()
            if overlaps(start, end, p.starts_at, p.ends_at)
        ),
        key=lambda p: p.starts_at,
    )
    return When(start, end, period, overlapping), conflicts


# --- the rules ---------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """One request checked against one loaded day at one resolved time."""

    facts: DayFacts
    request: BookingRequest
    when: When

    @property
    def starts_at(self) -> dt.datetime:
        return self.facts.aware(self.when.start)

    @property
    def ends_at(self) -> dt.datetime:
        return self.facts.aware(self.when.end)

    @property
    def label(self) -> str:
        return self.when.label()

    @property
    def exclude_id(self):
        return self.request.exclude_booking_id


def host_teaches_then(check: Check) -> Iterator[Conflict]:
    """A visit watches a class: its host must teach for the whole visit."""
    request, when = check.request, check.when
    if not request.is_visit:
        return
    host = request.host
    if host is None:
        yield Conflict("no_host", "A visit needs a host teacher.")
        return
    taught = [check.facts.teaching.get((host.pk, p.number)) for p in when.overlapping]
    if not when.overlapping or not all(taught):
        yield Conflict(
            "host_not_teaching",
            f"{host} does not teach in {check.label}, so there is no class to observe.",
            person=host,
            period=when.period,
        )


def person_not_teaching(check: Check, user, role) -> Iterator[Conflict]:
    """Nobody leaves a class without cover (the host of a visit stays in it)."""
    if check.request.is_visit and role == BookingPerson.Role.HOST:
        return
    if user.pk in check.request.covered_ids:
        return
    code = "observer_teaching" if role == BookingPerson.Role.OBSERVER else "teaching"
    for p, section in uncovered_sections(
        check.facts, user.pk, check.when, check.exclude_id
    ):
        yield Conflict(
            code, f"{user} teaches {section.course} in {p.name}.", person=user, period=p
        )


def person_not_booked(check: Check, user, role) -> Iterator[Conflict]:
    """Nobody is in two bookings, or covering a class, at once."""
    tz = check.facts.school.tz
    for busy in busy_for(
        check.facts, user.pk, check.starts_at, check.ends_at, check.exclude_id
    ):
        yield Conflict(
            "person_busy",
            f"{user} is already booked in {check.label}: {busy.what} "
            f"({timezone.localtime(busy.starts_at, tz):%H:%M}).",
            person=user,
            period=check.when.period,
        )


PERSON_RULES = [person_not_teaching, person_not_booked]


def people_free(check: Check) -> Iterator[Conflict]:
    """Each person in turn (the host first), every person rule."""
    for user, role in check.request.everyone:
        for rule in PERSON_RULES:
            yield from rule(check, user, role)


def room_not_double_booked(check: Check) -> Iterator[Conflict]:
    """A room holds one meeting at a time (visits share their host's room)."""
    room, kind = check.request.room, check.request.kind
    if room is None:
        return
    for booking in check.facts.bookings:
        if is_excluded(booking.pk, check.exclude_id) or booking.room_id != room.pk:
            continue
        both_visits = kind == booking.kind == Booking.Kind.VISIT
        if not both_visits and overlaps(
            check.starts_at, check.ends_at, booking.starts_at, booking.ends_at
        ):
            yield Conflict(
                "room_busy",
                f"{room} is already booked in {check.label} for {booking.title}.",
                period=check.when.period,
            )


def room_fits_the_classes(check: Check) -> Iterator[Conflict]:
    """A visit needs a class in the room; a meeting needs the room empty."""
    room = check.request.room
    if room is None:
        return
    in_room = check.facts.room_use.get(room.pk, {})
    for p in check.when.overlapping:
        section = in_room.get(p.number)
        if check.request.is_visit and section is None:
            yield Conflict(
                "room_empty",
                f"{room} is not in use in {p.name}: there is no class there to "
                "observe.",
                period=p,
            )
        elif not check.request.is_visit and section is not None:
            yield Conflict(
                "room_busy",
                f"{room} is in use in {p.name} by {section.course} "
                f"({section.teacher}).",
                period=p,
            )


def inside_observation_window(check: Check) -> Iterator[Conflict]:
    """Visits fall in a window the school set aside, unless a reason is given."""
    facts, when = check.facts, check.when
    if (
        not check.request.is_visit
        or check.request.window_override_reason.strip()
        or facts.window_periods is None
    ):
        return
    slot_period = when.period or (when.overlapping[0] if when.overlapping else None)
    number = slot_period.number if slot_period is not None else None
    if not any(not allowed or number in allowed for allowed in facts.window_periods):
        yield Conflict(
            "outside_window",
            f"{facts.date:%A %-d %B}, {check.label} is outside every observation "
            "window. Choose a date inside one, or give a reason to override.",
            period=when.period,
        )


BOOKING_RULES = [
    host_teaches_then,
    people_free,
    room_not_double_booked,
    room_fits_the_classes,
    inside_observation_window,
]


def find_conflicts(facts: DayFacts, request: BookingRequest):
    """(conflicts, When) of a request on a loaded day; When is None if it has none."""
    conflicts = not_a_school_day(facts)
    if conflicts:
        return conflicts, None
    when, conflicts = resolve_when(facts, request)
    if when is None:
        return conflicts, None
    check = Check(facts, request, when)
    for rule in BOOKING_RULES:
        conflicts.extend(rule(check))
    return conflicts, when


# --- cover: the colleagues asked to take a class ---------------------------------


def coverer_not_teaching(check, cover, span) -> Iterator[Conflict]:
    for p in check.when.overlapping:
        section = check.facts.teaching.get((cover.pk, p.number))
        if section is not None:
            yield Conflict(
                "coverer_busy",
                f"{cover} teaches {section.course} in {p.name} and cannot cover.",
                person=cover,
                period=p,
            )


def coverer_not_busy(check, cover, span) -> Iterator[Conflict]:
    for busy in busy_for(check.facts, cover.pk, *span, check.exclude_id):
        yield Conflict(
            "coverer_busy",
            f"{cover} is already busy in {check.label} ({busy.what}).",
            person=cover,
            period=check.when.period,
        )


COVER_RULES = [coverer_not_teaching, coverer_not_busy]


def coverer_conflicts(
    facts: DayFacts, when: When | None, plan: dict, *, taken: set, exclude_id=None
) -> list[Conflict]:
    """Why the colleagues in plan ({observer id: User or SUBSTITUTE}) cannot cover.

    taken: people who are in the booking (or cover its other classes) already.
    """
    if when is None:
        return []
    request = BookingRequest(
        school=facts.school, date=facts.date, exclude_booking_id=exclude_id
    )
    check = Check(facts, request, when)
    span = when.class_span(facts)
    conflicts, used_in_slot = [], set()
    for cover in plan.values():
        if cover == SUBSTITUTE:
            continue
        if cover.pk in taken:
            conflicts.append(
                Conflict(
                    "coverer_busy",
                    f"{cover} is in this booking and cannot also cover a class.",
                    person=cover,
                    period=when.period,
                )
            )
            continue
        if cover.pk in used_in_slot:
            conflicts.append(
                Conflict(
                    "coverer_busy",
                    f"{cover} cannot cover two classes in {when.label()}.",
                    person=cover,
                    period=when.period,
                )
            )
        used_in_slot.add(cover.pk)
        for rule in COVER_RULES:
            conflicts.extend(rule(check, cover, span))
    return conflicts


def booking_check(request: BookingRequest | None = None, /, **fields) -> list[Conflict]:
    """Everything that stops this booking (a BookingRequest, or its fields)."""
    request = request or BookingRequest(**fields)
    conflicts, _when = find_conflicts(load_day(request.school, request.date), request)
    return conflicts
