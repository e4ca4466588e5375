"""A principal's reminder times reach the reminders the apps derive."""

import datetime

from django.urls import reverse
from django_scopes import scope

from jel.models import Reminder
from observations import services as observation_services


def test_principal_changes_reminder_times_and_new_goals_use_them(cast, login):
    client = login(cast.principal)
    data = {
        "visit_tomorrow_at": "15:00",
        "visit_soon_minutes": "10",
        "reflection_prompt_at": "15:45",
        "micro_debrief_nudge_hours": "18",
        "follow_up_at": "06:45",
        "follow_up_again_days": "2",
        "digest_at": "06:30",
    }
    response = client.post(reverse("reminder_timings"), data, follow=True)
    assert "Reminder times are saved" in response.content.decode()
    with scope(school=cast.school):
        goal = observation_services.goal_create(
            school=cast.school, text="Try wait time", by=cast.teacher
        )
        times = sorted(
            r.due_at.astimezone(cast.school.tz)
            for r in Reminder.objects.filter(about=f"goal:{goal.pk}")
        )
    assert [t.time() for t in times] == [datetime.time(6, 45)] * 2
    assert (times[1] - times[0]).days == 2


def test_observations_registers_its_reminder_source():
    from jel import registry
    from observations import reminders

    sources = {source.name: source.rederive for source in registry.reminder_sources}
    assert sources["observations"] is reminders.rederive


def _goal_reminders(goal):
    from jel.models import ReminderState

    return sorted(
        (r.due_at.astimezone(goal.school.tz), r.state)
        for r in Reminder.objects.filter(about=f"goal:{goal.pk}").exclude(
            state=ReminderState.CANCELLED
        )
    )


def test_new_times_move_the_follow_ups_of_goals_already_set(cast, login):
    with scope(school=cast.school):
        goal = observation_services.goal_create(
            school=cast.school, text="Try wait time", by=cast.teacher
        )
    data = {
        "visit_tomorrow_at": "16:00",
        "visit_soon_minutes": "15",
        "reflection_prompt_at": "15:30",
        "micro_debrief_nudge_hours": "20",
        "follow_up_at": "06:45",
        "follow_up_again_days": "2",
        "digest_at": "07:00",
    }
    login(cast.principal).post(reverse("reminder_timings"), data)
    with scope(school=cast.school):
        moved = _goal_reminders(goal)
    assert [(t.date(), t.time(), state) for t, state in moved] == [
        (goal.follow_up_on, datetime.time(6, 45), "pending"),
        (
            goal.follow_up_on + datetime.timedelta(days=2),
            datetime.time(6, 45),
            "pending",
        ),
    ]


def test_a_follow_up_already_sent_is_not_sent_again_at_the_new_time(cast, in_school):
    import time_machine

    from jel.models import ReminderState, ReminderTimings
    from observations import reminders

    goal = observation_services.goal_create(
        school=cast.school, text="Try wait time", by=cast.teacher
    )
    first_day = goal.follow_up_on
    first = Reminder.objects.filter(about=f"goal:{goal.pk}").order_by("due_at")[0]
    Reminder.objects.filter(pk=first.pk).update(state=ReminderState.SENT)
    # 07:45 on the follow-up day: the 07:30 prompt went out; now 08:00 is chosen.
    at = datetime.datetime.combine(first_day, datetime.time(7, 45), cast.school.tz)
    with time_machine.travel(at):
        ReminderTimings.objects.create(
            school=cast.school, follow_up_at=datetime.time(8, 0)
        )
        reminders.rederive(cast.school)
    assert [(t.date(), t.time(), state) for t, state in _goal_reminders(goal)] == [
        (first_day, datetime.time(7, 30), "sent"),
        (first_day + datetime.timedelta(days=3), datetime.time(8, 0), "pending"),
    ]
