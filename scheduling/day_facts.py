"""The facts of one school day: its day type and periods, who teaches, plans, is
booked and covers, loaded once so every rule and candidate slot is checked in
memory without further queries.

The reads a day is built from (what kind of day a date is, which sections meet)
live here too; scheduling.selectors re-exports them.
"""

import datetime as dt
from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django_scopes import get_scope

from scheduling.models import (
    AcademicYear,
    Booking,
    BookingPerson,
    Coverage,
    DayType,
    ObservationWindow,
    Period,
    SchoolDay,
    Section,
    Term,
)


def school_or_scope(school):
    if school is not None:
        return school
    scoped = get_scope().get("school")
    if scoped is None:
        raise ValueError("Pass school= or run inside scope(school=...).")
    return scoped


# --- reading the calendar once ----------------------------------------------------

# Within calendar_reads(): the facts of the calendar that booking never changes
# (what kind of day each date is, bell schedules, sections, windows, years).
_calendar: ContextVar[dict | None] = ContextVar("jel_calendar_once", default=None)


@contextmanager
def calendar_reads():
    """Booking or checking several visits (a cycle's, the free slots of ten days):
    each date's day type, each bell schedule, the school's sections and windows
    are read once. Bookings are not kept: each load_day reads them afresh, so a
    booking written in between is seen.

    Not for code that edits the calendar itself (day types, school days).
    """
    if _calendar.get() is not None:
        yield
        return
    token = _calendar.set({})
    try:
        yield
    finally:
        _calendar.reset(token)


def calendar_once(key, read):
    """read(), or what it gave before within calendar_reads()."""
    memo = _calendar.get()
    if memo is None:
        return read()
    if key not in memo:
        memo[key] = read()
    return memo[key]


def bell_schedule(day_type) -> list:
    """The periods of a day type, in time order."""
    return calendar_once(
        ("periods", day_type.pk),
        lambda: list(Period.objects.filter(day_type=day_type).order_by("starts_at")),
    )


# --- what kind of day a date is -------------------------------------------------


@dataclass(frozen=True)
class DayInfo:
    """What a date is at a school: its day type, or why there is no school."""

    date: dt.date
    day_type: DayType | None
    is_school_day: bool
    note: str = ""

    @property
    def why_not(self) -> str:
        return self.note or ("a weekend" if self.date.weekday() >= 5 else "no school")


def day_info(*, school=None, day: dt.date) -> DayInfo:
    """The day type of a date (an explicit school day, else the default on weekdays)."""
    school = school_or_scope(school)
    memo = _calendar.get()
    if memo is not None:
        key = ("info", school.pk, day)
        if key not in memo:
            memo[key] = _day_info(school, day)
        return memo[key]
    return _day_info(school, day)


def _day_info(school, day: dt.date) -> DayInfo:
    row = (
        SchoolDay.objects.filter(school=school, date=day)
        .select_related("day_type")
        .first()
    )
    if row is not None:
        if not row.is_school_day:
            return DayInfo(day, None, False, row.note or "no school")
        return DayInfo(day, row.day_type, True, row.note)
    if day.weekday() >= 5:
        return DayInfo(day, None, False, "a weekend")
    in_year = AcademicYear.objects.filter(
        school=school, starts_on__lte=day, ends_on__gte=day
    ).exists()
    if not in_year:
        return DayInfo(day, None, False, "outside the school year")
    default = calendar_once(
        ("default day type", school.pk),
        lambda: DayType.objects.filter(school=school, is_default=True).first(),
    )
    if default is None:
        return DayInfo(day, None, False, "no default bell schedule is set")
    return DayInfo(day, default, True, "")


def day_infos(*, school=None, start: dt.date, end: dt.date) -> dict:
    """day_info for every date from start to end, in three queries."""
    school = school_or_scope(school)
    rows = {
        row.date: row
        for row in SchoolDay.objects.filter(
            school=school, date__gte=start, date__lte=end
        ).select_related("day_type")
    }
    years = list(
        AcademicYear.objects.filter(
            school=school, starts_on__lte=end, ends_on__gte=start
        )
    )
    default = calendar_once(
        ("default day type", school.pk),
        lambda: DayType.objects.filter(school=school, is_default=True).first(),
    )
    found = {}
    day = start
    while day <= end:
        row = rows.get(day)
        if row is not None and not row.is_school_day:
            found[day] = DayInfo(day, None, False, row.note or "no school")
        elif row is not None:
            found[day] = DayInfo(day, row.day_type, True, row.note)
        elif day.weekday() >= 5:
            found[day] = DayInfo(day, None, False, "a weekend")
        elif not any(y.starts_on <= day <= y.ends_on for y in years):
            found[day] = DayInfo(day, None, False, "outside the school year")
        elif default is None:
            found[day] = DayInfo(day, None, False, "no default bell schedule is set")
        else:
            found[day] = DayInfo(day, default, True, "")
        day += dt.timedelta(days=1)
    memo = _calendar.get()
    if memo is not None:
        for day, info in found.items():
            memo.setdefault(("info", school.pk, day), info)
    return found


