"""The demo's week ahead is booked through the services: the visits planned
through 'Plan a visit' this week (one with cover) and next week's rounds with
their debrief, so the principal's and coach's calendars are not empty."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_scopes import scopes_disabled
from icalendar import Calendar

from cycles.models import Cycle
from jel.demo import DEMO_DOMAIN
from jel.models import User
from scheduling.models import Booking, BookingPerson
from scheduling.services import calendar_token_issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("seed_demo", stdout=io.StringIO())


def _user(key):
    return User.objects.get(email=f"{key}@{DEMO_DOMAIN}")


@scopes_disabled()
def test_this_weeks_planned_visits_are_micro_observations_one_with_cover(seeded):
    samuel = Booking.objects.get(title__startswith="Visit to Samuel Okafor, ")
    assert samuel.coverages.count() == 0
    grace = Booking.objects.get(title__startswith="Visit to Grace Kim, ")
    [cover] = grace.coverages.all()
    assert cover.observer.full_name == "Omar Haddad" and cover.covered_by is not None
    for booking in (samuel, grace):
        assert booking.visit.cycle.kind == Cycle.Kind.MICRO
        assert booking.visit.cycle.status == Cycle.Status.SCHEDULED


@scopes_disabled()
def test_every_visit_booking_is_a_cycles_visit(seeded):
    assert not Booking.objects.filter(kind="visit", visit__isnull=True).exists()


@scopes_disabled()
def test_every_debrief_booking_lists_its_facilitator_and_participants(seeded):
    debriefs = Booking.objects.filter(kind__in=["debrief", "prebrief"])
    assert debriefs.exists()
    for booking in debriefs:
        cycle = booking.debrief.cycle if booking.kind == "debrief" else None
        cycle = cycle or booking.prebrief_of
        booked = set(booking.people.values_list("user_id", flat=True))
        wanted = set(cycle.memberships.values_list("user_id", flat=True))
        assert wanted | {cycle.facilitator_id} <= booked, booking.title
        facilitator = booking.people.get(user=cycle.facilitator)
        assert facilitator.role == BookingPerson.Role.FACILITATOR


@pytest.mark.parametrize("key", ["principal", "coach"])
def test_the_principals_and_coachs_feeds_have_visits_and_a_debrief(client, seeded, key):
    with scopes_disabled():
        user = _user(key)
        school = user.memberships.get().school
        token = calendar_token_issue(school=school, user=user).token
    body = client.get(reverse("scheduling:feed", args=[token])).content
    summaries = [str(e["SUMMARY"]) for e in Calendar.from_ical(body).walk("VEVENT")]
    assert any(s.startswith("Instructional rounds: ") for s in summaries), summaries
    assert any(s.startswith("Debrief: ") for s in summaries), summaries


def test_a_second_run_books_nothing_more(seeded):
    with scopes_disabled():
        before = sorted(Booking.objects.values_list("date", "title"))
    call_command("seed_demo", stdout=io.StringIO())
    with scopes_disabled():
        assert sorted(Booking.objects.values_list("date", "title")) == before
