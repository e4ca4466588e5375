"""Host rotation, swap-day caps and the semester's target ask the school calendar
(scheduling.calendar), not a hard-coded August-July year or fixed semesters."""

import datetime as dt

import pytest

from cycles import selectors
from cycles.models import Cycle, Visit
from cycles.tests.factories import CycleFactory
from scheduling import calendar

pytestmark = pytest.mark.django_db


def test_a_school_without_a_year_set_up_runs_august_to_july(scoped):
    # Moved from test_rules.py (rules.school_year_bounds is gone).
    assert calendar.year_bounds(school=scoped.school, day=dt.date(2026, 11, 25)) == (
        dt.date(2026, 8, 1),
        dt.date(2027, 7, 31),
    )
    assert calendar.year_bounds(school=scoped.school, day=dt.date(2027, 3, 1))[
        0
    ] == dt.date(2026, 8, 1)


def test_hosting_before_the_school_year_began_does_not_count_this_year(
    scoped, teachers
):
    # The fixtures' year starts on 24 August 2026.
    host = teachers["old_math"]
    cycle = CycleFactory(school=scoped.school, status=Cycle.Status.CLOSED)
    for day in (dt.date(2026, 8, 20), dt.date(2026, 9, 10)):
        Visit.objects.create(school=scoped.school, cycle=cycle, host=host, date=day)
    ranked = dict(
        selectors.host_rotation(
            school=scoped.school, day=dt.date(2026, 12, 3), candidates=[host]
        )
    )
    assert ranked[host] == 1


def test_swap_days_are_counted_in_the_schools_own_semester(scoped, teachers):
    # The fall semester runs into January: a swap day on 12 January is in it.
    fall = teachers["_schedule"]["term"]
    fall.ends_on = dt.date(2027, 1, 22)
    fall.save()
    CycleFactory(
        school=scoped.school, kind=Cycle.Kind.SWAP, starts_on=dt.date(2027, 1, 12)
    )
    found = selectors.swap_rotations_this_semester(
        school=scoped.school, day=dt.date(2026, 12, 3)
    )
    assert found["count"] == 1
