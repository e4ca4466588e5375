"""Two people editing the schedule at once: the stale page never silently wins.

Each editor (a day type with its periods, an observation window, a school day)
carries the version it was drawn from. A save drawn before someone else's is
refused with 409: nothing of it is written, the page says what is saved now
("Saved since you opened this page") and keeps what the person typed; saving
again from that page is then a deliberate choice and works.
"""

import datetime as dt
import re
import threading

import pytest
from django.db import connection
from django.urls import reverse
from django_scopes import scope

from jel.concurrency import StaleEdit
from scheduling import services
from scheduling.models import DayType, ObservationWindow, Period, SchoolDay

STALE = "Saved since you opened this page"


def _hidden_version(html: str) -> str:
    """The version a page's form was drawn from ("" for none)."""
    tag = re.search(r'<input type="hidden" name="version"[^>]*>', html).group(0)
    value = re.search(r'value="(\d*)"', tag)
    return value.group(1) if value else ""


# --- day types and their periods -----------------------------------------------


def _period_rows(day_type, change=None):
    rows = []
    for p in Period.objects.filter(day_type=day_type).order_by("starts_at"):
        row = {
            "id": str(p.pk),
            "name": p.name,
            "number": str(p.number),
            "kind": p.kind,
            "starts_at": p.starts_at.strftime("%H:%M"),
            "ends_at": p.ends_at.strftime("%H:%M"),
        }
        if change:
            row.update(change(p) or {})
        rows.append(row)
    return rows


def _day_type_post(name, rows, version, is_default=True):
    data = {
        "name": name,
        "version": version,
        "periods-TOTAL_FORMS": str(len(rows)),
        "periods-INITIAL_FORMS": str(len(rows)),
        "periods-MIN_NUM_FORMS": "0",
        "periods-MAX_NUM_FORMS": "1000",
    }
    if is_default:
        data["is_default"] = "on"
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"periods-{i}-{key}"] = value
    return data


def test_a_stale_bell_schedule_is_refused_with_what_changed(login, sched, cast):
    url = reverse("scheduling:day_type_edit", args=[sched.regular.pk])
    principal = login(cast.principal)
    seen = _hidden_version(principal.get(url).content.decode())
    assert seen == "1"
    with scope(school=sched.school):
        rows = _period_rows(sched.regular)
        later_p3 = _period_rows(
            sched.regular,
            lambda p: {"ends_at": "10:45"} if p.number == 3 else None,
        )
    # Someone else (the coach's tab stands in for a second principal) saves first.
    first = principal.post(url, _day_type_post("Regular day", later_p3, seen))
    assert first.status_code == 302

    stale = principal.post(url, _day_type_post("Regular (typed)", rows, seen))

    assert stale.status_code == 409
    html = stale.content.decode()
    assert "Someone saved this while you were editing it" in html
    assert STALE in html
    assert "Name: Regular day" in html
    assert "Period 3 09:50-10:45" in html
    assert 'value="Regular (typed)"' in html  # what they typed is kept
    sched.regular.refresh_from_db()
    sched.periods[3].refresh_from_db()
    assert sched.regular.name == "Regular day"
    assert sched.periods[3].ends_at == dt.time(10, 45)
    assert sched.regular.version == 2

    # Saving again from the refused page is deliberate, and works.
    again = principal.post(
        url, _day_type_post("Regular (typed)", rows, _hidden_version(html))
    )
    assert again.status_code == 302
    sched.regular.refresh_from_db()
    sched.periods[3].refresh_from_db()
    assert sched.regular.name == "Regular (typed)"
    assert sched.periods[3].ends_at == dt.time(10, 40)
    assert sched.regular.version == 3