def slot_in(periods, period):
    """The period of a bell schedule (periods) that holds period's slot.

    A slot is a period number and kind: Period 3 of a regular day is Period 3
    of a late-start day, at the late-start times.
    """
    if period is None:
        return None
    return next(
        (p for p in periods if p.number == period.number and p.kind == period.kind),
        None,
    )


def period_on(*, school=None, day: dt.date, period):
    """period's slot on a date, at that day's times (None: no school, or no such
    period that day). Every page and rule that shows or checks a period asks this."""
    if period is None:
        return None
    info = day_info(school=school, day=day)
    if not info.is_school_day:
        return None
    if period.day_type_id == info.day_type.pk:
        return period
    return slot_in(bell_schedule(info.day_type), period)


def period_label(period) -> str:
    """How a period is named in a choice: its name and times."""
    return f"{period.name} ({period.starts_at:%H:%M}-{period.ends_at:%H:%M})"


def period_labels_on(*, school=None, day: dt.date | None, periods) -> dict:
    """{period pk: label} of periods (slots) at a date's times; a slot the date
    does not have says so, and without a date (or school) the periods' own times."""
    periods = list(periods)
    info = day_info(school=school, day=day) if day is not None else None
    if info is None or not info.is_school_day:
        return {p.pk: period_label(p) for p in periods}
    today = bell_schedule(info.day_type)
    labels = {}
    for p in periods:
        same = p if p.day_type_id == info.day_type.pk else slot_in(today, p)
        labels[p.pk] = (
            period_label(same)
            if same is not None
            else f"{p.name} (not on a {info.day_type} day)"
        )
    return labels


def sections_meeting(*, school=None, day: dt.date, day_type=None, teacher=None):
    """Sections of the terms running on a date that meet on its day type."""
    school = school_or_scope(school)
    sections = Section.objects.filter(
        school=school,
        is_active=True,
        term__starts_on__lte=day,
        term__ends_on__gte=day,
    )
    if day_type is not None:
        sections = sections.filter(Q(meets_on__isnull=True) | Q(meets_on=day_type))
    if teacher is not None:
        sections = sections.filter(teacher=teacher)
    return sections.select_related("period", "room", "teacher").distinct()


def windows_on(*, school=None, day: dt.date):
    school = school_or_scope(school)
    return ObservationWindow.objects.filter(
        school=school, starts_on__lte=day, ends_on__gte=day
    ).prefetch_related("periods")


def school_has_windows(*, school=None) -> bool:
    return ObservationWindow.objects.filter(school=school_or_scope(school)).exists()


def with_details(bookings):
    """Bookings with what a week view or feed shows, in a fixed number of queries."""
    return bookings.select_related("period", "room", "host").prefetch_related(
        Prefetch("people", queryset=BookingPerson.objects.select_related("user")),
        Prefetch(
            "coverages",
            queryset=Coverage.objects.select_related(
                "observer", "covered_by", "section", "section__period", "section__room"
            ),
        ),
    )


# --- one day, loaded once ----------------------------------------------------------


@dataclass
class Busy:
    """Something a person is already doing then: a booking, or a class they cover."""

    starts_at: dt.datetime
    ends_at: dt.datetime
    what: str


@dataclass
class DayFacts:
    school: object
    info: DayInfo
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


# Within read_only_checks(): the days load_day read, bookings and all, kept for
# the rest of the check.
_read_once: ContextVar[dict | None] = ContextVar("jel_read_once", default=None)


@contextmanager
def read_only_checks():
    """A live check that reads many days (free slots over two weeks, each visit
    of a block): each day, its bookings too, is read once (calendar_reads).

    Only for reads: nothing written inside it is seen by a later load_day.
    """
    if _read_once.get() is not None:
        yield
        return
    token = _read_once.set({})
    try:
        with calendar_reads():
            yield
    finally:
        _read_once.reset(token)


