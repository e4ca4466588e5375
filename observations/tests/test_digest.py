"""Coaches get a weekly digest on Monday at 07:00 school time, once."""

import datetime as dt

import pytest
import time_machine
from django.core import mail

from jel import tasks as jel_tasks
from jel.models import Reminder, ReminderKind
from observations import services, tasks

NY = dt.timezone(dt.timedelta(hours=-5))


@pytest.fixture
def goal_overdue(cast, in_school):
    with time_machine.travel(dt.datetime(2026, 11, 16, 9, 0, tzinfo=NY)):
        return services.goal_create(
            school=cast.school,
            text="Cold calls with think time",
            follow_up_on=dt.date(2026, 11, 20),
            by=cast.teacher,
        )


def test_digest_is_written_on_monday_at_seven_and_only_once(
    cast, in_school, goal_overdue
):
    with time_machine.travel(dt.datetime(2026, 11, 30, 6, 30, tzinfo=NY)):
        assert tasks.send_weekly_digests() == 0  # before 07:00
    with time_machine.travel(dt.datetime(2026, 11, 30, 7, 5, tzinfo=NY)):
        assert tasks.send_weekly_digests() == 1
        assert tasks.send_weekly_digests() == 0
    digest = Reminder.objects.get(kind=ReminderKind.WEEKLY_DIGEST)
    assert digest.recipient == cast.coach
    assert digest.due_at == dt.datetime(2026, 11, 30, 7, 0, tzinfo=NY)
    assert "1 goal follow-up is past its date." in digest.body
    assert "Cold calls" not in digest.body  # counts only: a goal is personal
    assert "No debriefs overdue." in digest.body


def test_no_digest_on_other_days(cast, in_school):
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, 0, tzinfo=NY)):
        assert tasks.send_weekly_digests() == 0
    assert not Reminder.objects.filter(kind=ReminderKind.WEEKLY_DIGEST).exists()


@pytest.mark.django_db(transaction=True)
def test_digest_reaches_the_coach_by_email(cast, in_school, goal_overdue):
    with time_machine.travel(dt.datetime(2026, 11, 30, 7, 5, tzinfo=NY)):
        tasks.send_weekly_digests()
        jel_tasks.send_due_reminders()
    digests = [m for m in mail.outbox if "your JEL digest" in m.subject]
    assert [m.to for m in digests] == [[cast.coach.email]]
