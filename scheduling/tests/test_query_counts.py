"""My week, the calendar feed, the visit check and the free-slot search answer in
a fixed number of queries, however many bookings a person has."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope

from scheduling.booking_request import BookingRequest
from scheduling.models import Booking
from scheduling.services import booking_plan, calendar_token_issue
from scheduling.suggestions import booking_suggestions
from scheduling.tests.conftest import TUESDAY

pytestmark = pytest.mark.django_db

WEEK = "2026-11-30"
FROZEN = "2026-11-30 07:00 -05:00"

MY_WEEK_QUERIES = 20
COVERER_WEEK_QUERIES = 20
FEED_QUERIES = 15
VISIT_CHECK_QUERIES = 39
SEARCH_QUERIES = 19


def _visits(sched, cast, days):
    """Omar observes Hope in period 3 on each day; Ann covers his class."""
    with scope(school=sched.school):
        return [
            booking_plan(
                school=sched.school,
                by=cast.principal,
                kind=Booking.Kind.VISIT,
                title=f"Visit to Hope {day:%a}",
                date=day,
                period=sched.periods[3],
                host=sched.host,
                observers=[sched.observer],
                coverage={sched.observer: sched.ann},
            )
            for day in days
        ]


def _week_days(count):
    return [TUESDAY + dt.timedelta(days=i) for i in range(count)]


def _queries(run) -> int:
    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured)


@time_machine.travel(FROZEN, tick=False)
def test_my_week_is_pinned_and_does_not_grow_with_bookings(
    login, sched, cast, django_assert_max_num_queries
):
    _visits(sched, cast, _week_days(1))
    client = login(sched.observer)

    def week():
        page = client.get(reverse("scheduling:my_week"), {"week": WEEK})
        assert page.status_code == 200
        return page.content.decode()

    week()  # the first request of a session writes it
    one = _queries(week)
    _visits(sched, cast, _week_days(4)[1:])
    with django_assert_max_num_queries(MY_WEEK_QUERIES):
        html = week()
    assert _queries(week) == one
    assert "Visit to Hope Tue" in html and "Visit to Hope Fri" in html


@time_machine.travel(FROZEN, tick=False)
def test_the_coverers_week_is_pinned_and_does_not_grow_with_duties(
    login, sched, cast, django_assert_max_num_queries
):
    _visits(sched, cast, _week_days(1))
    client = login(sched.ann)

    def week():
        page = client.get(reverse("scheduling:my_week"), {"week": WEEK})
        assert page.status_code == 200
        return page.content.decode()

    week()
    one = _queries(week)
    _visits(sched, cast, _week_days(4)[1:])
    with django_assert_max_num_queries(COVERER_WEEK_QUERIES):
        html = week()
    assert _queries(week) == one
    assert "Covering a class for Visit to Hope Wed" in html


@time_machine.travel(FROZEN, tick=False)
def test_the_feed_is_pinned_and_does_not_grow_with_bookings(
    client, sched, cast, django_assert_max_num_queries
):
    _visits(sched, cast, _week_days(1))
    with scope(school=sched.school):
        token = calendar_token_issue(school=sched.school, user=sched.observer)
    url = reverse("scheduling:feed", args=[token.token])

    def feed():
        response = client.get(url)
        assert response.status_code == 200
        return response.content.decode()

    feed()
    one = _queries(feed)
    _visits(sched, cast, _week_days(4)[1:])
    with django_assert_max_num_queries(FEED_QUERIES):
        body = feed()
    assert _queries(feed) == one
    assert body.count("BEGIN:VEVENT") == 4


@time_machine.travel(FROZEN, tick=False)
def test_the_visit_check_is_pinned(login, sched, cast, django_assert_max_num_queries):
    _visits(sched, cast, _week_days(1))
    client = login(cast.principal)
    data = {
        "host": sched.host.pk,
        "observers": [sched.observer.pk, sched.bo.pk],
        "date": TUESDAY.isoformat(),
        "period": sched.periods[3].pk,
        "minutes": 15,
    }
    with django_assert_max_num_queries(VISIT_CHECK_QUERIES):
        response = client.post(
            reverse("scheduling:visit_check"), data, HTTP_HX_REQUEST="true"
        )
    assert response.status_code == 200
    assert "Omar Haddad is already booked" in response.content.decode()


@time_machine.travel(FROZEN, tick=False)
def test_the_free_slot_search_reads_a_fortnight_at_once(
    sched, cast, django_assert_max_num_queries
):
    _visits(sched, cast, _week_days(4))
    with scope(school=sched.school):
        request = BookingRequest(
            school=sched.school,
            date=TUESDAY,
            period=sched.periods[3],
            minutes=15,
            host=sched.host,
            observers=[sched.observer],
        )
        with django_assert_max_num_queries(SEARCH_QUERIES):
            slots = booking_suggestions(request, limit=40)
    # Ten school days are searched (the first day's own period left out).
    assert len({slot.date for slot in slots}) >= 5
    assert all(slot.period.number != 3 or slot.date != TUESDAY for slot in slots)
