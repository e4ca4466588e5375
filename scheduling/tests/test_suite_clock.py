"""The suite clock and the shared fixtures' calendar agree (jel/tests/clock.py)."""

import datetime as dt

import time_machine
from django.utils import timezone

from jel.tests.clock import SUITE_NOW, SUITE_TODAY
from scheduling.tests.conftest import TUESDAY
from scheduling.tests.factories import (
    AcademicYearFactory,
    ObservationWindowFactory,
    SchoolDayFactory,
)


def test_every_test_starts_at_the_suite_clock_whatever_the_machine_says():
    assert dt.timedelta(0) <= timezone.now() - SUITE_NOW < dt.timedelta(minutes=5)
    assert timezone.localdate() == SUITE_TODAY


def test_a_test_can_still_travel_elsewhere():
    with time_machine.travel(dt.datetime(2029, 7, 4, 12, tzinfo=dt.UTC), tick=False):
        assert timezone.localdate() == dt.date(2029, 7, 4)
    assert timezone.localdate() == SUITE_TODAY


def test_the_fixture_calendar_is_built_around_the_suite_clock(cast):
    year = AcademicYearFactory.build(school=cast.school)
    window = ObservationWindowFactory.build(school=cast.school)
    day = SchoolDayFactory.build(school=cast.school)
    assert year.starts_on <= SUITE_TODAY <= year.ends_on
    assert window.starts_on <= SUITE_TODAY <= window.ends_on
    # "Tomorrow" in the scheduling tests is a school day after a school day.
    assert SUITE_TODAY.weekday() == 0
    assert TUESDAY == day.date == SUITE_TODAY + dt.timedelta(days=1)