def checks_once(key, read):
    """read(), or what it gave before within read_only_checks()."""
    memo = _read_once.get()
    if memo is None:
        return read()
    if key not in memo:
        memo[key] = read()
    return memo[key]


def _sections_of_terms(school, term_ids) -> list:
    """(section, ids of the day types it meets on) of the sections of some terms."""
    return [
        (section, {d.pk for d in section.meets_on.all()})
        for section in Section.objects.filter(
            school=school, term__in=term_ids, is_active=True
        )
        .select_related("period", "room", "teacher", "term")
        .prefetch_related("meets_on")
    ]


def _sections_on(school, day, day_type):
    if _calendar.get() is None:
        return sections_meeting(school=school, day=day, day_type=day_type)
    # The sections of the terms running that day, read once for every day
    # those same terms run (a fortnight of free slots is one read).
    terms = calendar_once(
        ("terms", school.pk),
        lambda: list(
            Term.objects.filter(school=school).values_list("pk", "starts_on", "ends_on")
        ),
    )
    running = tuple(sorted(pk for pk, first, last in terms if first <= day <= last))
    if not running:
        return []
    of_terms = calendar_once(
        ("sections", school.pk, running),
        lambda: _sections_of_terms(school, running),
    )
    # As sections_meeting: meeting on every day type (none named) or on this one.
    return [section for section, days in of_terms if not days or day_type.pk in days]


def sections_of(*, school, day, day_type, teacher=None) -> list:
    """sections_meeting, from the sections read once within calendar_reads()."""
    if _calendar.get() is None:
        return list(
            sections_meeting(school=school, day=day, day_type=day_type, teacher=teacher)
        )
    found = _sections_on(school, day, day_type)
    if teacher is None:
        return found
    teacher_id = getattr(teacher, "pk", teacher)
    return [s for s in found if s.teacher_id == teacher_id]


def _scheduled_bookings(school, start, end) -> dict:
    """{date: [booking]} of the scheduled bookings from start to end, with details."""
    found = defaultdict(list)
    for booking in with_details(
        Booking.objects.filter(
            school=school,
            date__gte=start,
            date__lte=end,
            status=Booking.Status.SCHEDULED,
        ).order_by("starts_at", "pk")  # as Meta orders them, ties settled
    ):
        found[booking.date].append(booking)
    return found


def load_day(school, day: dt.date) -> DayFacts:
    """Everything the rules need to know about one date, in a few queries."""
    memo = _read_once.get()
    if memo is not None and (school.pk, day) in memo:
        return memo[(school.pk, day)]
    facts = _load_day(school, day)
    if memo is not None:
        memo[(school.pk, day)] = facts
    return facts


def load_days(school, start: dt.date, end: dt.date) -> dict:
    """load_day of every date from start to end, reading each kind of fact once:
    the dates' day types, the bookings of them all, the sections, the windows."""
    memo = _read_once.get()
    days = {}
    with calendar_reads():
        day_infos(school=school, start=start, end=end)
        bookings = _scheduled_bookings(school, start, end)
        day = start
        while day <= end:
            if memo is not None and (school.pk, day) in memo:
                days[day] = memo[(school.pk, day)]
            else:
                days[day] = _load_day(school, day, bookings=bookings.get(day, []))
                if memo is not None:
                    memo[(school.pk, day)] = days[day]
            day += dt.timedelta(days=1)
    return days


def _all_windows(school) -> list | None:
    """(first day, last day, period numbers) of the school's windows, or None."""
    windows = [
        (window.starts_on, window.ends_on, {p.number for p in window.periods.all()})
        for window in ObservationWindow.objects.filter(school=school).prefetch_related(
            "periods"
        )
    ]
    return windows or None


def _load_day(school, day: dt.date, *, bookings=None) -> DayFacts:
    info = day_info(school=school, day=day)
    facts = DayFacts(school=school, info=info)
    if not info.is_school_day:
        return facts
    facts.periods = bell_schedule(info.day_type)
    facts.class_periods = {
        p.number: p for p in facts.periods if p.kind == Period.Kind.CLASS
    }
    for section in _sections_on(school, day, info.day_type):
        number = section.period.number
        if section.teacher_id:
            facts.teaching[(section.teacher_id, number)] = section
            facts.teachers[section.teacher_id] = section.teacher
        if section.room_id:
            facts.room_use[section.room_id][number] = section
    if _calendar.get() is None:
        if school_has_windows(school=school):
            facts.window_periods = [
                {p.number for p in window.periods.all()}
                for window in windows_on(school=school, day=day)
            ]
    else:
        # Every window of the school, read once; None when it sets none.
        windows = calendar_once(("windows", school.pk), lambda: _all_windows(school))
        if windows is not None:
            facts.window_periods = [
                numbers for first, last, numbers in windows if first <= day <= last
            ]
    if bookings is None:
        bookings = _scheduled_bookings(school, day, day)[day]
    facts.bookings = list(bookings)
    return facts


