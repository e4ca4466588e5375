"""Principals edit bell schedules, school days and observation windows."""

import datetime as dt

from django.urls import reverse
from django_scopes import scope

from scheduling.models import DayType, ObservationWindow, Period, SchoolDay
from scheduling.selectors import day_info


def test_setup_overview_lists_bell_schedules_and_windows(login, sched, cast):
    html = login(cast.principal).get(reverse("scheduling:setup")).content.decode()
    assert "Regular" in html and "09:50-10:40 Period 3" in html
    assert "No windows yet" in html


def test_teacher_cannot_edit_the_schedule(login, sched, cast):
    client = login(cast.teacher)
    for url in (
        reverse("scheduling:setup"),
        reverse("scheduling:day_type_edit", args=[sched.regular.pk]),
        reverse("scheduling:school_days"),
        reverse("scheduling:window_new"),
    ):
        assert client.get(url).status_code == 403


def _formset(periods, extra_rows=()):
    rows = list(periods) + list(extra_rows)
    data = {
        "periods-TOTAL_FORMS": str(len(rows)),
        "periods-INITIAL_FORMS": str(len(periods)),
        "periods-MIN_NUM_FORMS": "0",
        "periods-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"periods-{i}-{key}"] = value
    return data


def test_new_day_type_with_periods(login, sched, cast):
    data = {"name": "Assembly day"}
    data.update(
        _formset(
            [],
            [
                {
                    "name": "Period 1",
                    "number": "1",
                    "kind": "class",
                    "starts_at": "08:30",
                    "ends_at": "09:10",
                }
            ],
        )
    )
    response = login(cast.principal).post(reverse("scheduling:day_type_new"), data)
    assert response.status_code == 302
    with scope(school=sched.school):
        day_type = DayType.objects.get(name="Assembly day")
        assert [
            (p.name, p.starts_at) for p in Period.objects.filter(day_type=day_type)
        ] == [("Period 1", dt.time(8, 30))]


def test_editing_a_period_time(login, sched, cast):
    with scope(school=sched.school):
        periods = list(Period.objects.filter(day_type=sched.regular))
    rows = [
        {
            "id": str(p.pk),
            "name": p.name,
            "number": str(p.number),
            "kind": p.kind,
            "starts_at": p.starts_at.strftime("%H:%M"),
            "ends_at": "10:45"
            if p.pk == sched.periods[3].pk
            else p.ends_at.strftime("%H:%M"),
        }
        for p in periods
    ]
    data = {"name": "Regular", "is_default": "on", **_formset(rows)}
    response = login(cast.principal).post(
        reverse("scheduling:day_type_edit", args=[sched.regular.pk]), data
    )
    assert response.status_code == 302
    sched.periods[3].refresh_from_db()
    assert sched.periods[3].ends_at == dt.time(10, 45)


def test_period_ending_before_it_starts_is_refused(login, sched, cast):
    data = {"name": "Odd day"}
    data.update(
        _formset(
            [],
            [
                {
                    "name": "Period 1",
                    "number": "1",
                    "kind": "class",
                    "starts_at": "09:00",
                    "ends_at": "08:00",
                }
            ],
        )
    )
    response = login(cast.principal).post(reverse("scheduling:day_type_new"), data)
    assert response.status_code == 200
    with scope(school=sched.school):
        assert not DayType.objects.filter(name="Odd day").exists()


def test_marking_a_holiday(login, sched, cast):
    client = login(cast.principal)
    response = client.post(
        reverse("scheduling:school_days"),
        {"date": "2026-12-02", "day_type": "none", "note": "Snow day"},
    )
    assert response.status_code == 302
    with scope(school=sched.school):
        info = day_info(school=sched.school, day=dt.date(2026, 12, 2))
        assert not info.is_school_day and info.note == "Snow day"
    page = client.get(response["Location"]).content.decode()
    assert "Snow day" in page


def test_changing_a_days_type(login, sched, cast):
    login(cast.principal).post(
        reverse("scheduling:school_days"),
        {"date": "2026-12-02", "day_type": str(sched.regular.pk), "note": ""},
    )
    with scope(school=sched.school):
        assert (
            SchoolDay.objects.get(date=dt.date(2026, 12, 2)).day_type == sched.regular
        )


def test_creating_and_deleting_a_window(login, sched, cast):
    client = login(cast.principal)
    response = client.post(
        reverse("scheduling:window_new"),
        {
            "name": "December visits",
            "term": str(sched.term.pk),
            "starts_on": "2026-11-30",
            "ends_on": "2026-12-11",
            "periods": [str(sched.periods[2].pk), str(sched.periods[5].pk)],
        },
    )
    assert response.status_code == 302
    with scope(school=sched.school):
        window = ObservationWindow.objects.get(name="December visits")
        assert {p.number for p in window.periods.all()} == {2, 5}
    client.post(reverse("scheduling:window_delete", args=[window.pk]))
    with scope(school=sched.school):
        assert not ObservationWindow.objects.exists()


def test_window_ending_before_it_starts_is_refused(login, sched, cast):
    response = login(cast.principal).post(
        reverse("scheduling:window_new"),
        {"name": "Backwards", "starts_on": "2026-12-11", "ends_on": "2026-11-30"},
    )
    assert "The window must end on or after its first day." in response.content.decode()
