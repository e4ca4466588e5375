"""What calendars see when cover changes: the SEQUENCE of e-mailed invites, a
replaced coverer's duty cancelled (not gone), and feeds answering 304."""

import datetime as dt
import email

import pytest
from django.core import mail
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from icalendar import Calendar

from jel import services as core
from jel.models import Reminder, ReminderKind, ReminderState
from scheduling.models import Booking, Coverage, CoverRelease, Room
from scheduling.services import (
    booking_move,
    booking_plan,
    calendar_token_issue,
    coverage_assign,
)
from scheduling.tests.conftest import TUESDAY
from scheduling.tests.icaljs import read_with_ical_js

DAYTIME = dt.datetime(2026, 11, 30, 15, 0, tzinfo=dt.UTC)  # 10:00 school time


@pytest.fixture
def visit(sched, cast):
    """Tuesday's period 3 visit; Omar teaches then and Ann covers his class."""
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


def _cover_uid(visit, sched):
    return f"{visit.uid}-cover-{sched.observer.pk}@jel"


def _feed(client, sched, user, **headers):
    with scope(school=sched.school):
        token = calendar_token_issue(school=sched.school, user=user).token
    return client.get(reverse("scheduling:feed", args=[token]), headers=headers)


def _feed_events(client, sched, user) -> dict:
    response = _feed(client, sched, user)
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def _give_cover_to_bo(sched, cast, visit):
    with scope(school=sched.school):
        cover = Coverage.objects.get(booking=visit, observer=sched.observer)
        coverage_assign(coverage=cover, covered_by=sched.bo, by=cast.principal)


def _emails_to(user, capture) -> list[email.message.Message]:
    """Deliver every pending reminder to user now, as the worker does, and
    return the e-mails the mail server received, parsed by Python's email."""
    mail.outbox.clear()
    with scopes_disabled(), capture(execute=True):
        # The day-before notices; "asked to cover" is test_hand_off_notices'.
        pending = Reminder.objects.filter(
            recipient=user, state=ReminderState.PENDING
        ).exclude(kind=ReminderKind.COVER_ASKED)
        ids = list(pending.values_list("pk", flat=True))
        pending.update(state=ReminderState.SENDING)
        for pk in ids:
            assert core.reminder_deliver(reminder_id=pk, now=DAYTIME) == "e-mailed"
    return [email.message_from_bytes(m.message().as_bytes()) for m in mail.outbox]


