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
