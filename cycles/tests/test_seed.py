"""seed_demo gains weeks of past cycles of each type; a second run changes nothing."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_scopes import scopes_disabled

from cycles.models import Cycle, Debrief, Visit

pytestmark = pytest.mark.django_db


def test_seed_makes_a_past_cycle_of_each_type_once():
    call_command("seed_demo", stdout=io.StringIO())
    with scopes_disabled():
        first = (Cycle.objects.count(), Visit.objects.count(), Debrief.objects.count())
        kinds = set(Cycle.objects.values_list("kind", flat=True))
        assert kinds == {"rounds", "lab", "swap", "micro", "walk"}
        # The history all in the past (the suite clock is Monday 30 November
        # 2026), spread over about ten school weeks; what is to come is booked
        # (tests/test_seed_upcoming.py).
        past = Cycle.objects.exclude(status=Cycle.Status.SCHEDULED)
        days = sorted(past.values_list("starts_on", flat=True))
        assert days[-1] < timezone.localdate()
        assert (days[-1] - days[0]).days >= 60
        assert Debrief.objects.filter(held_at__isnull=False).count() >= 20
        assert Debrief.objects.filter(held_at__isnull=True).count() >= 1
    call_command("seed_demo", stdout=io.StringIO())
    with scopes_disabled():
        again = (Cycle.objects.count(), Visit.objects.count(), Debrief.objects.count())
    assert again == first
