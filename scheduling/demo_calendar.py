"""The demo school's calendar, computed by rule from the year it starts in.

No literal dates: a US middle-school year starts the Monday of the last full
week of August and ends on the second Friday of June, with the usual federal
holidays, a winter break, a spring-break week, late-start Wednesdays and three
half days. A four-day-a-week summer session follows, so that a date in late
June or early July still has school days ahead; once it is over (mid-July)
the demo moves on to the year that starts next.
"""

import datetime as dt
from dataclasses import dataclass, field
from functools import cache

LATE_START_WEEKDAY = 2  # Wednesdays start late for staff collaboration.
SUMMER_WEEKS = 5
# How far back the demo's history of cycles reaches: about ten school weeks.
HISTORY_SCHOOL_DAYS = 50
ONE_DAY = dt.timedelta(days=1)


def days_between(first: dt.date, last: dt.date):
    day = first
    while day <= last:
        yield day
        day += ONE_DAY


def nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The n-th (1-based) weekday of a month."""
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def last_weekday(year: int, month: int, weekday: int) -> dt.date:
    after = dt.date(year + month // 12, month % 12 + 1, 1)
    last = after - ONE_DAY
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


@dataclass(frozen=True)
class DemoYear:
    """One academic year of the demo school, from its first day of school to
    the last day of its summer session."""

    start_year: int
    first_day: dt.date
    last_day: dt.date
    summer_first: dt.date
    summer_last: dt.date
    terms: tuple = ()
    holidays: dict = field(default_factory=dict)
    half_days: frozenset = frozenset()
    windows: tuple = ()

    @property
    def name(self) -> str:
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}"

    @property
    def ends_on(self) -> dt.date:
        return self.summer_last

    def is_summer(self, day: dt.date) -> bool:
        return self.summer_first <= day <= self.summer_last

    def day_kind(self, day: dt.date) -> tuple[str, str] | None:
        """What a weekday of the year is: ("off", why), ("half", ""), ("late", ""),
        ("summer", "") or ("regular", ""); None for weekends and days outside."""
        if day.weekday() >= 5 or not (self.first_day <= day <= self.ends_on):
            return None
        if day in self.holidays:
            return ("off", self.holidays[day])
        if self.last_day < day < self.summer_first:
            return ("off", "Summer break")
        if self.is_summer(day):
            if day.weekday() == 4:
                return ("off", "Summer session: no classes on Fridays")
            return ("summer", "")
        if day in self.half_days:
            return ("half", "")
        if day.weekday() == LATE_START_WEEKDAY:
            return ("late", "")
        return ("regular", "")

    def is_school_day(self, day: dt.date) -> bool:
        kind = self.day_kind(day)
        return kind is not None and kind[0] != "off"

    def school_days(self):
        return [
            d
            for d in days_between(self.first_day, self.ends_on)
            if self.is_school_day(d)
        ]


def _independence_day(year: int) -> dt.date:
    day = dt.date(year, 7, 4)
    if day.weekday() == 5:
        return day - ONE_DAY
    if day.weekday() == 6:
        return day + ONE_DAY
    return day


@cache
def demo_year(start_year: int) -> DemoYear:
    """The year that starts in August of start_year."""
    y, n = start_year, start_year + 1
    # The Monday of the last full (Monday-Friday) week of August.
    first_day = last_weekday(y, 8, 0)
    if first_day.day > 27:
        first_day -= dt.timedelta(days=7)
    last_day = nth_weekday(n, 6, 4, 2)
    summer_first = last_day + dt.timedelta(days=3)
    summer_last = summer_first + dt.timedelta(weeks=SUMMER_WEEKS - 1, days=3)

    thanksgiving = nth_weekday(y, 11, 3, 4)
    mlk = nth_weekday(n, 1, 0, 3)
    spring_monday = last_weekday(n, 3, 0)
    holidays = {
        nth_weekday(y, 9, 0, 1): "Labor Day",
        thanksgiving: "Thanksgiving",
        thanksgiving + ONE_DAY: "Thanksgiving",
        mlk: "Martin Luther King Jr. Day",
        nth_weekday(n, 2, 0, 3): "Presidents Day",
        last_weekday(n, 5, 0): "Memorial Day",
        _independence_day(n): "Independence Day",
    }
    winter_last = dt.date(n, 1, 1)
    if dt.date(n, 1, 2).weekday() == 4:  # do not come back for one Friday
        winter_last = dt.date(n, 1, 2)
    for day in days_between(dt.date(y, 12, 21), winter_last):
        holidays[day] = "Winter break"
    for day in days_between(spring_monday, spring_monday + dt.timedelta(days=4)):
        holidays[day] = "Spring break"

    def last_school_day_before(day):
        day -= ONE_DAY
        while day.weekday() >= 5 or day in holidays:
            day -= ONE_DAY
        return day

    def first_school_day_after(day):
        day += ONE_DAY
        while day.weekday() >= 5 or day in holidays:
            day += ONE_DAY
        return day

    half_days = frozenset(
        {
            thanksgiving - ONE_DAY,
            last_school_day_before(dt.date(y, 12, 21)),
            last_day,
        }
    )
    s1_last = last_school_day_before(mlk)
    s2_first = first_school_day_after(mlk)
    q1_last = first_day + dt.timedelta(weeks=8, days=4)
    q2_first = q1_last + dt.timedelta(days=3)
    q3_last = last_school_day_before(spring_monday)
    q4_first = first_school_day_after(spring_monday + dt.timedelta(days=4))
    semester, quarter = "semester", "quarter"
    terms = (
        ("Semester 1", semester, first_day, s1_last),
        ("Semester 2", semester, s2_first, last_day),
        ("Quarter 1", quarter, first_day, q1_last),
        ("Quarter 2", quarter, q2_first, s1_last),
        ("Quarter 3", quarter, s2_first, q3_last),
        ("Quarter 4", quarter, q4_first, last_day),
        # Term.Kind has no "summer"; a short term is closest to a quarter.
        ("Summer session", quarter, summer_first, summer_last),
    )
    # One window per quarter: from its second week to the end of its
    # second-to-last week, so the first and last weeks stay for teaching.
    windows = []
    for name, kind, starts_on, ends_on in terms:
        if kind != quarter:
            continue
        if name == "Summer session":
            windows.append(("Summer session visits", name, starts_on, ends_on))
            continue
        opens = monday_of(starts_on) + dt.timedelta(days=7)
        closes = monday_of(ends_on) - dt.timedelta(days=3)
        windows.append((f"{name} visits", name, opens, closes))
    return DemoYear(
        start_year=y,
        first_day=first_day,
        last_day=last_day,
        summer_first=summer_first,
        summer_last=summer_last,
        terms=terms,
        holidays=holidays,
        half_days=half_days,
        windows=tuple(windows),
    )


def year_for(today: dt.date) -> DemoYear:
    """The year that contains today; once its summer session is over, the next."""
    started = demo_year(today.year - 1)
    if today <= started.ends_on:
        return started
    return demo_year(today.year)


def next_school_day(today: dt.date, *, inclusive=True) -> dt.date:
    """The first school day on or after today (after it, if not inclusive)."""
    day = today if inclusive else today + ONE_DAY
    while True:
        year = year_for(day)
        if year.is_school_day(day):
            return day
        if day < year.first_day:
            day = year.first_day
        else:
            day += ONE_DAY


def school_days_before(today: dt.date, count: int) -> list[dt.date]:
    """The count school days before today, newest first (across years)."""
    found, day = [], today - ONE_DAY
    while len(found) < count:
        year = year_for(day)
        if year.is_school_day(day):
            found.append(day)
        day -= ONE_DAY
    return found
