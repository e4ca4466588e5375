"""The principal's page to book a plain visit, with its htmx conflict check."""

import pytest
from django.urls import reverse
from django_scopes import scope

from scheduling.models import Booking
from scheduling.tests.conftest import TUESDAY


def form_data(sched, period=3, observers=None, **extra):
    data = {
        "host": sched.host.pk,
        "observers": [o.pk for o in (observers or [sched.observer])],
        "date": TUESDAY.isoformat(),
        "period": sched.periods[period].pk,
        "minutes": 15,
        "title": "",
        "window_override_reason": "",
    }
    data.update(extra)
    return data


def bookings(sched):
    with scope(school=sched.school):
        return list(Booking.objects.all())


def test_teacher_cannot_open_the_planner(login, cast, sched):
    assert login(cast.teacher).get(reverse("scheduling:visit_plan")).status_code == 403


def test_planner_lists_staff_and_periods(login, cast, sched):
    page = login(cast.principal).get(reverse("scheduling:visit_plan")).content.decode()
    assert "Omar Haddad" in page
    assert "Period 3 (09:50-10:40)" in page


def test_conflict_names_the_observer_and_offers_coverage_and_slots(login, cast, sched):
    response = login(cast.principal).post(
        reverse("scheduling:visit_plan"), form_data(sched)
    )
    page = response.content.decode()
    assert "Omar Haddad teaches Haddad class P3 in Period 3." in page
    assert "Coverage for Omar Haddad" in page
    assert "Ann Able" in page and "Request a substitute" in page
    assert "Tue 1 Dec, Period 1 (08:00)" in page
    assert bookings(sched) == []


def test_choosing_a_coverage_colleague_books_the_visit(login, cast, sched):
    data = form_data(sched, **{f"cover_{sched.observer.pk}": sched.ann.pk})
    response = login(cast.principal).post(reverse("scheduling:visit_plan"), data)
    [booking] = bookings(sched)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "scheduling:booking_detail", args=[booking.pk]
    )
    assert booking.title == "Visit to Hope Host"
    with scope(school=sched.school):
        assert booking.coverages.get().covered_by == sched.ann
    page = login(cast.principal).get(response["Location"]).content.decode()
    assert "Ann Able</strong> covers Omar Haddad" in page


def test_substitute_choice_books_with_a_substitute(login, cast, sched):
    data = form_data(sched, **{f"cover_{sched.observer.pk}": "substitute"})
    login(cast.principal).post(reverse("scheduling:visit_plan"), data)
    [booking] = bookings(sched)
    with scope(school=sched.school):
        assert booking.coverages.get().needs_substitute


def test_choosing_a_suggested_slot_fills_the_form_without_booking(login, cast, sched):
    data = form_data(sched, use_slot=f"{TUESDAY.isoformat()}|5")
    page = login(cast.principal).post(reverse("scheduling:visit_plan"), data)
    html = page.content.decode()
    assert f'value="{sched.periods[5].pk}" selected' in html
    assert "Everyone is free then" in html
    assert bookings(sched) == []


def test_host_cannot_also_observe(login, cast, sched):
    data = form_data(sched, observers=[sched.host])
    page = login(cast.principal).post(reverse("scheduling:visit_plan"), data)
    assert "Hope Host hosts this visit, so cannot observe." in page.content.decode()


def test_htmx_check_shows_conflicts_as_the_form_is_filled(login, cast, sched):
    client = login(cast.principal)
    response = client.post(
        reverse("scheduling:visit_check"), form_data(sched), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "<html" not in html
    assert "Omar Haddad teaches Haddad class P3 in Period 3." in html
    free = client.post(reverse("scheduling:visit_check"), form_data(sched, period=5))
    assert "Everyone is free then" in free.content.decode()


def test_htmx_check_with_chosen_cover_shows_no_conflict(login, cast, sched):
    data = form_data(sched, **{f"cover_{sched.observer.pk}": sched.bo.pk})
    html = (
        login(cast.principal)
        .post(reverse("scheduling:visit_check"), data)
        .content.decode()
    )
    assert "Everyone is free then" in html
    assert f'value="{sched.bo.pk}" checked' in html


@pytest.mark.parametrize("missing", ["host", "date", "period"])
def test_htmx_check_asks_for_missing_fields(login, cast, sched, missing):
    data = form_data(sched)
    data.pop(missing)
    html = (
        login(cast.principal)
        .post(reverse("scheduling:visit_check"), data)
        .content.decode()
    )
    assert "Fill in the host, date, period and observers" in html


def test_planner_shows_upcoming_observation_windows(login, cast, sched):
    import datetime as dt

    import time_machine

    from scheduling.tests.factories import ObservationWindowFactory

    ObservationWindowFactory(
        school=sched.school,
        name="Quarter 2 visits",
        starts_on=dt.date(2026, 11, 30),
        ends_on=dt.date(2026, 12, 11),
    )
    with time_machine.travel("2026-11-20 09:00 -05:00", tick=False):
        page = login(cast.principal).get(reverse("scheduling:visit_plan"))
    assert "<strong>Quarter 2 visits</strong> 30 Nov-11 Dec" in page.content.decode()
