"""action_for: what a person does about a booking, and where (scheduling's part).

Cycles and observations answer for visits, debriefs and pre-briefs through
register_action_source; their cases are in cycles/tests/test_actions.py.
"""

import pytest
from django.test import override_settings
from django.urls import reverse
from django_scopes import scope

from scheduling import actions
from scheduling.models import Booking
from scheduling.services import booking_plan
from scheduling.tests.conftest import TUESDAY


def _meeting(sched, cast, cover):
    with scope(school=sched.school):
        return booking_plan(
            school=sched.school,
            by=cast.principal,
            kind=Booking.Kind.MEETING,
            title="Planning meeting",
            date=TUESDAY,
            period=sched.periods[3],
            host=None,
            observers=[sched.observer],
            coverage={sched.observer: cover},
        )


@pytest.fixture
def no_sources(monkeypatch):
    """Only scheduling's own answers: no app's source registered."""
    monkeypatch.setattr(actions, "_sources", [])


def test_the_coverer_is_sent_to_the_cover_section(sched, cast, no_sources):
    booking = _meeting(sched, cast, cover=sched.ann)
    with scope(school=sched.school):
        action = actions.action_for(booking, sched.ann)
    assert action.verb == actions.COVER
    assert action.url == (
        reverse("scheduling:booking_detail", args=[booking.pk]) + "#cover"
    )
    assert "Omar Haddad" in action.label


def test_anyone_else_is_sent_to_the_booking_page(sched, cast, no_sources):
    booking = _meeting(sched, cast, cover=sched.ann)
    with scope(school=sched.school):
        action = actions.action_for(booking, sched.observer)
    assert action.verb == actions.OPEN and action.is_booking_page
    assert action.url == reverse("scheduling:booking_detail", args=[booking.pk])


def test_a_cancelled_booking_only_leads_to_its_page(sched, cast, no_sources):
    booking = _meeting(sched, cast, cover=sched.ann)
    booking.status = Booking.Status.CANCELLED
    with scope(school=sched.school):
        assert actions.action_for(booking, sched.ann).verb == actions.OPEN


def test_sources_answer_in_order_and_the_first_answer_wins(sched, cast, no_sources):
    booking = _meeting(sched, cast, cover=sched.ann)
    late = actions.Action("Late", "/late/", "Late")
    early = actions.Action("Early", "/early/", "Early")
    actions.register_action_source(lambda b, u: late, order=90)
    actions.register_action_source(lambda b, u: None, order=10)
    actions.register_action_source(lambda b, u: early, order=20)
    with scope(school=sched.school):
        assert actions.action_for(booking, sched.ann) == early


@override_settings(JEL_BASE_URL="https://jel.example.org/")
def test_absolute_url_carries_the_base_url():
    action = actions.Action("See it", "/schedule/bookings/4/", actions.OPEN)
    assert action.absolute_url == "https://jel.example.org/schedule/bookings/4/"
