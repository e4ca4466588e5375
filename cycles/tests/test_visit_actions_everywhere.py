"""A visit from 'Plan a visit' leads its observer to the capture page from
My week, the booking page, the cycle page, home and their calendar feed."""

import datetime as dt

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse
from django_scopes import scope
from icalendar import Calendar

from cycles.models import LookFor
from cycles.services import quick_visit_plan
from scheduling.services import calendar_token_issue
from scheduling.tests.conftest import TUESDAY, sched  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db
BASE = "https://jel.example.org"


@pytest.fixture
def visit(cast, sched):  # noqa: F811
    with scope(school=sched.school):
        look_for = LookFor.objects.create(
            school=sched.school, text="Students explain their reasoning", kind="oral"
        )
        return quick_visit_plan(
            school=sched.school,
            by=cast.principal,
            host=sched.host,
            observers=[sched.observer],
            date=TUESDAY,
            period=sched.periods[5],
            minutes=15,
            look_for=look_for,
        )


def capture_url(visit):
    return reverse("observations:capture", args=[visit.pk])


def test_my_week_offers_observe(login, sched, visit):  # noqa: F811
    html = (
        login(sched.observer)
        .get(reverse("scheduling:my_week"), {"week": "2026-11-30"})
        .content.decode()
    )
    assert f'href="{capture_url(visit)}">Observe' in html


def test_my_week_of_a_later_week_offers_observe_too(login, cast, sched, visit):  # noqa: F811
    with time_machine.travel(dt.datetime(2026, 11, 23, 8, tzinfo=sched.school.tz)):
        html = (
            login(sched.observer)
            .get(reverse("scheduling:my_week"), {"week": "2026-11-30"})
            .content.decode()
        )
    assert f'href="{capture_url(visit)}">Observe' in html


def test_the_cycle_page_offers_observe_to_its_observer(login, sched, visit):  # noqa: F811
    html = (
        login(sched.observer)
        .get(reverse("cycles:detail", args=[visit.cycle_id]))
        .content.decode()
    )
    assert f'href="{capture_url(visit)}">Observe' in html


def test_the_host_is_offered_the_host_section(login, sched, visit):  # noqa: F811
    booking_url = reverse("scheduling:booking_detail", args=[visit.booking_id])
    html = login(sched.host).get(booking_url).content.decode()
    assert f'href="{booking_url}#host">Host' in html
    assert 'id="host"' in html and "1 colleague comes to your class" in html
    assert "Omar Haddad" in html


def test_home_offers_observe_once(login, sched, visit):  # noqa: F811
    with time_machine.travel(dt.datetime(2026, 12, 1, 7, tzinfo=sched.school.tz)):
        html = login(sched.observer).get(reverse("home")).content.decode()
    assert html.count(f'href="{capture_url(visit)}"') == 1


@override_settings(JEL_BASE_URL=BASE)
def test_the_feed_event_leads_the_observer_to_capture(client, sched, visit):  # noqa: F811
    with scope(school=sched.school):
        token = calendar_token_issue(school=sched.school, user=sched.observer).token
    body = client.get(reverse("scheduling:feed", args=[token])).content
    [event] = [
        e
        for e in Calendar.from_ical(body).walk("VEVENT")
        if str(e["UID"]) == f"{visit.booking.uid}@jel"
    ]
    assert str(event["URL"]) == BASE + capture_url(visit)
    assert str(event["DESCRIPTION"]).startswith(f"Observe: {BASE}{capture_url(visit)}")


@override_settings(JEL_BASE_URL=BASE)
def test_the_bookings_ics_leads_its_reader_to_their_action(login, sched, visit):  # noqa: F811
    url = reverse("scheduling:booking_ics", args=[visit.booking_id])
    body = login(sched.observer).get(url).content
    [event] = Calendar.from_ical(body).walk("VEVENT")
    assert str(event["URL"]) == BASE + capture_url(visit)


def test_the_feed_answers_if_modified_since_with_304(client, sched, visit):  # noqa: F811
    with scope(school=sched.school):
        token = calendar_token_issue(school=sched.school, user=sched.observer).token
    url = reverse("scheduling:feed", args=[token])
    first = client.get(url)
    stamp = first["Last-Modified"]
    assert stamp.endswith("GMT")
    again = client.get(url, headers={"If-Modified-Since": stamp})
    assert again.status_code == 304
    # A change to a booking in the feed's dates makes it modified again.
    with time_machine.travel(dt.datetime(2026, 11, 30, 9, tzinfo=sched.school.tz)):
        with scope(school=sched.school):
            booking = visit.booking
            booking.title = "Visit to Hope, moved"
            booking.save()
        changed = client.get(url, headers={"If-Modified-Since": stamp})
    assert changed.status_code == 200
