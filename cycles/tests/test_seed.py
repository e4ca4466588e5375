"""seed_demo gains a past cycle of each type; running it twice changes nothing."""

import io

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled

from cycles.models import Cycle, Debrief, Visit

pytestmark = pytest.mark.django_db


def test_seed_makes_a_past_cycle_of_each_type_once():
    call_command("seed_demo", stdout=io.StringIO())
    with scopes_disabled():
        first = (Cycle.objects.count(), Visit.objects.count(), Debrief.objects.count())
        kinds = set(Cycle.objects.values_list("kind", flat=True))
        assert kinds == {"rounds", "lab", "swap", "micro", "walk"}
        assert all(c.starts_on.isoformat() < "2026-11-25" for c in Cycle.objects.all())
        assert Debrief.objects.filter(held_at__isnull=False).count() >= 5
    call_command("seed_demo", stdout=io.StringIO())
    with scopes_disabled():
        again = (Cycle.objects.count(), Visit.objects.count(), Debrief.objects.count())
    assert again == first
