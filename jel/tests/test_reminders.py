"""Reminders are rows: derived, moved, cancelled, claimed once and delivered once."""

import datetime
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from jel import services, tasks
from jel.models import NotificationSettings, OutboundEmail, Reminder, ReminderState
from jel.services import ReminderSpec, school_time

# Real commits, so the outbox's on-commit shipping runs as in production.
pytestmark = pytest.mark.django_db(transaction=True)

NY = datetime.timezone(datetime.timedelta(hours=-5))


def spec(cast, due, kind="visit_soon", who=None, **extra):
    return ReminderSpec(
        kind=kind,
        recipient=who or cast.teacher,
        due_at=due,
        subject="Visit at 09:00 in Room 12",
        body="You observe Ms Kim's class, Period 2.",
        link="/",
        **extra,
    )


@pytest.fixture
def at_8am():
    with time_machine.travel(
        datetime.datetime(2026, 12, 2, 8, 0, tzinfo=NY), tick=False
    ) as t:
        yield t


def test_sync_creates_then_moves_then_cancels(cast, at_8am, in_school):
    first = school_time(cast.school, datetime.date(2026, 12, 2), datetime.time(8, 45))
    result = services.reminders_sync(
        school=cast.school, about="booking:1", wanted=[spec(cast, first)]
    )
    assert result == {"created": 1, "updated": 0, "cancelled": 0}
    # The visit moves to 10:00: the old reminder is cancelled, a new one is due.
    moved = first + datetime.timedelta(hours=1, minutes=15)
    result = services.reminders_sync(
        school=cast.school, about="booking:1", wanted=[spec(cast, moved)]
    )
    assert result == {"created": 1, "updated": 0, "cancelled": 1}
    states = dict(Reminder.objects.values_list("due_at", "state"))
    assert states == {first: "cancelled", moved: "pending"}
    services.reminders_cancel(school=cast.school, about="booking:1")
    assert set(Reminder.objects.values_list("state", flat=True)) == {"cancelled"}


def test_an_event_moved_away_and_back_is_reminded_again(cast, at_8am, in_school):
    first = school_time(cast.school, datetime.date(2026, 12, 2), datetime.time(8, 45))
    moved = first + datetime.timedelta(hours=2)
    for due in (first, moved, first):
        services.reminders_sync(
            school=cast.school, about="booking:1", wanted=[spec(cast, due)]
        )
    states = dict(Reminder.objects.values_list("due_at", "state"))
    assert states == {first: "pending", moved: "cancelled"}


def test_sync_twice_changes_nothing(cast, at_8am, in_school):
    due = school_time(cast.school, datetime.date(2026, 12, 2), datetime.time(8, 45))
    services.reminders_sync(
        school=cast.school, about="booking:1", wanted=[spec(cast, due)]
    )
    again = services.reminders_sync(
        school=cast.school, about="booking:1", wanted=[spec(cast, due)]
    )
    assert again == {"created": 0, "updated": 0, "cancelled": 0}
    assert Reminder.objects.count() == 1


def test_due_time_keeps_wall_clock_on_the_dst_day(cast):
    # 2027-03-14 is the spring-forward day in New York: 09:00 is 13:00 UTC.
    due = school_time(cast.school, datetime.date(2027, 3, 14), datetime.time(9, 0))
    assert due.astimezone(datetime.UTC).hour == 13
    before = school_time(cast.school, datetime.date(2027, 3, 13), datetime.time(9, 0))
    assert before.astimezone(datetime.UTC).hour == 14


def test_a_due_reminder_is_claimed_once_and_emailed_once(cast, at_8am, in_school):
    due = school_time(cast.school, datetime.date(2026, 12, 2), datetime.time(7, 45))
    services.reminders_sync(
        school=cast.school, about="booking:1", wanted=[spec(cast, due)]
    )
    with scopes_disabled():
        first = services.reminders_claim_due()
        second = services.reminders_claim_due()
        assert len(first) == 1 and second == []
        assert services.reminder_deliver(reminder_id=first[0]) == "e-mailed"
        # A redelivered task message finds the row sent and does nothing.
        assert services.reminder_deliver(reminder_id=first[0]) == "skipped"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Visit at 09:00 in Room 12"
    assert "You observe Ms Kim's class" in message.body
    assert message.to == [cast.teacher.email]
    assert Reminder.objects.get().state == ReminderState.SENT
    assert OutboundEmail.objects.get().shipped_at is not None


