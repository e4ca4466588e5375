"""On a late-start day the rules and suggestions use its own bell schedule."""

import datetime as dt

import pytest

from scheduling.booking_request import BookingRequest
from scheduling.selectors import booking_suggestions, period_labels_on, period_on
from scheduling.tests.factories import add_late_start

pytestmark = pytest.mark.usefixtures("in_school")

WEDNESDAY = dt.date(2026, 12, 2)


def test_a_period_is_its_slot_at_the_days_times(sched):
    late = add_late_start(sched.school, WEDNESDAY)
    regular_p3 = sched.periods[3]
    assert period_on(day=WEDNESDAY, period=regular_p3) == late[3]
    assert period_on(day=dt.date(2026, 12, 1), period=regular_p3) == regular_p3
    assert period_on(day=dt.date(2026, 12, 5), period=regular_p3) is None  # Saturday
    labels = period_labels_on(day=WEDNESDAY, periods=[regular_p3])
    assert labels == {regular_p3.pk: "Period 3 (10:30-11:10)"}


def test_suggestions_keep_the_minutes_into_the_late_period(sched):
    add_late_start(sched.school, WEDNESDAY)
    # 10:35 is five minutes into the late-start Period 3, which Omar teaches.
    request = BookingRequest(
        school=sched.school,
        date=WEDNESDAY,
        period=sched.periods[3],
        start_time=dt.time(10, 35),
        minutes=15,
        host=sched.host,
        observers=[sched.observer],
    )
    slots = booking_suggestions(request)
    assert slots[0].label == "Wed 2 Dec, Period 1 (09:05)"
