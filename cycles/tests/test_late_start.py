"""Periods follow the day type: on a late-start day the cycle form, its checks,
the booking and every "teaching or free" answer use the late-start times."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from cycles.models import Cycle
from scheduling.models import Booking
from scheduling.tests.factories import add_late_start

pytestmark = pytest.mark.django_db

WEDNESDAY = dt.date(2026, 12, 2)


@pytest.fixture
def late(cast, teachers):
    with scope(school=cast.school):
        return add_late_start(cast.school, WEDNESDAY)


def _slot(teachers, number):
    return teachers["_schedule"]["periods"][number]


def _micro_post(cast, teachers, problem, **extra):
    with scopes_disabled():
        look_for = problem.look_fors.first()
    data = {
        "kind": "micro",
        "title": "Quick look on a late start",
        "facilitator": cast.coach.pk,
        "hosts": [teachers["old_math"].pk],  # teaches period 2
        "observers": [teachers["new_math"].pk],  # plans in period 2
        "look_fors": [look_for.pk],
        "visit_date": WEDNESDAY.isoformat(),
        "period": _slot(teachers, 2).pk,
        "minutes": 12,
        "schedule": "1",
    }
    data.update(extra)
    return data


def test_form_lists_the_late_start_times_of_the_chosen_date(
    login, cast, teachers, late
):
    client = login(cast.principal)
    url = reverse("cycles:new") + "?kind=rounds"
    regular = client.get(url).content.decode()
    assert "Period 3 (09:50-10:40)" in regular
    data = {"visit_date": WEDNESDAY.isoformat(), "title": "x", "minutes": 15}
    body = client.post(url, data).content.decode()
    assert "Period 3 (10:30-11:10)" in body
    assert "Period 3 (09:50-10:40)" not in body
    assert "Times of Wednesday 2 December, a Late start day." in body


def test_period_times_answers_the_labels_of_a_date(login, cast, teachers, late):
    client = login(cast.principal)
    url = reverse("scheduling:period_times")
    answer = json.loads(client.get(url, {"date": WEDNESDAY.isoformat()}).content)
    assert answer["labels"][str(_slot(teachers, 3).pk)] == "Period 3 (10:30-11:10)"
    assert "Late start" in answer["note"]
    regular = json.loads(client.get(url, {"date": "2026-12-01"}).content)
    assert regular["labels"][str(_slot(teachers, 3).pk)] == "Period 3 (09:50-10:40)"
    no_date = json.loads(client.get(url, {"date": "soon"}).content)
    assert no_date["note"].startswith("Pick a date")


def test_late_start_visit_is_booked_at_the_late_time(
    login, cast, teachers, late, ready_problem
):
    response = login(cast.coach).post(
        reverse("cycles:new") + "?kind=micro",
        _micro_post(cast, teachers, ready_problem),
        follow=True,
    )
    body = response.content.decode()
    assert "is scheduled and booked" in body, body[:3000]
    with scopes_disabled():
        booking = Booking.objects.get(kind=Booking.Kind.VISIT)
        assert booking.period == late[2]
        local = booking.starts_at.astimezone(cast.school.tz)
        assert local.time() == dt.time(9, 45)
        assert Cycle.objects.get().visits.get().period == late[2]


def test_a_start_time_inside_the_late_period_is_accepted(
    login, cast, teachers, late, ready_problem
):
    data = _micro_post(cast, teachers, ready_problem, start_time="09:50")
    response = login(cast.coach).post(
        reverse("cycles:new") + "?kind=micro", data, follow=True
    )
    assert "is scheduled and booked" in response.content.decode()
    with scopes_disabled():
        booking = Booking.objects.get(kind=Booking.Kind.VISIT)
        assert booking.starts_at.astimezone(cast.school.tz).time() == dt.time(9, 50)


def test_teaching_or_free_agrees_across_the_pages_on_a_late_start(
    login, cast, teachers, late, ready_problem
):
    client = login(cast.coach)
    nia = teachers["new_math"]
    availability = client.get(
        reverse("cycles:availability"),
        {"visit_date": WEDNESDAY.isoformat(), "period": _slot(teachers, 2).pk},
    ).content.decode()
    assert "Nia New" in availability.split("Free then")[1]
    assert "10:25" in availability  # the late-start Period 2 (09:45-10:25)
    check = client.post(
        reverse("scheduling:visit_check"),
        {
            "host": teachers["old_math"].pk,
            "observers": [nia.pk],
            "date": WEDNESDAY.isoformat(),
            "period": _slot(teachers, 2).pk,
            "minutes": 12,
        },
    ).content.decode()
    assert "Nia New teaches" not in check
    response = client.post(
        reverse("cycles:new") + "?kind=micro",
        _micro_post(cast, teachers, ready_problem),
        follow=True,
    )
    body = response.content.decode()
    assert "Nia New teaches" not in body
    assert "is scheduled and booked" in body
    # Period 1, which Nia teaches, is refused the same way everywhere.
    body = client.post(
        reverse("cycles:new") + "?kind=micro",
        _micro_post(cast, teachers, ready_problem, period=_slot(teachers, 1).pk),
    ).content.decode()
    assert "Nia New teaches" in body
