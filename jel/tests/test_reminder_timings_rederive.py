"""Changing a school's reminder times moves the reminders still to come."""

import pytest
from django.urls import reverse

from jel import registry
from jel.models import ReminderTimings


@pytest.fixture
def recorded_sources(monkeypatch):
    calls = []
    sources = [
        registry.ReminderSource(
            "first", lambda school: calls.append(("first", school))
        ),
        registry.ReminderSource(
            "second", lambda school: calls.append(("second", school))
        ),
    ]
    monkeypatch.setattr(registry, "reminder_sources", sources)
    return calls


def test_saving_the_times_rederives_every_apps_reminders(cast, login, recorded_sources):
    client = login(cast.principal)
    form = client.get(reverse("reminder_timings")).context["form"]
    data = {name: field.value() for name, field in ((n, form[n]) for n in form.fields)}
    data["visit_tomorrow_at"] = "15:00"
    response = client.post(reverse("reminder_timings"), data, follow=True)
    assert "Reminders still to come have moved to the new times" in (
        response.content.decode()
    )
    assert recorded_sources == [("first", cast.school), ("second", cast.school)]


def test_bad_times_change_nothing_and_rederive_nothing(
    cast, login, recorded_sources, unscoped
):
    client = login(cast.principal)
    response = client.post(reverse("reminder_timings"), {"visit_tomorrow_at": "25:99"})
    assert response.status_code == 200
    assert recorded_sources == []
    assert not ReminderTimings.objects.filter(school=cast.school).exists()