def _invite(message) -> Calendar:
    [part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert part.get_filename() == "invite.ics"
    return Calendar.from_ical(part.get_payload(decode=True))


def test_cover_change_emails_an_invite_with_the_feeds_sequence(
    client, sched, cast, visit, django_capture_on_commit_callbacks
):
    _give_cover_to_bo(sched, cast, visit)
    feed = _feed_events(client, sched, sched.bo)
    assert int(feed[_cover_uid(visit, sched)]["SEQUENCE"]) == 1
    [message] = _emails_to(sched.bo, django_capture_on_commit_callbacks)
    assert message["Subject"] == "Tomorrow: cover Haddad class P3 for Omar Haddad"
    [event] = _invite(message).walk("VEVENT")
    assert str(event["UID"]) == _cover_uid(visit, sched)
    assert int(event["SEQUENCE"]) == 1  # the feed's, not the 0 it was
    assert str(event["STATUS"]) == "CONFIRMED"
    # The host's invite, derived in the same change, carries it too.
    [host_mail] = _emails_to(sched.host, django_capture_on_commit_callbacks)
    [host_event] = _invite(host_mail).walk("VEVENT")
    host_feed = _feed_events(client, sched, sched.host)
    assert int(host_event["SEQUENCE"]) == int(host_feed[f"{visit.uid}@jel"]["SEQUENCE"])
    assert int(host_event["SEQUENCE"]) == 1


def test_cover_duty_reminder_carries_the_duty_as_ics(
    sched, visit, django_capture_on_commit_callbacks
):
    [message] = _emails_to(sched.ann, django_capture_on_commit_callbacks)
    [event] = _invite(message).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Cover Haddad class P3 for Omar Haddad"
    assert str(event["UID"]) == _cover_uid(visit, sched)
    assert event.decoded("DTSTART").time() == dt.time(9, 50)
    assert event.decoded("DTEND").time() == dt.time(10, 40)
    assert str(event["LOCATION"]) == "Room of Omar Haddad"


def test_replaced_coverer_sees_the_duty_cancelled_in_feed_and_by_email(
    tmp_path, client, sched, cast, visit, django_capture_on_commit_callbacks
):
    before = _feed_events(client, sched, sched.ann)[_cover_uid(visit, sched)]
    assert (str(before["STATUS"]), int(before["SEQUENCE"])) == ("CONFIRMED", 0)
    _emails_to(sched.ann, django_capture_on_commit_callbacks)  # the invite
    _give_cover_to_bo(sched, cast, visit)

    response = _feed(client, sched, sched.ann)
    path = tmp_path / "ann.ics"
    path.write_bytes(response.content)
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["UID"]) == _cover_uid(visit, sched)
    assert (str(event["STATUS"]), int(event["SEQUENCE"])) == ("CANCELLED", 1)
    # Thunderbird's and Nextcloud's parser reads the same.
    [seen] = read_with_ical_js([path])
    assert (seen["uid"], seen["status"], seen["sequence"]) == (
        _cover_uid(visit, sched),
        "CANCELLED",
        1,
    )
    assert seen["start"] == "2026-12-01T14:50:00.000Z"

    [message] = _emails_to(sched.ann, django_capture_on_commit_callbacks)
    assert (
        message["Subject"] == "No longer needed: cover Haddad class P3 for Omar Haddad"
    )
    [mailed] = _invite(message).walk("VEVENT")
    assert str(mailed["UID"]) == _cover_uid(visit, sched)
    assert (str(mailed["STATUS"]), int(mailed["SEQUENCE"])) == ("CANCELLED", 1)


def test_covering_again_brings_the_duty_back_with_a_higher_sequence(
    client, sched, cast, visit
):
    _give_cover_to_bo(sched, cast, visit)
    with scope(school=sched.school):
        cover = Coverage.objects.get(booking=visit, observer=sched.observer)
        coverage_assign(coverage=cover, covered_by=sched.ann, by=cast.principal)
        assert not CoverRelease.objects.filter(released=sched.ann).exists()
    ann = _feed_events(client, sched, sched.ann)[_cover_uid(visit, sched)]
    assert (str(ann["STATUS"]), int(ann["SEQUENCE"])) == ("CONFIRMED", 2)
    bo = _feed_events(client, sched, sched.bo)[_cover_uid(visit, sched)]
    assert (str(bo["STATUS"]), int(bo["SEQUENCE"])) == ("CANCELLED", 2)


def test_moving_the_visit_into_a_planning_period_cancels_the_cover_duty(
    client, sched, cast, visit
):
    with scope(school=sched.school):
        booking_move(
            booking=visit, by=cast.principal, date=TUESDAY, period=sched.periods[1]
        )
    event = _feed_events(client, sched, sched.ann)[_cover_uid(visit, sched)]
    assert (str(event["STATUS"]), int(event["SEQUENCE"])) == ("CANCELLED", 1)


def test_feed_answers_304_to_its_etag_until_an_event_changes(
    client, sched, cast, visit
):
    first = _feed(client, sched, sched.host)
    etag = first["ETag"]
    assert etag.startswith('"') and etag.endswith('"')
    again = _feed(client, sched, sched.host, if_none_match=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    _give_cover_to_bo(sched, cast, visit)
    changed = _feed(client, sched, sched.host, if_none_match=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    # A renamed room changes what the event says, so the tag changes too.
    with scope(school=sched.school):
        Room.objects.filter(pk=visit.room_id).update(name="Room 12")
    renamed = _feed(client, sched, sched.host, if_none_match=changed["ETag"])
    assert renamed.status_code == 200
    assert "LOCATION:Room 12" in renamed.content.decode()