def test_visit_reminder_carries_its_calendar_file(cast, at_8am, in_school):
    due = school_time(cast.school, datetime.date(2026, 12, 2), datetime.time(7, 45))
    ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"
    services.reminders_sync(
        school=cast.school, about="booking:1", wanted=[spec(cast, due, ics=ics)]
    )
    tasks.send_due_reminders()  # eager in tests: claims, delivers, ships
    (attachment,) = mail.outbox[0].attachments
    assert attachment[0] == "invite.ics" and "VCALENDAR" in attachment[1]


def test_not_yet_due_reminders_wait(cast, at_8am, in_school):
    due = school_time(cast.school, datetime.date(2026, 12, 2), datetime.time(8, 45))
    services.reminders_sync(
        school=cast.school, about="booking:1", wanted=[spec(cast, due)]
    )
    assert tasks.send_due_reminders() == 0
    at_8am.move_to(due + datetime.timedelta(seconds=1))
    assert tasks.send_due_reminders() == 1
    assert len(mail.outbox) == 1


def test_quiet_hours_delay_email_to_seven_not_drop_it(cast, in_school):
    evening = datetime.datetime(2026, 12, 2, 21, 30, tzinfo=NY)
    with time_machine.travel(evening, tick=False) as clock:
        services.reminders_sync(
            school=cast.school,
            about="goal:3",
            wanted=[spec(cast, evening, kind="goal_follow_up")],
        )
        tasks.send_due_reminders()
        assert mail.outbox == []
        row = Reminder.objects.get()
        assert row.state == "pending"
        assert row.send_after == datetime.datetime(2026, 12, 3, 7, 0, tzinfo=NY)
        # In the app it shows at once; only e-mail waits.
        assert "Visit at 09:00" in row.subject
        clock.move_to(datetime.datetime(2026, 12, 3, 7, 0, 30, tzinfo=NY))
        tasks.send_due_reminders()
        assert len(mail.outbox) == 1


def test_deadline_reminders_ignore_quiet_hours(cast, in_school):
    evening = datetime.datetime(2026, 12, 2, 21, 30, tzinfo=NY)
    with time_machine.travel(evening, tick=False):
        services.reminders_sync(
            school=cast.school,
            about="debrief:3",
            wanted=[spec(cast, evening, kind="debrief_overdue", is_deadline=True)],
        )
        tasks.send_due_reminders()
    assert len(mail.outbox) == 1


def test_email_turned_off_for_a_kind_means_in_app_only(cast, at_8am, in_school):
    membership = cast.teacher.memberships.get()
    NotificationSettings.objects.create(
        school=cast.school, membership=membership, email_off=["visit_soon"]
    )
    due = school_time(cast.school, datetime.date(2026, 12, 2), datetime.time(7, 45))
    services.reminders_sync(
        school=cast.school, about="booking:1", wanted=[spec(cast, due)]
    )
    tasks.send_due_reminders()
    assert mail.outbox == []
    assert Reminder.objects.get().state == "sent"


def test_failures_retry_with_backoff_then_show_as_failed(cast, at_8am, in_school):
    due = school_time(cast.school, datetime.date(2026, 12, 2), datetime.time(7, 45))
    services.reminders_sync(
        school=cast.school, about="booking:1", wanted=[spec(cast, due)]
    )
    broken = mock.patch(
        "jel.services._email_for", side_effect=RuntimeError("template broke")
    )
    with broken:
        tasks.send_due_reminders()
        row = Reminder.objects.get()
        assert (row.state, row.attempts) == ("pending", 1)
        assert row.send_after == at_8am_now() + datetime.timedelta(minutes=1)
        at_8am.shift(datetime.timedelta(minutes=1))
        tasks.send_due_reminders()
        at_8am.shift(datetime.timedelta(minutes=5))
        tasks.send_due_reminders()
    row.refresh_from_db()
    assert (row.state, row.attempts) == ("failed", 3)
    assert "template broke" in row.last_error
    assert mail.outbox == []


