"""The personal iCalendar feed and single-booking .ics, parsed back with icalendar."""

import datetime as dt

import pytest
from django.urls import reverse
from django_scopes import scope
from icalendar import Calendar

from scheduling.models import Booking, CalendarToken
from scheduling.services import (
    booking_cancel,
    booking_move,
    booking_plan,
    calendar_token_issue,
    calendar_token_regenerate,
    calendar_token_revoke,
)
from scheduling.tests.conftest import TUESDAY


def _plan(sched, cast):
    with scope(school=sched.school):
        return booking_plan(
            school=sched.school,
            by=cast.principal,
            kind=Booking.Kind.VISIT,
            title="Visit to Hope",
            date=TUESDAY,
            period=sched.periods[3],
            host=sched.host,
            observers=[sched.observer],
            coverage={sched.observer: sched.ann},
        )


def _token(sched, user):
    with scope(school=sched.school):
        return calendar_token_issue(school=sched.school, user=user).token


def _events(client, token):
    response = client.get(reverse("scheduling:feed", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return calendar, list(calendar.walk("VEVENT"))


@pytest.fixture
def visit(sched, cast):
    return _plan(sched, cast)


def test_feed_lists_the_visit_with_timezone_uid_and_sequence(client, sched, visit):
    calendar, events = _events(client, _token(sched, sched.observer))
    assert [str(e["SUMMARY"]) for e in events] == ["Visit to Hope"]
    event = events[0]
    assert str(event["UID"]) == f"{visit.uid}@jel"
    assert int(event["SEQUENCE"]) == 0
    start = event.decoded("DTSTART")
    assert (start.hour, start.minute, str(start.tzinfo)) == (9, 50, "America/New_York")
    assert event["DTSTART"].params["TZID"] == "America/New_York"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == [
        "America/New_York"
    ]
    assert "Ann Able covers Omar Haddad's class" in str(event["DESCRIPTION"])


@pytest.mark.parametrize("who", ["host", "observer"])
def test_host_and_observer_get_the_visit(client, sched, visit, who):
    _, events = _events(client, _token(sched, getattr(sched, who)))
    assert [str(e["UID"]) for e in events] == [f"{visit.uid}@jel"]


def test_coverer_gets_the_whole_class_period_in_the_observers_room(
    client, sched, cast, visit
):
    _, [event] = _events(client, _token(sched, sched.ann))
    assert str(event["SUMMARY"]) == "Cover Haddad class P3 for Omar Haddad"
    assert str(event["UID"]) == f"{visit.uid}-cover-{sched.observer.pk}@jel"
    assert event.decoded("DTSTART").time() == dt.time(9, 50)
    assert event.decoded("DTEND").time() == dt.time(10, 40)
    assert str(event["LOCATION"]) == "Room of Omar Haddad"
    # Moving the visit to another day keeps the cover entry's identity.
    with scope(school=sched.school):
        booking_move(
            booking=visit,
            by=cast.principal,
            date=dt.date(2026, 12, 3),
            period=sched.periods[3],
        )
    _, [moved] = _events(client, _token(sched, sched.ann))
    assert str(moved["UID"]) == str(event["UID"])
    assert int(moved["SEQUENCE"]) == 1


def test_feed_of_someone_not_involved_is_empty_but_valid(client, sched, visit):
    calendar, events = _events(client, _token(sched, sched.bo))
    assert events == []
    assert calendar.walk("VTIMEZONE")


def test_moving_keeps_the_uid_and_bumps_sequence(client, sched, cast, visit):
    with scope(school=sched.school):
        booking_move(
            booking=visit, by=cast.principal, date=TUESDAY, period=sched.periods[1]
        )
    _, [event] = _events(client, _token(sched, sched.host))
    assert str(event["UID"]) == f"{visit.uid}@jel"
    assert int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART").time() == dt.time(8, 0)


def test_cancelled_visit_stays_in_the_feed_as_cancelled(client, sched, cast, visit):
    with scope(school=sched.school):
        booking_cancel(booking=visit, by=cast.principal)
    _, [event] = _events(client, _token(sched, sched.observer))
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == 1


def test_revoked_token_answers_404(client, sched, visit):
    token = _token(sched, sched.host)
    with scope(school=sched.school):
        calendar_token_revoke(school=sched.school, user=sched.host)
    response = client.get(reverse("scheduling:feed", args=[token]))
    assert response.status_code == 404


def test_regenerating_retires_the_old_address(client, sched, visit):
    old = _token(sched, sched.host)
    with scope(school=sched.school):
        new = calendar_token_regenerate(school=sched.school, user=sched.host).token
    assert client.get(reverse("scheduling:feed", args=[old])).status_code == 404
    assert client.get(reverse("scheduling:feed", args=[new])).status_code == 200


def test_unknown_token_answers_404(client, sched):
    response = client.get(reverse("scheduling:feed", args=["not-a-token"]))
    assert response.status_code == 404


def test_token_of_someone_who_left_the_school_answers_404(client, sched, visit):
    token = _token(sched, sched.host)
    sched.host.memberships.update(is_active=False)
    assert client.get(reverse("scheduling:feed", args=[token])).status_code == 404


def test_tokens_carry_at_least_128_random_bits(sched):
    tokens = {_token(sched, user) for user in (sched.host, sched.observer, sched.ann)}
    assert len(tokens) == 3
    for token in tokens:
        # url-safe base64: 6 bits a character
        assert len(token) * 6 >= 128
        assert len(token) >= 43


def test_issue_returns_the_same_live_token(sched):
    assert _token(sched, sched.host) == _token(sched, sched.host)
    with scope(school=sched.school):
        assert CalendarToken.objects.filter(user=sched.host).count() == 1


def test_feed_shows_dst_visit_at_nine_local(client, cast):
    from jel.models import Role
    from jel.tests.factories import staff
    from scheduling.models import SchoolDay
    from scheduling.tests.factories import build_schedule

    host = staff(cast.school, Role.TEACHER, full_name="Dana Day")
    with scope(school=cast.school):
        built = build_schedule(cast.school, teaching={host: [2]})
        SchoolDay.objects.create(
            school=cast.school, date=dt.date(2027, 3, 14), day_type=built["regular"]
        )
        booking_plan(
            school=cast.school,
            by=cast.principal,
            kind=Booking.Kind.VISIT,
            title="DST visit",
            date=dt.date(2027, 3, 14),
            period=built["periods"][2],
            start_time=dt.time(9, 0),
            host=host,
        )
        token = calendar_token_issue(school=cast.school, user=host).token
    # time-machine is not needed: the feed covers 400 days ahead of today.
    _, [event] = _events(client, token)
    start = event.decoded("DTSTART")
    assert (start.hour, start.minute) == (9, 0)
    assert start.astimezone(dt.UTC).hour == 13


def test_single_booking_ics_download(login, sched, visit):
    client = login(sched.observer)
    response = client.get(reverse("scheduling:booking_ics", args=[visit.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["UID"]) == f"{visit.uid}@jel"
    assert str(event["LOCATION"]) == "Room of Hope Host"


def test_profile_shows_the_feed_address_and_can_regenerate_and_revoke(login, sched):
    client = login(sched.host)
    page = client.get(reverse("profile")).content.decode()
    assert "Turn on my calendar feed" in page
    client.post(reverse("scheduling:calendar_token"), {"action": "regenerate"})
    first = _token(sched, sched.host)
    page = client.get(reverse("profile")).content.decode()
    assert f"/calendar/{first}.ics" in page
    client.post(reverse("scheduling:calendar_token"), {"action": "regenerate"})
    second = _token(sched, sched.host)
    assert second != first
    client.post(reverse("scheduling:calendar_token"), {"action": "revoke"})
    assert client.get(reverse("scheduling:feed", args=[second])).status_code == 404
    assert "Turn on my calendar feed" in client.get(reverse("profile")).content.decode()
