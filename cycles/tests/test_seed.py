"""seed_demo gains weeks of past cycles of each type; a second run changes nothing."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_scopes import scopes_disabled

from cycles import selectors
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


def test_demo_walks_send_each_group_to_its_own_rooms():
    call_command("seed_demo", stdout=io.StringIO())
    with scopes_disabled():
        walks = list(Cycle.objects.filter(kind="walk").prefetch_related("memberships"))
        assert walks
        for walk in walks:
            groups = {
                number: {u.pk for u in members}
                for number, members in selectors.walk_groups(cycle=walk).items()
            }
            assert len(groups) >= 2
            visits = list(walk.visits.prefetch_related("observers"))
            at_once = {}
            for visit in visits:
                walkers = {o.pk for o in visit.observers.all()}
                # Before: every walker was in every room.
                assert walkers in groups.values(), walk.title
                at_once.setdefault(visit.starts_at, []).append(visit)
            for same_time in at_once.values():
                assert len({v.host_id for v in same_time}) == len(same_time)
                seen = [o.pk for v in same_time for o in v.observers.all()]
                assert len(seen) == len(set(seen)), walk.title
            # Every group walks; the groups are out at the same time.
            assert len(at_once) < len(visits)
