"""Small schools for the term planner's tests, with answers worked out by hand."""

import datetime as dt

from django_scopes import scope

from jel.models import Role
from jel.tests.factories import staff
from scheduling.models import ObservationWindow, Term
from scheduling.tests.factories import build_schedule

# The week after the suite's clock (Monday 30 November 2026): Mon 7 - Fri 11 Dec.
WEEK_START = dt.date(2026, 12, 7)
WEEK_END = dt.date(2026, 12, 11)
EVERY_PERIOD = [1, 2, 3, 4, 5, 6, 7]


def small_school(
    school,
    people,
    *,
    window_periods=(2,),
    start=WEEK_START,
    end=WEEK_END,
    window_end=None,
):
    """people: [(name, periods taught, years, department)]; a term and a window
    from start to end in window_periods. Returns (users by first name, term)."""
    users = {}
    for name, _periods, years, department in people:
        users[name.split()[0]] = staff(
            school, Role.TEACHER, full_name=name, years=years, department=department
        )
    with scope(school=school):
        built = build_schedule(
            school,
            teaching={
                users[name.split()[0]]: periods for name, periods, _y, _d in people
            },
        )
        term = Term.objects.create(
            school=school,
            year=built["year"],
            name="Planning week",
            kind=Term.Kind.QUARTER,
            starts_on=start,
            ends_on=end,
        )
        window = ObservationWindow.objects.create(
            school=school,
            name="Visits",
            term=term,
            starts_on=start,
            ends_on=window_end or end,
        )
        window.periods.set([built["periods"][n] for n in window_periods])
    return users, term, built


# Ann plans in period 2; Ben, Cal and Dee teach all day, so only Ann can
# cover them, and only when she is not in a visit herself.
FOUR = [
    ("Ann Able", [1, 3, 4, 5, 6, 7], 10, "Mathematics"),
    ("Ben Brook", EVERY_PERIOD, 1, "Science"),
    ("Cal Cole", EVERY_PERIOD, 12, "Science"),
    ("Dee Dale", EVERY_PERIOD, 2, "English"),
]
