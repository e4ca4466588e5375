"""action_for on a cycle's bookings: each person is sent where they act.

Observers observe (the capture page, in any week), the host reads what to
expect, a coverer covers, the debrief's people go to the debrief page.
"""

import datetime as dt

import pytest
from django.urls import reverse

from cycles.models import Debrief
from cycles.tests.test_services import rounds
from scheduling.actions import (
    COVER,
    DEBRIEF,
    FACILITATE,
    HOST,
    OBSERVE,
    OPEN,
    action_for,
)
from scheduling.models import Booking, Coverage
from scheduling.services import coverage_assign

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(scoped, teachers, ready_problem, visit_day):
    # Sia teaches in period 2, so her class is covered while she observes.
    return rounds(
        scoped,
        teachers,
        ready_problem,
        visit_day,
        hosts=[teachers["old_math"], teachers["old_ela"]],
        observers=[teachers["new_math"], teachers["mid_ss"]],
        debrief_at=dt.datetime(2026, 12, 3, 14, 5, tzinfo=scoped.school.tz),
        schedule=True,
    )


def test_each_observer_is_sent_to_the_capture_page(cycle, teachers):
    visit = cycle.visits.get(host__full_name="Olga Old")
    for observer in (teachers["new_math"], teachers["mid_ss"]):
        action = action_for(visit.booking, observer)
        assert action.verb == OBSERVE
        assert action.url == reverse("observations:capture", args=[visit.pk])
        assert "Olga Old" in action.label


def test_an_observer_of_a_visit_weeks_away_is_still_sent_to_capture(
    scoped, teachers, ready_problem
):
    later = rounds(
        scoped,
        teachers,
        ready_problem,
        dt.date(2027, 1, 14),
        hosts=[teachers["old_math"], teachers["old_ela"]],
        observers=[teachers["new_math"]],
        schedule=True,
    )
    visit = later.visits.get(host__full_name="Olga Old")
    action = action_for(visit.booking, teachers["new_math"])
    assert action.url == reverse("observations:capture", args=[visit.pk])


def test_the_host_is_sent_to_the_host_section_of_the_booking(cycle, teachers):
    booking = cycle.visits.get(host__full_name="Olga Old").booking
    action = action_for(booking, teachers["old_math"])
    assert action.verb == HOST
    assert action.url == (
        reverse("scheduling:booking_detail", args=[booking.pk]) + "#host"
    )


def test_the_coverer_is_sent_to_the_cover_section(cycle, teachers, scoped):
    cover = Coverage.objects.get(observer=teachers["mid_ss"])
    coverage_assign(coverage=cover, covered_by=teachers["mid_sci"], by=scoped.coach)
    action = action_for(Booking.objects.get(pk=cover.booking_id), teachers["mid_sci"])
    assert action.verb == COVER
    assert action.url.endswith("#cover")


def test_debrief_people_are_sent_to_the_debrief_page(cycle, teachers, scoped):
    debrief = Debrief.objects.get(cycle=cycle)
    assert debrief.booking is not None
    for person in (scoped.coach, teachers["new_math"], teachers["old_math"]):
        action = action_for(debrief.booking, person)
        assert action.verb == DEBRIEF
        assert action.url == reverse("cycles:debrief", args=[debrief.pk])


def test_the_facilitator_of_a_visit_they_do_not_observe_goes_to_the_cycle(
    cycle, scoped
):
    booking = cycle.visits.get(host__full_name="Olga Old").booking
    action = action_for(booking, scoped.coach)
    assert action.verb == FACILITATE
    assert action.url == reverse("cycles:detail", args=[cycle.pk])


def test_a_cancelled_visit_leads_only_to_its_booking(cycle, teachers):
    booking = cycle.visits.get(host__full_name="Olga Old").booking
    booking.status = Booking.Status.CANCELLED
    assert action_for(booking, teachers["new_math"]).verb == OPEN