@dataclass
class When:
    """When a booking would be on a loaded day, and the class periods it overlaps."""

    start: dt.time
    end: dt.time
    period: Period | None
    overlapping: list

    def label(self) -> str:
        if self.period is not None:
            return self.period.name
        return f"{self.start:%H:%M}-{self.end:%H:%M}"

    def class_span(self, facts: DayFacts) -> tuple[dt.datetime, dt.datetime]:
        """Start and end of the class periods it overlaps (a coverer teaches the
        whole class), or of the booking itself outside the periods."""
        if not self.overlapping:
            return facts.aware(self.start), facts.aware(self.end)
        return (
            facts.aware(self.overlapping[0].starts_at),
            facts.aware(self.overlapping[-1].ends_at),
        )


def overlaps(a_start, a_end, b_start, b_end) -> bool:
    return a_start < b_end and b_start < a_end


def people_of(booking) -> set[int]:
    ids = {person.user_id for person in booking.people.all()}
    if booking.host_id:
        ids.add(booking.host_id)
    return ids


def is_excluded(pk, exclude_id) -> bool:
    """Whether a booking is left out of a check: the one being moved (an id) or
    all of a cycle being re-planned (a set of ids)."""
    if exclude_id is None:
        return False
    if isinstance(exclude_id, (set, frozenset, tuple, list)):
        return pk in exclude_id
    return pk == exclude_id


def covered_elsewhere(facts: DayFacts, exclude_id=None) -> set:
    """(observer id, section id) of classes another booking today already covers.

    In rounds an observer visits several rooms in one period; the class they
    leave is covered once for the whole period, not once a visit.
    """
    return {
        (cover.observer_id, cover.section_id)
        for booking in facts.bookings
        if not is_excluded(booking.pk, exclude_id)
        for cover in booking.coverages.all()
        if cover.section_id
    }


def uncovered_sections(facts, user_id, when, exclude_id=None) -> list:
    """(period, section) user teaches during when that nobody covers yet."""
    elsewhere = covered_elsewhere(facts, exclude_id)
    found = []
    for p in when.overlapping:
        section = facts.teaching.get((user_id, p.number))
        if section is not None and (user_id, section.pk) not in elsewhere:
            found.append((p, section))
    return found


def coverage_interval(facts: DayFacts, booking, cover):
    """When a cover duty runs: the coverer teaches the whole class period."""
    if cover.section_id:
        period = facts.class_periods.get(cover.section.period.number)
        if period is not None:
            return facts.aware(period.starts_at), facts.aware(period.ends_at)
    return booking.starts_at, booking.ends_at


def busy_for(facts: DayFacts, user_id, start, end, exclude_id=None) -> list[Busy]:
    """Other bookings user is in, or a class they cover, overlapping start-end."""
    found = []
    for booking in facts.bookings:
        if is_excluded(booking.pk, exclude_id):
            continue
        if user_id in people_of(booking) and overlaps(
            start, end, booking.starts_at, booking.ends_at
        ):
            found.append(Busy(booking.starts_at, booking.ends_at, booking.title))
        for cover in booking.coverages.all():
            if cover.covered_by_id != user_id:
                continue
            c_start, c_end = coverage_interval(facts, booking, cover)
            if overlaps(start, end, c_start, c_end):
                found.append(Busy(c_start, c_end, f"covering {cover.observer}'s class"))
    return found


def free_to_cover(facts: DayFacts, when: When, *, taken=(), exclude_id=None) -> list:
    """Colleagues in school today who neither teach nor are busy during when."""
    starts_at, ends_at = when.class_span(facts)
    free = []
    for user_id, user in facts.teachers.items():
        if user_id in taken:
            continue
        if any((user_id, p.number) in facts.teaching for p in when.overlapping):
            continue
        if busy_for(facts, user_id, starts_at, ends_at, exclude_id):
            continue
        free.append(user)
    return free