def at_8am_now():
    from django.utils import timezone

    return timezone.now()


def test_a_claim_abandoned_by_a_dead_worker_is_claimed_again(cast, at_8am, in_school):
    due = school_time(cast.school, datetime.date(2026, 12, 2), datetime.time(7, 45))
    services.reminders_sync(
        school=cast.school, about="booking:1", wanted=[spec(cast, due)]
    )
    with scopes_disabled():
        assert len(services.reminders_claim_due()) == 1  # ...and the worker dies
        assert services.reminders_claim_due() == []
        at_8am.shift(services.STALE_CLAIM + datetime.timedelta(seconds=1))
        (again,) = services.reminders_claim_due()
        services.reminder_deliver(reminder_id=again)
    assert len(mail.outbox) == 1


def _outbox_row(cast, at_8am):
    """One reminder decided into the outbox, its shipping left undone."""
    due = school_time(cast.school, datetime.date(2026, 12, 2), datetime.time(7, 45))
    services.reminders_sync(
        school=cast.school, about="booking:1", wanted=[spec(cast, due)]
    )
    with scopes_disabled(), mock.patch("jel.services._ship_now"):
        (claimed,) = services.reminders_claim_due()
        services.reminder_deliver(reminder_id=claimed)
        return OutboundEmail.objects.get()


def test_a_second_shipper_skips_an_email_being_shipped(cast, at_8am, in_school):
    outbound = _outbox_row(cast, at_8am)
    sent_by_the_other = []

    def the_other_shipper_runs_meanwhile(message):
        # A requeued task for the same row arrives while the first is sending.
        sent_by_the_other.append(services.outbound_ship(outbound_id=outbound.pk))

    real_send = mail.EmailMessage.send

    def send(message, *args, **kwargs):
        the_other_shipper_runs_meanwhile(message)
        return real_send(message, *args, **kwargs)

    with scopes_disabled(), mock.patch.object(mail.EmailMessage, "send", send):
        assert services.outbound_ship(outbound_id=outbound.pk) is True
        assert services.outbound_ship(outbound_id=outbound.pk) is False
    assert sent_by_the_other == [False]
    assert len(mail.outbox) == 1
    outbound.refresh_from_db()
    assert outbound.shipped_at is not None and outbound.attempts == 1


def test_a_failed_send_is_released_and_shipped_by_the_retry(cast, at_8am, in_school):
    outbound = _outbox_row(cast, at_8am)
    refused = mock.patch.object(
        mail.EmailMessage, "send", side_effect=OSError("connection refused")
    )
    with scopes_disabled():
        with refused, pytest.raises(OSError):
            services.outbound_ship(outbound_id=outbound.pk)
        outbound.refresh_from_db()
        assert outbound.shipped_at is None and outbound.shipping_since is None
        assert "connection refused" in outbound.last_error
        assert services.outbound_ship(outbound_id=outbound.pk) is True
    assert len(mail.outbox) == 1


def test_an_email_whose_shipper_died_is_requeued_after_the_stale_time(
    cast, at_8am, in_school
):
    outbound = _outbox_row(cast, at_8am)
    with scopes_disabled():
        # A shipper claims the row and is killed before it reaches the server.
        OutboundEmail.objects.filter(pk=outbound.pk).update(shipping_since=at_8am_now())
        at_8am.shift(datetime.timedelta(seconds=30))
        assert services.outbound_unshipped() == []
        assert services.outbound_ship(outbound_id=outbound.pk) is False
        at_8am.shift(services.STALE_CLAIM)
        assert services.outbound_unshipped() == [outbound.pk]
        assert services.outbound_ship(outbound_id=outbound.pk) is True
    (message,) = mail.outbox
    # The Message-ID is the row's own, so a resend is recognisably the same mail.
    key = outbound.key.replace(":", ".")
    domain = services.mail_domain()
    assert message.extra_headers["Message-ID"] == f"<{key}.{outbound.pk}@{domain}>"


