"""A cover duty spans the observer's whole absence: the class's whole period,
when a block of two visits takes the observer away for most of it."""

import pytest
from django.urls import reverse
from icalendar import Calendar

from jel.dates import add_minutes
from jel.models import Reminder, ReminderKind
from scheduling.models import Booking
from scheduling.services import BookingConflict, booking_plan
from scheduling.tests.conftest import TUESDAY

pytestmark = pytest.mark.usefixtures("in_school")


def _block_of_two(sched, cast):
    """Omar observes two 15-minute visits in Period 3; Ann covers his class."""
    period = sched.periods[3]
    first = booking_plan(
        school=sched.school,
        by=cast.principal,
        kind=Booking.Kind.VISIT,
        title="Visit 1",
        date=TUESDAY,
        period=period,
        start_time=period.starts_at,
        minutes=15,
        host=sched.host,
        observers=[sched.observer],
        coverage={sched.observer: sched.ann},
    )
    return first, period


def _hhmm(t):
    return f"{t:%H:%M}"


def test_the_cover_duty_is_the_whole_period_everywhere(sched, cast, login):
    first, period = _block_of_two(sched, cast)
    span = f"{_hhmm(period.starts_at)}-{_hhmm(period.ends_at)}"
    visit_end = _hhmm(add_minutes(period.starts_at, 15))
    assert visit_end < _hhmm(period.ends_at)
    cover = first.coverages.get()
    start, end = cover.duty_span
    assert (start.astimezone(sched.school.tz).time(), end.time()) == (
        period.starts_at,
        period.ends_at,
    )
    ann = login(sched.ann)
    page = ann.get(reverse("scheduling:booking_detail", args=[first.pk])).content
    assert f"{span}." in page.decode()
    week = ann.get(reverse("scheduling:my_week") + "?week=2026-11-30").content
    assert f"cover duty, {span}" in week.decode()
    notice = Reminder.objects.get(recipient=sched.ann, kind=ReminderKind.VISIT_TOMORROW)
    assert span in notice.body
    asked = Reminder.objects.get(recipient=sched.ann, kind=ReminderKind.COVER_ASKED)
    assert span in asked.body
    [event] = Calendar.from_ical(notice.ics).walk("VEVENT")
    assert "cover" in str(event["UID"])
    assert event.decoded("dtend").time() == period.ends_at
    plan = login(cast.principal).get(
        reverse("scheduling:coverage_plan") + f"?date={TUESDAY.isoformat()}"
    )
    assert span in plan.content.decode()


def test_the_coverer_is_busy_for_the_second_visit_of_the_block(sched, cast):
    _first, period = _block_of_two(sched, cast)
    # 20 minutes in: Omar is in the second room, Ann still teaches his class.
    with pytest.raises(BookingConflict) as refused:
        booking_plan(
            school=sched.school,
            by=cast.principal,
            kind="meeting",
            title="Ann's meeting",
            date=TUESDAY,
            period=period,
            start_time=add_minutes(period.starts_at, 20),
            minutes=15,
            attendees=[sched.ann],
        )
    assert any("Ann Able" in c.reason for c in refused.value.conflicts)