def test_a_stale_page_with_a_period_someone_removed_is_refused_not_broken(
    login, sched, cast
):
    with scope(school=sched.school):
        lunch = Period.objects.create(
            school=sched.school,
            day_type=sched.regular,
            name="Late lunch",
            number=9,
            kind=Period.Kind.LUNCH,
            starts_at=dt.time(12, 0),
            ends_at=dt.time(12, 30),
        )
        rows = _period_rows(sched.regular)
    url = reverse("scheduling:day_type_edit", args=[sched.regular.pk])
    principal = login(cast.principal)
    removed = [
        {**row, "DELETE": "on"} if row["id"] == str(lunch.pk) else row for row in rows
    ]
    assert principal.post(url, _day_type_post("Regular", removed, "1")).status_code == (
        302
    )
    with scope(school=sched.school):
        assert not Period.objects.filter(pk=lunch.pk).exists()

    stale = principal.post(url, _day_type_post("Regular", rows, "1"))

    assert stale.status_code == 409
    html = stale.content.decode()
    assert STALE in html and "Periods: " in html
    assert "Late lunch 12:00" not in html.split(STALE)[1].split("</ul>")[0]
    with scope(school=sched.school):
        assert not Period.objects.filter(name="Late lunch").exists()


def test_a_new_day_type_needs_no_version(login, sched, cast):
    response = login(cast.principal).post(
        reverse("scheduling:day_type_new"),
        {
            "name": "Late start",
            "version": "",
            "periods-TOTAL_FORMS": "0",
            "periods-INITIAL_FORMS": "0",
            "periods-MIN_NUM_FORMS": "0",
            "periods-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302
    with scope(school=sched.school):
        assert DayType.objects.get(name="Late start").version == 1


@pytest.mark.parametrize("version", ["abc", "-1", str(2**63)])
def test_a_damaged_version_is_a_message_not_a_save(login, sched, cast, version):
    url = reverse("scheduling:day_type_edit", args=[sched.regular.pk])
    with scope(school=sched.school):
        rows = _period_rows(sched.regular)
    response = login(cast.principal).post(url, _day_type_post("Damaged", rows, version))
    assert response.status_code == 200
    sched.regular.refresh_from_db()
    assert sched.regular.name == "Regular" and sched.regular.version == 1


# --- observation windows ----------------------------------------------------------


def _window(sched):
    with scope(school=sched.school):
        return ObservationWindow.objects.create(
            school=sched.school,
            name="Winter visits",
            starts_on=dt.date(2027, 1, 11),
            ends_on=dt.date(2027, 1, 22),
        )


def test_a_stale_observation_window_is_refused_with_what_changed(login, sched, cast):
    window = _window(sched)
    url = reverse("scheduling:window_edit", args=[window.pk])
    principal = login(cast.principal)
    seen = _hidden_version(principal.get(url).content.decode())
    first = principal.post(
        url,
        {
            "name": "Winter visits",
            "starts_on": "2027-01-11",
            "ends_on": "2027-01-29",
            "version": seen,
        },
    )
    assert first.status_code == 302

    stale = principal.post(
        url,
        {
            "name": "January visits",
            "starts_on": "2027-01-11",
            "ends_on": "2027-01-22",
            "periods": [sched.periods[3].pk],
            "version": seen,
        },
    )

    assert stale.status_code == 409
    html = stale.content.decode()
    assert STALE in html
    assert "Name: Winter visits" in html
    assert "Ends on: 2027-01-29" in html
    assert "Periods: every period" in html
    assert 'value="January visits"' in html
    window.refresh_from_db()
    assert (window.name, window.ends_on) == ("Winter visits", dt.date(2027, 1, 29))

    again = principal.post(
        url,
        {
            "name": "January visits",
            "starts_on": "2027-01-11",
            "ends_on": "2027-01-22",
            "version": _hidden_version(html),
        },
    )
    assert again.status_code == 302
    window.refresh_from_db()
    assert (window.name, window.version) == ("January visits", 3)


def test_a_window_deleted_meanwhile_is_not_found(login, sched, cast):
    window = _window(sched)
    principal = login(cast.principal)
    delete = reverse("scheduling:window_delete", args=[window.pk])
    assert principal.post(delete).status_code == 302
    assert principal.post(delete).status_code == 404
    stale = principal.post(
        reverse("scheduling:window_edit", args=[window.pk]),
        {"name": "Back", "starts_on": "2027-01-11", "ends_on": "2027-01-22"},
    )
    assert stale.status_code == 404


# --- school days ---------------------------------------------------------------------


def test_setting_a_date_someone_set_meanwhile_is_refused(login, sched, cast):
    url = reverse("scheduling:school_days")
    principal = login(cast.principal)
    page = principal.get(url, {"date": "2026-12-02"}).content.decode()
    assert _hidden_version(page) == ""  # the date had no entry
    assert (
        principal.post(
            url,
            {"date": "2026-12-02", "day_type": "none", "note": "Snow day"},
        ).status_code
        == 302
    )

    stale = principal.post(
        url,
        {
            "date": "2026-12-02",
            "day_type": str(sched.regular.pk),
            "note": "Assembly",
            "version": "",
        },
    )

    assert stale.status_code == 409
    html = stale.content.decode()
    assert STALE in html
    assert "Day type: No school (holiday)" in html and "Note: Snow day" in html
    assert 'value="Assembly"' in html
    with scope(school=sched.school):
        day = SchoolDay.objects.get(date=dt.date(2026, 12, 2))
    assert (day.is_school_day, day.note) == (False, "Snow day")

    again = principal.post(
        url,
        {
            "date": "2026-12-02",
            "day_type": str(sched.regular.pk),
            "note": "Assembly",
            "version": _hidden_version(html),
        },
    )
    assert again.status_code == 302
    day.refresh_from_db()
    assert (day.is_school_day, day.note, day.version) == (True, "Assembly", 2)


def test_changing_a_day_from_its_row_carries_its_version(login, sched, cast):
    with scope(school=sched.school):
        day = services.school_day_set(
            school=sched.school, date=dt.date(2026, 12, 2), day_type=None, note="Snow"
        )
    url = reverse("scheduling:school_days")
    principal = login(cast.principal)
    listing = principal.get(url, {"month": "2026-12-01"}).content.decode()
    assert 'href="?date=2026-12-02"' in listing
    page = principal.get(url, {"date": "2026-12-02"}).content.decode()
    assert _hidden_version(page) == "1" and 'value="Snow"' in page
    response = principal.post(
        url,
        {
            "date": "2026-12-02",
            "day_type": str(sched.regular.pk),
            "note": "",
            "version": "1",
        },
    )
    assert response.status_code == 302
    day.refresh_from_db()
    assert (day.is_school_day, day.version) == (True, 2)
    stale = principal.post(
        url,
        {"date": "2026-12-02", "day_type": "none", "note": "Snow", "version": "1"},
    )
    assert stale.status_code == 409
    assert f"Day type: {sched.regular.name}" in stale.content.decode()


def test_imports_set_a_day_whatever_it_was(sched):
    with scope(school=sched.school):
        services.school_day_set(
            school=sched.school, date=dt.date(2026, 12, 2), day_type=None
        )
        day = services.school_day_set(
            school=sched.school, date=dt.date(2026, 12, 2), day_type=sched.regular
        )
    assert day.is_school_day and day.version == 1


# --- many editors at once ------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_of_ten_editors_drawn_from_one_version_exactly_one_wins(sched):
    """Ten threads save a window from version 1 through the service: one save,
    nine StaleEdit, and the window holds the winner's name."""
    window = _window(sched)
    outcomes = []
    barrier = threading.Barrier(10)

    def edit(n):
        try:
            with scope(school=sched.school):
                mine = ObservationWindow.objects.get(pk=window.pk)
                mine.name = f"Editor {n}"
                barrier.wait(timeout=10)
                try:
                    services.observation_window_save(
                        school=sched.school, window=mine, periods=[], seen_version=1
                    )
                    outcomes.append(("won", n))
                except StaleEdit:
                    outcomes.append(("stale", n))
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=(n,)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    won = [n for outcome, n in outcomes if outcome == "won"]
    assert len(outcomes) == 10
    assert len(won) == 1
    window.refresh_from_db()
    assert window.name == f"Editor {won[0]}" and window.version == 2