def test_same_quiet_start_and_end_means_no_quiet_hours(cast, in_school):
    membership = cast.teacher.memberships.get()
    NotificationSettings.objects.create(
        school=cast.school,
        membership=membership,
        quiet_start=datetime.time(0, 0),
        quiet_end=datetime.time(0, 0),
    )
    night = datetime.datetime(2026, 12, 2, 2, 30, tzinfo=NY)
    with time_machine.travel(night, tick=False):
        services.reminders_sync(
            school=cast.school, about="booking:1", wanted=[spec(cast, night)]
        )
        tasks.send_due_reminders()
    assert len(mail.outbox) == 1


def test_notifications_page_lists_due_notices_and_marks_them_read(cast, at_8am, login):
    due = school_time(cast.school, datetime.date(2026, 12, 2), datetime.time(7, 45))
    later = school_time(cast.school, datetime.date(2026, 12, 3), datetime.time(7, 45))
    with scope(school=cast.school):
        services.reminders_sync(
            school=cast.school,
            about="booking:1",
            wanted=[spec(cast, due), spec(cast, later)],
        )
    client = login(cast.teacher)
    page = client.get(reverse("notifications")).content.decode()
    assert page.count("Visit at 09:00 in Room 12</div>") == 1  # tomorrow is not due
    assert 'aria-label="Notifications, 1 unread"' in page
    with scopes_disabled():
        row = Reminder.objects.get(due_at=due)
    response = client.post(reverse("notification_open", args=[row.pk]))
    assert response["Location"] == "/"
    page = client.get(reverse("notifications")).content.decode()
    assert "1 unread" not in page


def test_another_persons_notice_cannot_be_opened(cast, at_8am, login):
    due = school_time(cast.school, datetime.date(2026, 12, 2), datetime.time(7, 45))
    with scope(school=cast.school):
        services.reminders_sync(
            school=cast.school, about="booking:1", wanted=[spec(cast, due)]
        )
        row = Reminder.objects.get()
    response = login(cast.coach).post(reverse("notification_open", args=[row.pk]))
    assert response.status_code == 404


def test_settings_page_turns_email_off_per_kind_and_sets_quiet_hours(cast, login):
    client = login(cast.teacher)
    response = client.post(
        reverse("notification_settings"),
        {
            "email_kinds": ["visit_soon", "goal_follow_up"],
            "quiet_start": "21:00",
            "quiet_end": "06:30",
        },
        follow=True,
    )
    assert "Your notification settings are saved" in response.content.decode()
    with scopes_disabled():
        saved = NotificationSettings.objects.get()
    assert "visit_tomorrow" in saved.email_off and "visit_soon" not in saved.email_off
    assert saved.quiet_start == datetime.time(21, 0)


def test_settings_page_rejects_a_bad_time_and_saves_nothing(cast, login):
    client = login(cast.teacher)
    response = client.post(
        reverse("notification_settings"), {"quiet_start": "25:99", "quiet_end": "06:30"}
    )
    assert "Enter a valid time" in response.content.decode()
    with scopes_disabled():
        # Nothing saved: the page shows the defaults without writing them.
        assert not NotificationSettings.objects.exists()


def test_reminder_times_refuse_nonsense_and_save_nothing(cast, login):
    response = login(cast.principal).post(
        reverse("reminder_timings"),
        {"visit_tomorrow_at": "16:00", "visit_soon_minutes": "0", "digest_at": "7"},
    )
    page = response.content.decode()
    assert "Ensure this value is greater than or equal to 5" in page
    with scopes_disabled():
        from jel.models import ReminderTimings

        assert not ReminderTimings.objects.exists()
