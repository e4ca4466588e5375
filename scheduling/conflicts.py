"""The rules a booking must satisfy, checked against one day's schedule in memory.

A day's facts (its periods, who teaches what where, the bookings and cover
already made) are loaded once; every rule and every candidate slot for the
nearest-free-slot suggestions is then checked without further queries.
scheduling.services uses these to refuse or write bookings.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils import timezone

from scheduling import selectors
from scheduling.models import Booking, BookingPerson, Coverage, Period

# Value for an observer in booking_plan(coverage=...) when a substitute covers.
SUBSTITUTE = "substitute"

SUGGESTION_LIMIT = 5
SUGGESTION_SCHOOL_DAYS = 10
SUGGESTION_CALENDAR_DAYS = 28


@dataclass(frozen=True)
class Conflict:
    """One reason a booking cannot happen, naming the person and period."""

    code: str
    reason: str
    person: object = None
    period: Period | None = None

    def __str__(self):
        return self.reason


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


class BookingConflict(ValidationError):
    """A booking refused by the schedule; carries the conflicts and free slots."""

    def __init__(self, conflicts: Iterable[Conflict], suggestions=()):
        self.conflicts = list(conflicts)
        self.suggestions = list(suggestions)
        super().__init__({"__all__": [c.reason for c in self.conflicts]})


# --- the facts of one day, loaded once and checked in memory ------------------


@dataclass
class _Busy:
    starts_at: dt.datetime
    ends_at: dt.datetime
    what: str


@dataclass
class DayFacts:
    school: object
    info: selectors.DayInfo
    periods: list = field(default_factory=list)
    class_periods: dict = field(default_factory=dict)  # number -> Period
    # (teacher id, period number) -> Section
    teaching: dict = field(default_factory=dict)
    # room id -> {period number: Section}
    room_use: dict = field(default_factory=lambda: defaultdict(dict))
    bookings: list = field(default_factory=list)
    teachers: dict = field(default_factory=dict)  # id -> User teaching today
    # None when the school sets no windows (any day will do); else, per window
    # open today, the period numbers it allows (empty: all).
    window_periods: list | None = None

    @property
    def date(self):
        return self.info.date

    def aware(self, clock: dt.time) -> dt.datetime:
        # Built from the school's wall clock on this date: 09:00 stays 09:00
        # whichever side of a daylight saving change the date falls.
        return dt.datetime.combine(self.date, clock, tzinfo=self.school.tz)


def load_day(school, day: dt.date) -> DayFacts:
    info = selectors.day_info(school=school, day=day)
    facts = DayFacts(school=school, info=info)
    if not info.is_school_day:
        return facts
    facts.periods = list(
        Period.objects.filter(day_type=info.day_type).order_by("starts_at")
    )
    facts.class_periods = {
        p.number: p for p in facts.periods if p.kind == Period.Kind.CLASS
    }
    for section in selectors.sections_meeting(
        school=school, day=day, day_type=info.day_type
    ):
        number = section.period.number
        if section.teacher_id:
            facts.teaching[(section.teacher_id, number)] = section
            facts.teachers[section.teacher_id] = section.teacher
        if section.room_id:
            facts.room_use[section.room_id][number] = section
    if selectors.school_has_windows(school=school):
        facts.window_periods = [
            {p.number for p in window.periods.all()}
            for window in selectors.windows_on(school=school, day=day)
        ]
    facts.bookings = list(
        selectors.with_details(
            Booking.objects.filter(
                school=school, date=day, status=Booking.Status.SCHEDULED
            )
        )
    )
    return facts


def _covered_elsewhere(facts: DayFacts, exclude_id=None) -> set:
    """(observer id, section id) of classes another booking today already covers.

    In rounds an observer visits several rooms in one period; the class they
    leave is covered once for the whole period, not once a visit.
    """
    return {
        (cover.observer_id, cover.section_id)
        for booking in facts.bookings
        if booking.pk != exclude_id
        for cover in booking.coverages.all()
        if cover.section_id
    }


def uncovered_sections(facts, user_id, when, exclude_id=None) -> list:
    """(period, section) user teaches during when that nobody covers yet."""
    elsewhere = _covered_elsewhere(facts, exclude_id)
    found = []
    for p in when.overlapping:
        section = facts.teaching.get((user_id, p.number))
        if section is not None and (user_id, section.pk) not in elsewhere:
            found.append((p, section))
    return found


def overlaps(a_start, a_end, b_start, b_end) -> bool:
    return a_start < b_end and b_start < a_end


def people_of(booking) -> set[int]:
    ids = {person.user_id for person in booking.people.all()}
    if booking.host_id:
        ids.add(booking.host_id)
    return ids


def busy_for(facts: DayFacts, user_id, start, end, exclude_id=None) -> list[_Busy]:
    """Other bookings user is in, or a class they cover, overlapping start-end."""
    found = []
    for booking in facts.bookings:
        if booking.pk == exclude_id:
            continue
        if user_id in people_of(booking) and overlaps(
            start, end, booking.starts_at, booking.ends_at
        ):
            found.append(_Busy(booking.starts_at, booking.ends_at, booking.title))
        for cover in booking.coverages.all():
            if cover.covered_by_id != user_id:
                continue
            c_start, c_end = _coverage_interval(facts, booking, cover)
            if overlaps(start, end, c_start, c_end):
                found.append(
                    _Busy(c_start, c_end, f"covering {cover.observer}'s class")
                )
    return found


def _coverage_interval(facts: DayFacts, booking, cover):
    # The coverer teaches the whole class period, not only the visit's minutes.
    if cover.section_id:
        period = facts.class_periods.get(cover.section.period.number)
        if period is not None:
            return facts.aware(period.starts_at), facts.aware(period.ends_at)
    return booking.starts_at, booking.ends_at


@dataclass
class _When:
    start: dt.time
    end: dt.time
    period: Period | None
    overlapping: list  # class periods the booking overlaps

    def label(self) -> str:
        if self.period is not None:
            return self.period.name
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


def _add_minutes(clock: dt.time, minutes: int) -> dt.time:
    moment = dt.datetime.combine(dt.date(2000, 1, 1), clock)
    return (moment + dt.timedelta(minutes=minutes)).time()


def resolve_when(facts, period, start_time, minutes, conflicts) -> _When | None:
    """Turn a period and/or start time into a time today; note why it cannot fit."""
    if period is not None and period.day_type_id != facts.info.day_type.pk:
        # A period of another day type: the same slot is the same number today.
        period = next(
            (
                p
                for p in facts.periods
                if p.number == period.number and p.kind == period.kind
            ),
            None,
        )
        if period is None:
            conflicts.append(
                Conflict(
                    "no_period",
                    f"There is no such period on {facts.date:%A %-d %B} "
                    f"({facts.info.day_type}).",
                )
            )
            return None
    if period is None and start_time is None:
        conflicts.append(Conflict("no_time", "Choose a period or a start time."))
        return None
    start = start_time or period.starts_at
    end = _add_minutes(start, minutes)
    if end <= start:
        conflicts.append(Conflict("too_long", "A booking must end on the same day."))
        return None
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
    overlapping = [
        p
        for p in facts.class_periods.values()
        if overlaps(start, end, p.starts_at, p.ends_at)
    ]
    return _When(start, end, period, sorted(overlapping, key=lambda p: p.starts_at))


def find_conflicts(
    facts: DayFacts,
    *,
    kind,
    period=None,
    start_time=None,
    minutes=15,
    host=None,
    participants=(),
    room=None,
    covered=frozenset(),
    exclude_id=None,
    window_override_reason="",
):
    """All conflicts of a booking on a loaded day, and when it would be."""
    conflicts: list[Conflict] = []
    if not facts.info.is_school_day:
        conflicts.append(
            Conflict(
                "not_school_day",
                f"{facts.date:%A %-d %B %Y} is not a school day "
                f"({facts.info.why_not}).",
            )
        )
        return conflicts, None
    when = resolve_when(facts, period, start_time, minutes, conflicts)
    if when is None:
        return conflicts, None
    starts_at, ends_at = facts.aware(when.start), facts.aware(when.end)
    label = when.label()

    if kind == Booking.Kind.VISIT:
        if host is None:
            conflicts.append(Conflict("no_host", "A visit needs a host teacher."))
        else:
            taught = [facts.teaching.get((host.pk, p.number)) for p in when.overlapping]
            if not when.overlapping or not all(taught):
                conflicts.append(
                    Conflict(
                        "host_not_teaching",
                        f"{host} does not teach in {label}, so there is no class "
                        "to observe.",
                        person=host,
                        period=when.period,
                    )
                )

    everyone = [(host, BookingPerson.Role.HOST)] if host is not None else []
    everyone += [(user, role) for user, role in participants if user != host]
    for user, role in everyone:
        hosting_a_visit = kind == Booking.Kind.VISIT and role == BookingPerson.Role.HOST
        if not hosting_a_visit and (covered is not True and user.pk not in covered):
            code = (
                "observer_teaching"
                if role == BookingPerson.Role.OBSERVER
                else "teaching"
            )
            for p, section in uncovered_sections(facts, user.pk, when, exclude_id):
                conflicts.append(
                    Conflict(
                        code,
                        f"{user} teaches {section.course} in {p.name}.",
                        person=user,
                        period=p,
                    )
                )
        for busy in busy_for(facts, user.pk, starts_at, ends_at, exclude_id):
            conflicts.append(
                Conflict(
                    "person_busy",
                    f"{user} is already booked in {label}: {busy.what} "
                    f"({timezone.localtime(busy.starts_at, facts.school.tz):%H:%M}).",
                    person=user,
                    period=when.period,
                )
            )

    if room is not None:
        for booking in facts.bookings:
            if booking.pk == exclude_id or booking.room_id != room.pk:
                continue
            both_visits = kind == booking.kind == Booking.Kind.VISIT
            if not both_visits and overlaps(
                starts_at, ends_at, booking.starts_at, booking.ends_at
            ):
                conflicts.append(
                    Conflict(
                        "room_busy",
                        f"{room} is already booked in {label} for {booking.title}.",
                        period=when.period,
                    )
                )
        in_room = facts.room_use.get(room.pk, {})
        for p in when.overlapping:
            section = in_room.get(p.number)
            if kind == Booking.Kind.VISIT and section is None:
                conflicts.append(
                    Conflict(
                        "room_empty",
                        f"{room} is not in use in {p.name}: there is no class "
                        "there to observe.",
                        period=p,
                    )
                )
            elif kind != Booking.Kind.VISIT and section is not None:
                conflicts.append(
                    Conflict(
                        "room_busy",
                        f"{room} is in use in {p.name} by {section.course} "
                        f"({section.teacher}).",
                        period=p,
                    )
                )

    if (
        kind == Booking.Kind.VISIT
        and not window_override_reason.strip()
        and facts.window_periods is not None
    ):
        slot_period = when.period or (when.overlapping[0] if when.overlapping else None)
        number = slot_period.number if slot_period is not None else None
        if not any(
            not allowed or number in allowed for allowed in facts.window_periods
        ):
            conflicts.append(
                Conflict(
                    "outside_window",
                    f"{facts.date:%A %-d %B}, {label} is outside every observation "
                    "window. Choose a date inside one, or give a reason to override.",
                    period=when.period,
                )
            )
    return conflicts, when


def participant_pairs(*, observers=(), facilitator=None, attendees=()):
    """(user, role) pairs, each person once, in the order roles matter."""
    seen, pairs = set(), []
    for users, role in (
        (observers, BookingPerson.Role.OBSERVER),
        ([facilitator] if facilitator else [], BookingPerson.Role.FACILITATOR),
        (attendees, BookingPerson.Role.ATTENDEE),
    ):
        for user in users:
            if user.pk not in seen:
                seen.add(user.pk)
                pairs.append((user, role))
    return pairs


def booking_check(
    *,
    school,
    date,
    period=None,
    starts_at=None,
    minutes=15,
    host=None,
    observers=(),
    room=None,
    exclude_booking=None,
    coverage_ok=frozenset(),
    kind=Booking.Kind.VISIT,
    facilitator=None,
    attendees=(),
    window_override_reason="",
) -> list[Conflict]:
    """Everything that stops this booking; coverage_ok: users covered, or True."""
    if isinstance(starts_at, dt.datetime):
        starts_at = timezone.localtime(starts_at, school.tz).time()
    facts = load_day(school, date)
    covered = coverage_ok if coverage_ok is True else {u.pk for u in coverage_ok}
    conflicts, _ = find_conflicts(
        facts,
        kind=kind,
        period=period,
        start_time=starts_at,
        minutes=minutes,
        host=host,
        participants=participant_pairs(
            observers=observers, facilitator=facilitator, attendees=attendees
        ),
        room=room,
        covered=covered,
        exclude_id=exclude_booking.pk if exclude_booking else None,
        window_override_reason=window_override_reason,
    )
    return conflicts


def booking_suggestions(
    *,
    school,
    date,
    period=None,
    start_time=None,
    minutes=15,
    kind=Booking.Kind.VISIT,
    host=None,
    participants=(),
    room=None,
    exclude_id=None,
    window_override_reason="",
    limit=SUGGESTION_LIMIT,
) -> list[Slot]:
    """The nearest slots free for everyone: the same day first, then the next days."""
    slots: list[Slot] = []
    wanted = period.number if period is not None else None
    day, school_days = date, 0
    # Visits move with their host's class, so the room follows the slot.
    slot_room = None if kind == Booking.Kind.VISIT else room
    last_day = date + dt.timedelta(days=SUGGESTION_CALENDAR_DAYS)
    # Bounded by calendar days too: a school with no school days ahead (the
    # year not set up, a long break) must not loop forever.
    while (
        len(slots) < limit and school_days <= SUGGESTION_SCHOOL_DAYS and day <= last_day
    ):
        facts = load_day(school, day)
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
                if day == date and period is not None and candidate.number == wanted:
                    continue
                offset = 0
                if start_time is not None and period is not None:
                    offset = (
                        start_time.hour * 60
                        + start_time.minute
                        - period.starts_at.hour * 60
                        - period.starts_at.minute
                    )
                start = _add_minutes(candidate.starts_at, max(offset, 0))
                conflicts, when = find_conflicts(
                    facts,
                    kind=kind,
                    period=candidate,
                    start_time=start,
                    minutes=minutes,
                    host=host,
                    participants=participants,
                    room=slot_room,
                    exclude_id=exclude_id,
                    window_override_reason=window_override_reason,
                )
                if not conflicts:
                    slots.append(Slot(day, candidate, when.start, when.end))
                    if len(slots) >= limit:
                        break
        day += dt.timedelta(days=1)
    return slots


def coverage_suggestions(
    *,
    observer,
    booking=None,
    school=None,
    date=None,
    period=None,
    start_time=None,
    minutes=15,
    exclude=(),
) -> list[CoverageOption]:
    """Colleagues free to cover observer's class then, fairest first.

    Nobody is offered for a second class in a day before everyone free has
    covered once; then fewest covers this school year.
    """
    if booking is not None:
        school, date, period = booking.school, booking.date, booking.period
        start_time = timezone.localtime(booking.starts_at, school.tz).time()
        minutes = booking.minutes
    facts = load_day(school, date)
    if not facts.info.is_school_day:
        return []
    conflicts: list[Conflict] = []
    when = resolve_when(facts, period, start_time, minutes, conflicts)
    if when is None:
        return []
    taken = {observer.pk, *(u.pk for u in exclude)}
    exclude_id = None
    if booking is not None:
        # This booking's own cover for the observer does not make its coverer
        # busy; the colleagues covering its other observers are.
        exclude_id = booking.pk
        taken |= people_of(booking)
        taken |= {
            c.covered_by_id
            for c in booking.coverages.all()
            if c.covered_by_id and c.observer_id != observer.pk
        }
    starts_at, ends_at = facts.aware(when.start), facts.aware(when.end)
    # A coverer teaches the observer's whole class period.
    if when.overlapping:
        starts_at = facts.aware(when.overlapping[0].starts_at)
        ends_at = facts.aware(when.overlapping[-1].ends_at)
    free = []
    for user_id, user in facts.teachers.items():
        if user_id in taken:
            continue
        if any((user_id, p.number) in facts.teaching for p in when.overlapping):
            continue
        if busy_for(facts, user_id, starts_at, ends_at, exclude_id):
            continue
        free.append(user)
    today = _cover_counts(school, date, date)
    year = selectors.school_year_bounds(school=school, day=date)
    total = _cover_counts(school, *year) if year else {}
    options = [CoverageOption(u, today.get(u.pk, 0), total.get(u.pk, 0)) for u in free]
    return sorted(
        options,
        key=lambda o: (o.covering_today, o.covering_total, o.user.full_name),
    )


def _cover_counts(school, start, end) -> dict:
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


def normalise_coverage(coverage) -> dict:
    """{observer id: User or SUBSTITUTE} from a mapping keyed by users or ids."""
    plan = {}
    for observer, cover in (coverage or {}).items():
        key = getattr(observer, "pk", observer)
        plan[int(key)] = cover if cover is not None else SUBSTITUTE
    return plan


def coverer_conflicts(facts, when, plan, participant_ids, exclude_id) -> list[Conflict]:
    conflicts = []
    if when is None:
        return conflicts
    used_in_slot = set()
    starts_at = facts.aware(
        when.overlapping[0].starts_at if when.overlapping else when.start
    )
    ends_at = facts.aware(
        when.overlapping[-1].ends_at if when.overlapping else when.end
    )
    for cover in plan.values():
        if cover == SUBSTITUTE:
            continue
        label = when.label()
        if cover.pk in participant_ids:
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
                    f"{cover} cannot cover two classes in {label}.",
                    person=cover,
                    period=when.period,
                )
            )
        used_in_slot.add(cover.pk)
        for p in when.overlapping:
            section = facts.teaching.get((cover.pk, p.number))
            if section is not None:
                conflicts.append(
                    Conflict(
                        "coverer_busy",
                        f"{cover} teaches {section.course} in {p.name} and cannot "
                        "cover.",
                        person=cover,
                        period=p,
                    )
                )
        for busy in busy_for(facts, cover.pk, starts_at, ends_at, exclude_id):
            conflicts.append(
                Conflict(
                    "coverer_busy",
                    f"{cover} is already busy in {label} ({busy.what}).",
                    person=cover,
                    period=when.period,
                )
            )
    return conflicts
