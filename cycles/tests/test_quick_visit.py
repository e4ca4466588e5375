"""'Plan a visit': a one-visit micro-observation its observers can capture."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django_scopes import scope

from cycles.models import Cycle, CycleParticipant, LookFor
from scheduling.models import Booking
from scheduling.tests.conftest import TUESDAY, sched  # noqa: F401 (a fixture)
from scheduling.tests.factories import ObservationWindowFactory

pytestmark = pytest.mark.django_db
URL = "cycles:visit_plan"


@pytest.fixture
def look_for(sched):  # noqa: F811
    with scope(school=sched.school):
        return LookFor.objects.create(
            school=sched.school, text="Students explain their reasoning", kind="oral"
        )


def form_data(sched, look_for, period=3, observers=None, **extra):  # noqa: F811
    data = {
        "host": sched.host.pk,
        "observers": [o.pk for o in (observers or [sched.observer])],
        "date": TUESDAY.isoformat(),
        "period": sched.periods[period].pk,
        "minutes": 15,
        "look_for": look_for.pk if look_for else "",
        "title": "",
        "window_override_reason": "",
    }
    data.update(extra)
    return data


def bookings(sched):  # noqa: F811
    with scope(school=sched.school):
        return list(Booking.objects.all())


def test_teacher_cannot_open_the_planner(login, cast, sched):  # noqa: F811
    assert login(cast.teacher).get(reverse(URL)).status_code == 403


def test_the_planner_keeps_its_address(sched):  # noqa: F811
    assert reverse(URL) == "/schedule/visits/new/"


def test_planner_lists_staff_periods_and_look_fors(login, cast, sched, look_for):  # noqa: F811
    page = login(cast.principal).get(reverse(URL)).content.decode()
    assert "Omar Haddad" in page
    assert "Period 3 (09:50-10:40)" in page
    assert "Students explain their reasoning" in page


def test_a_school_without_look_fors_is_told_how_to_add_one(login, cast, sched):  # noqa: F811
    page = login(cast.principal).get(reverse(URL)).content.decode()
    assert "Your school has no look-fors yet" in page
    assert reverse("cycles:look_fors") in page


def test_a_booked_visit_is_a_scheduled_one_visit_micro_observation(
    login,
    cast,
    sched,  # noqa: F811
    look_for,
):
    data = form_data(sched, look_for, period=5, observers=[sched.observer])
    response = login(cast.principal).post(reverse(URL), data)
    [booking] = bookings(sched)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "scheduling:booking_detail", args=[booking.pk]
    )
    with scope(school=sched.school):
        visit = booking.visit
        cycle = visit.cycle
        assert cycle.kind == Cycle.Kind.MICRO
        assert cycle.status == Cycle.Status.SCHEDULED
        assert cycle.facilitator == cast.principal
        assert list(cycle.look_fors.all()) == [look_for]
        assert list(visit.observers.all()) == [sched.observer]
        assert visit.host == sched.host and visit.minutes == 15
        assert cycle.debriefs.get().visit == visit  # due within 24 hours
        roles = {(p.user, p.role) for p in cycle.memberships.all()}
    assert (sched.observer, CycleParticipant.Role.OBSERVER) in roles
    assert booking.title.startswith("Visit to Hope Host, ")
    # The observer is sent from the booking page to the capture page.
    page = login(sched.observer).get(response["Location"]).content.decode()
    assert reverse("observations:capture", args=[visit.pk]) in page
    capture = login(sched.observer).get(
        reverse("observations:capture", args=[visit.pk])
    )
    assert capture.status_code == 200


def test_choosing_a_coverage_colleague_books_the_visit(login, cast, sched, look_for):  # noqa: F811
    data = form_data(sched, look_for, **{f"cover_{sched.observer.pk}": sched.ann.pk})
    response = login(cast.principal).post(reverse(URL), data)
    [booking] = bookings(sched)
    assert response.status_code == 302
    with scope(school=sched.school):
        assert booking.coverages.get().covered_by == sched.ann
        assert booking.visit.cycle.status == Cycle.Status.SCHEDULED
    page = login(cast.principal).get(response["Location"]).content.decode()
    assert "Ann Able</strong> covers Omar Haddad" in page


def test_substitute_choice_books_with_a_substitute(login, cast, sched, look_for):  # noqa: F811
    data = form_data(sched, look_for, **{f"cover_{sched.observer.pk}": "substitute"})
    login(cast.principal).post(reverse(URL), data)
    [booking] = bookings(sched)
    with scope(school=sched.school):
        assert booking.coverages.get().needs_substitute


def test_conflict_names_the_observer_and_offers_coverage_and_slots(
    login,
    cast,
    sched,  # noqa: F811
    look_for,
):
    page = login(cast.principal).post(reverse(URL), form_data(sched, look_for))
    html = page.content.decode()
    assert "Omar Haddad teaches Haddad class P3 in Period 3." in html
    assert "Coverage for Omar Haddad" in html
    assert "Ann Able" in html and "Request a substitute" in html
    assert bookings(sched) == []
    with scope(school=sched.school):
        assert not Cycle.objects.exists()


def test_choosing_a_suggested_slot_fills_the_form_without_booking(
    login,
    cast,
    sched,  # noqa: F811
    look_for,
):
    data = form_data(sched, look_for, use_slot=f"{TUESDAY.isoformat()}|5")
    html = login(cast.principal).post(reverse(URL), data).content.decode()
    assert f'value="{sched.periods[5].pk}" selected' in html
    assert "Everyone is free then" in html
    assert bookings(sched) == []


def test_a_suggested_slot_chosen_before_the_look_for_is_applied_and_checked(
    login,
    cast,
    sched,  # noqa: F811
    look_for,
):
    data = form_data(sched, None, use_slot=f"{TUESDAY.isoformat()}|5")
    html = login(cast.principal).post(reverse(URL), data).content.decode()
    assert f'value="{sched.periods[5].pk}" selected' in html
    assert "Everyone is free then" in html
    assert "Nothing was saved" not in html  # the look-for is asked for on booking
    assert bookings(sched) == []


def test_without_a_look_for_nothing_is_saved_and_the_summary_says_why(
    login,
    cast,
    sched,  # noqa: F811
    look_for,
):
    page = login(cast.principal).post(reverse(URL), form_data(sched, None, period=5))
    html = page.content.decode()
    assert "Nothing was saved" in html and "data-error-summary" in html
    assert "Choose the one look-for this visit focuses on" in html
    assert bookings(sched) == []


@pytest.mark.parametrize("minutes", [5, 20])
def test_minutes_outside_the_micro_range_are_refused(
    login,
    cast,
    sched,  # noqa: F811
    look_for,
    minutes,
):
    data = form_data(sched, look_for, period=5, minutes=minutes)
    html = login(cast.principal).post(reverse(URL), data).content.decode()
    assert "Visits in this cycle type last 10-15 minutes." in html
    assert bookings(sched) == []


def test_host_cannot_also_observe(login, cast, sched, look_for):  # noqa: F811
    data = form_data(sched, look_for, observers=[sched.host])
    html = login(cast.principal).post(reverse(URL), data).content.decode()
    assert "Hope Host hosts this visit, so cannot observe." in html


def test_planner_shows_upcoming_observation_windows(login, cast, sched):  # noqa: F811
    ObservationWindowFactory(
        school=sched.school,
        name="Quarter 2 visits",
        starts_on=dt.date(2026, 11, 30),
        ends_on=dt.date(2026, 12, 11),
    )
    with time_machine.travel("2026-11-20 09:00 -05:00", tick=False):
        page = login(cast.principal).get(reverse(URL))
    assert "<strong>Quarter 2 visits</strong> 30 Nov-11 Dec" in page.content.decode()
