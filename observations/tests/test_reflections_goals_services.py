"""Reflections are private by default; goals follow up after 14 days."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from observations import services
from observations.models import Reflection
from observations.selectors import (
    goals_due_for_follow_up,
    reflection_can_read,
    reflections_for,
)


def test_a_reflection_is_private_by_default(cast, in_school):
    reflection = services.reflection_create(
        school=cast.school, body="Only for me", by=cast.teacher
    )
    assert reflection.visibility == Reflection.Visibility.PRIVATE
    for reader, role in [(cast.coach, "coach"), (cast.principal, "principal")]:
        assert not reflection_can_read(reflection=reflection, user=reader, role=role)
    assert list(reflections_for(user=cast.coach, role="coach")) == []


def test_shared_with_coaches_reaches_coaches_not_principals(cast, in_school):
    reflection = services.reflection_create(
        school=cast.school, body="Help?", visibility="coaches", by=cast.teacher
    )
    assert reflection_can_read(reflection=reflection, user=cast.coach, role="coach")
    assert not reflection_can_read(
        reflection=reflection, user=cast.principal, role="principal"
    )


def test_cycle_group_sharing_reaches_the_cycle_only(cast, visit, in_school):
    reflection = services.reflection_create(
        school=cast.school,
        body="Our group",
        visibility="cycle_group",
        cycle=visit.cycle,
        by=cast.teacher,
    )
    assert reflection_can_read(reflection=reflection, user=visit.host, role="teacher")
    assert not reflection_can_read(
        reflection=reflection, user=cast.outsider, role="teacher"
    )


def test_cycle_group_sharing_needs_a_cycle(cast, in_school):
    with pytest.raises(ValidationError) as error:
        services.reflection_create(
            school=cast.school, body="x", visibility="cycle_group", by=cast.teacher
        )
    assert "visibility" in error.value.message_dict


def test_only_the_author_changes_or_deletes(cast, in_school):
    reflection = services.reflection_create(
        school=cast.school, body="Mine", visibility="coaches", by=cast.teacher
    )
    with pytest.raises(PermissionDenied):
        services.reflection_update(
            reflection=reflection, body="x", visibility="private", by=cast.coach
        )
    with pytest.raises(PermissionDenied):
        services.reflection_delete(reflection=reflection, by=cast.coach)
    services.reflection_delete(reflection=reflection, by=cast.teacher)
    assert not Reflection.objects.exists()


def test_a_colleague_cannot_reply_to_a_private_reflection(cast, in_school):
    reflection = services.reflection_create(
        school=cast.school, body="Mine", by=cast.teacher
    )
    with pytest.raises(PermissionDenied):
        services.reflection_reply(
            reflection=reflection, body="hi", by=cast.coach, role="coach"
        )


def test_a_goal_follows_up_in_14_days_by_default(cast, in_school):
    goal = services.goal_create(school=cast.school, text="Try it", by=cast.teacher)
    assert goal.follow_up_on == timezone.localdate() + datetime.timedelta(days=14)


def test_a_goal_due_shows_until_the_check_in(cast, in_school):
    goal = services.goal_create(school=cast.school, text="Try it", by=cast.teacher)
    later = goal.follow_up_on + datetime.timedelta(days=1)
    assert list(goals_due_for_follow_up(user=cast.teacher, today=later)) == [goal]
    services.goal_check_in(
        goal=goal,
        tried=True,
        results_as_anticipated="partly",
        why="Some groups talked",
        by=cast.teacher,
    )
    assert list(goals_due_for_follow_up(user=cast.teacher, today=later)) == []


def test_results_need_a_try(cast, in_school):
    goal = services.goal_create(school=cast.school, text="Try it", by=cast.teacher)
    with pytest.raises(ValidationError) as error:
        services.goal_check_in(
            goal=goal, tried=False, results_as_anticipated="yes", by=cast.teacher
        )
    assert "results_as_anticipated" in error.value.message_dict


def test_a_goal_is_followed_up_on_its_day_and_3_days_later_until_checked_in(
    cast, in_school
):
    from jel.models import Reminder, ReminderKind, ReminderState

    goal = services.goal_create(school=cast.school, text="Try it", by=cast.teacher)
    reminders = Reminder.objects.filter(about=f"goal:{goal.pk}").order_by("due_at")
    assert {r.kind for r in reminders} == {ReminderKind.GOAL_FOLLOW_UP}
    assert {r.recipient for r in reminders} == {cast.teacher}
    days = [timezone.localtime(r.due_at, cast.school.tz).date() for r in reminders]
    assert days == [goal.follow_up_on, goal.follow_up_on + datetime.timedelta(days=3)]
    services.goal_check_in(goal=goal, tried=False, by=cast.teacher)
    states = {r.state for r in Reminder.objects.filter(about=f"goal:{goal.pk}")}
    assert states == {ReminderState.CANCELLED}


def test_a_next_follow_up_date_moves_the_reminder(cast, in_school):
    from jel.models import Reminder, ReminderState

    goal = services.goal_create(school=cast.school, text="Try it", by=cast.teacher)
    later = timezone.localdate() + datetime.timedelta(days=30)
    services.goal_check_in(
        goal=goal,
        tried=True,
        results_as_anticipated="no",
        next_follow_up_on=later,
        by=cast.teacher,
    )
    pending = Reminder.objects.filter(
        about=f"goal:{goal.pk}", state=ReminderState.PENDING
    ).order_by("due_at")
    first = pending.first()
    assert timezone.localtime(first.due_at, cast.school.tz).date() == later


def test_a_follow_up_on_a_weekend_or_holiday_comes_on_the_next_school_day(
    cast, in_school
):
    from jel.models import Reminder
    from scheduling.models import SchoolDay
    from scheduling.tests.factories import build_schedule

    build_schedule(cast.school)
    saturday, monday = datetime.date(2027, 2, 6), datetime.date(2027, 2, 8)
    SchoolDay.objects.create(
        school=cast.school, date=monday, is_school_day=False, note="Staff day"
    )
    with time_machine.travel(datetime.datetime(2027, 1, 25, 9, 0)):
        goal = services.goal_create(
            school=cast.school, text="Try it", follow_up_on=saturday, by=cast.teacher
        )
    days = sorted(
        timezone.localtime(r.due_at, cast.school.tz).date()
        for r in Reminder.objects.filter(about=f"goal:{goal.pk}")
    )
    # Saturday -> Tuesday (Monday is a staff day); 3 days on: Friday.
    assert days == [datetime.date(2027, 2, 9), datetime.date(2027, 2, 12)]
