"""Small pure helpers every app shares: weeks, clock arithmetic, grade spans.

One copy each: the apps had pairs of these (week_start / week_of, _add_minutes /
_minutes_later, School.grade_span / the dashboards' grade_band).
"""

import datetime as dt

_GRADE_NAMES = {0: "K"}


def week_start(day: dt.date) -> dt.date:
    """The Monday of the day's week (what TruncWeek gives)."""
    return day - dt.timedelta(days=day.weekday())


def add_minutes(clock: dt.time, minutes: int) -> dt.time:
    """A wall-clock time some minutes later (or earlier), on a nominal day."""
    moment = dt.datetime.combine(dt.date(2000, 1, 1), clock)
    return (moment + dt.timedelta(minutes=minutes)).time()


def grade_span(grades) -> str:
    """ "6-8" for grades 6, 7, 8; "K-5"; "7" for one grade; "" for none."""
    grades = sorted(g for g in (grades or []) if isinstance(g, int))
    if not grades:
        return ""
    low = _GRADE_NAMES.get(grades[0], grades[0])
    high = _GRADE_NAMES.get(grades[-1], grades[-1])
    return f"{low}" if low == high else f"{low}-{high}"


def grade_band(grades) -> str:
    """A dashboard's group label: "Grade 7", "Grades 6-8" or "No grade"."""
    span = grade_span(grades)
    if not span:
        return "No grade"
    return f"Grades {span}" if "-" in span else f"Grade {span}"
