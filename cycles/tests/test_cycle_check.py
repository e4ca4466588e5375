"""The cycle form's live check: conflicts as you choose, and a layout that fits."""

import datetime as dt

import pytest
from django.urls import reverse

from scheduling.tests.factories import add_late_start

pytestmark = pytest.mark.django_db

WEDNESDAY = dt.date(2026, 12, 2)


def _check(
    client, teachers, day, period=2, hosts=("old_math", "old_ela", "mid_ss"), **extra
):
    data = {
        "kind": "rounds",
        "visit_date": day.isoformat(),
        "period": teachers["_schedule"]["periods"][period].pk,
        "minutes": 15,
        "hosts": [teachers[name].pk for name in hosts],
        "observers": [teachers["new_math"].pk],
    }
    data.update(extra)
    return client.post(reverse("cycles:check"), data).content.decode()


def test_teacher_cannot_check_a_plan(login, cast):
    assert login(cast.teacher).post(reverse("cycles:check"), {}).status_code == 403


def test_three_15_minute_visits_do_not_fit_a_50_minute_period_and_a_fit_is_offered(
    login, cast, teachers, visit_day
):
    body = _check(login(cast.coach), teachers, visit_day)
    # Period 2 is 08:55-09:45: 15 + 5 + 15 + 5 + 15 minutes need until 09:50.
    assert "need until 09:50, but Period 2 ends at 09:45 (50 minutes)" in body
    assert "3 visits of 13 minutes fit Period 2." in body
    assert 'data-fit-apply="{&quot;minutes&quot;: 13}"' in body
    assert "Use 13-minute visits" in body
    fitted = _check(login(cast.coach), teachers, visit_day, minutes=13)
    assert "Everything fits." in fitted
    assert "09:31-09:44, " in fitted and "ready to visit." in fitted


def test_a_host_who_teaches_then_is_ready_not_free(login, cast, teachers, visit_day):
    fitted = _check(login(cast.coach), teachers, visit_day, minutes=13)
    host = teachers["old_math"].full_name
    assert f"{host} teaches then: ready to visit." in fitted
    assert f"{host}: free." not in fitted


def test_the_check_names_each_visits_conflict(login, cast, teachers, visit_day):
    # Ned does not teach in period 2, so there is no class to observe.
    body = _check(
        login(cast.coach),
        teachers,
        visit_day,
        hosts=("old_math", "new_ela"),
        minutes=20,
    )
    assert "Ned Novice does not teach in Period 2" in body
    assert "1 conflict to sort out" in body


def test_the_check_uses_the_late_start_times(login, cast, teachers):
    add_late_start(cast.school, WEDNESDAY)
    body = _check(login(cast.coach), teachers, WEDNESDAY, minutes=10)
    # Late-start Period 2 is 09:45-10:25 (40 minutes).
    assert "Period 2 09:45-10:25 (Late start day)" in body
    assert "09:45-09:55, " in body
    assert "Everything fits." in body
    too_long = _check(login(cast.coach), teachers, WEDNESDAY)
    assert "but Period 2 ends at 10:25 (40 minutes)" in too_long
    assert "3 visits of 10 minutes fit Period 2." in too_long


def test_the_form_carries_the_live_check(login, cast):
    body = login(cast.coach).get(reverse("cycles:new") + "?kind=rounds").content
    assert b'id="cycle-check"' in body
    assert b"js/cycle-check.js" in body


def test_a_lab_with_minutes_left_empty_is_checked_as_the_whole_lesson(
    login, cast, teachers, visit_day
):
    body = _check(
        login(cast.coach),
        teachers,
        visit_day,
        kind="lab",
        minutes="",
        hosts=("old_math",),
    )
    assert "Pick a date, a period (or a start time) and minutes" not in body
    # The whole of Period 2 (08:55-09:45).
    assert "08:55-09:45, " in body


def test_checking_a_scheduled_cycles_own_plan_finds_no_conflict_with_itself(
    login, scoped, teachers, ready_problem, visit_day
):
    from cycles.tests.test_services import rounds

    cycle = rounds(scoped, teachers, ready_problem, visit_day, schedule=True)
    plan = {
        "kind": "rounds",
        "visit_date": visit_day.isoformat(),
        "start_time": "09:00",  # the rounds' start (T in test_services)
        "minutes": 15,
        "hosts": [teachers["old_math"].pk, teachers["old_ela"].pk],
        "observers": [teachers[name].pk for name in ("new_math", "new_ela", "mid_sci")],
        "facilitator": scoped.coach.pk,
    }
    client = login(scoped.coach)
    # Checked as a new plan, the same people at the same time are booked already.
    as_new = client.post(reverse("cycles:check"), plan).content.decode()
    assert "is already booked" in as_new
    # From the cycle's edit page, its own bookings are what the plan replaces.
    edit = client.get(reverse("cycles:edit", args=[cycle.pk])).content.decode()
    check_url = f"{reverse('cycles:check')}?cycle={cycle.pk}"
    assert f'data-hx-post="{check_url}"' in edit
    as_edit = client.post(check_url, plan).content.decode()
    assert "is already booked" not in as_edit
    assert f'data-hx-post="{check_url}"' in as_edit  # the next check keeps it
