"""Each school's weekly digest is its own: the reminder key names the school, and
one school's sync never cancels, rewrites or counts another school's digest."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django_scopes import scopes_disabled

from jel import tasks as jel_tasks
from jel.models import Reminder, ReminderKind, ReminderState, Role
from jel.tests.factories import staff
from observations import tasks
from observations.reminders import digest_about, weekly_digest_sync
from observations.tests.factories import goal

NY = dt.timezone(dt.timedelta(hours=-5))
MONDAY_0705 = dt.datetime(2026, 11, 30, 7, 5, tzinfo=NY)


@pytest.fixture
def other_coach(cast):
    return staff(cast.other_school, Role.COACH, full_name="Lou Lincolncoach")


def _digests():
    with scopes_disabled():
        return list(
            Reminder.objects.filter(kind=ReminderKind.WEEKLY_DIGEST).order_by("pk")
        )


def test_two_schools_get_two_digests_under_two_keys(cast, other_coach):
    goal(cast.teacher, cast.school, follow_up_on=dt.date(2026, 11, 20))
    with time_machine.travel(MONDAY_0705):
        assert tasks.send_weekly_digests() == 2
    by_school = {d.school_id: d for d in _digests()}
    mine, theirs = by_school[cast.school.pk], by_school[cast.other_school.pk]
    assert mine.about == f"digest:{cast.school.pk}:2026-11-30"
    assert theirs.about == f"digest:{cast.other_school.pk}:2026-11-30"
    assert mine.recipient == cast.coach
    assert theirs.recipient == other_coach
    # Each counts its own school's goals only.
    assert "1 goal follow-up is past its date." in mine.body
    assert "Every goal follow-up is on time." in theirs.body
    assert "Lincoln" in theirs.subject and "Jefferson" in mine.subject


def test_one_schools_sync_without_a_scope_leaves_the_other_digest_alone(
    cast, other_coach
):
    with time_machine.travel(MONDAY_0705):
        tasks.send_weekly_digests()
        with scopes_disabled():  # as a management command or the admin would
            weekly_digest_sync(school=cast.school)
            weekly_digest_sync(school=cast.school)
    assert [d.state for d in _digests()] == [ReminderState.PENDING] * 2


@pytest.mark.django_db(transaction=True)
def test_each_coach_is_emailed_their_own_schools_digest_once(cast, other_coach):
    with time_machine.travel(MONDAY_0705):
        tasks.send_weekly_digests()
        tasks.send_weekly_digests()
        jel_tasks.send_due_reminders()
    digests = sorted(
        (m.to[0], m.subject) for m in mail.outbox if "your JEL digest" in m.subject
    )
    assert digests == sorted(
        [
            (cast.coach.email, "This week at Jefferson Test Middle: your JEL digest"),
            (
                other_coach.email,
                "This week at Lincoln Test Middle: your JEL digest",
            ),
        ]
    )


def test_a_digest_written_under_the_old_key_is_not_written_again(cast):
    with scopes_disabled():
        Reminder.objects.create(
            school=cast.school,
            about="digest:2026-11-30",
            kind=ReminderKind.WEEKLY_DIGEST,
            recipient=cast.coach,
            due_at=dt.datetime(2026, 11, 30, 7, 0, tzinfo=NY),
            send_after=dt.datetime(2026, 11, 30, 7, 0, tzinfo=NY),
            subject="This week at Jefferson Test Middle: your JEL digest",
            state=ReminderState.SENT,
        )
    with time_machine.travel(MONDAY_0705):
        assert weekly_digest_sync(school=cast.school) == 0
    assert len(_digests()) == 1


def test_the_key_names_the_school(cast):
    monday = dt.date(2026, 11, 30)
    assert digest_about(cast.school, monday) != digest_about(cast.other_school, monday)
