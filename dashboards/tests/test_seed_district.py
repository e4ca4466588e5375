"""The district generator the benchmarks measure: what it writes is whole,
consistent and the same for the same seed, and the dashboards read it."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from cycles.models import Cycle, CycleLookFor, Debrief, Visit
from jel.models import District, Membership, Role, School
from observations.models import Evidence, Observation

pytestmark = pytest.mark.django_db
# A Wednesday in the autumn term: two whole school years and three months lie behind.
NOW = dt.datetime(2026, 11, 4, 17, 0, tzinfo=dt.UTC)
SMALL = ["--schools", "2", "--staff", "16", "--visits-per-year", "60"]


def _seed(name, *extra):
    out = StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("seed_district", "--name", name, *SMALL, *extra, stdout=out)
    return out.getvalue()


def _signature(school):
    """What a school's seeded learning is, without its ids or names."""
    evidence = Evidence.objects.filter(school=school).order_by("pk")
    return [
        (e.observation.visit.date, e.look_for.position, e.text, e.is_tally)
        for e in evidence.select_related("observation__visit", "look_for")
    ]


def test_the_summary_counts_what_is_in_the_database():
    summary = _seed("Summit")
    with scopes_disabled():
        district = District.objects.get(name="Summit")
        schools = School.objects.filter(district=district)
        observations = Observation.objects.filter(school__in=schools).count()
        evidence = Evidence.objects.filter(school__in=schools).count()
        visits = Visit.objects.filter(school__in=schools).count()
        held = Visit.objects.filter(school__in=schools, date__lt=NOW.date()).count()
    assert schools.count() == 2
    assert f"{visits:,} visits" in summary
    assert f"{observations:,} observations" in summary
    assert f"{evidence:,} evidence entries" in summary
    # The proportions a district has: two observers a visit, about five entries each.
    assert observations == 2 * held
    assert 4 * observations <= evidence <= 6 * observations


def test_every_row_fits_its_cycle_and_the_calendar():
    _seed("Summit")
    today = dt.date(2026, 11, 4)
    with scopes_disabled():
        school = School.objects.filter(district__name="Summit").first()
        visits = Visit.objects.filter(school=school).select_related("cycle")
        assert visits.filter(date__gte=today).exists()
        for visit in visits.prefetch_related("observers", "observations"):
            assert visit.date.weekday() < 5 and visit.date.month != 7
            observed = {o.observer_id for o in visit.observations.all()}
            if visit.date < today:
                assert observed == {u.pk for u in visit.observers.all()}
            else:  # booked for the next two weeks: observers, nothing observed
                assert not observed and visit.observers.count() == 2
                assert visit.date <= today + dt.timedelta(days=13)
                assert visit.cycle.status == Cycle.Status.SCHEDULED
            assert visit.host_id not in {u.pk for u in visit.observers.all()}
        chosen = {
            (link.cycle_id, link.look_for_id)
            for link in CycleLookFor.objects.filter(school=school)
        }
        for entry in Evidence.objects.filter(school=school).select_related(
            "observation__visit"
        ):
            assert (entry.observation.visit.cycle_id, entry.look_for_id) in chosen
            noted = timezone.localtime(entry.noted_at, school.tz)
            assert noted.date() == entry.observation.visit.date
        kinds = set(Cycle.objects.filter(school=school).values_list("kind", flat=True))
        assert kinds == set(Cycle.Kind.values)
        assert Debrief.objects.filter(school=school).count() == (
            Cycle.objects.filter(school=school).count()
        )


def test_the_same_seed_gives_the_same_district():
    _seed("First")
    _seed("Second")
    _seed("Third", "--seed", "7")
    with scopes_disabled():
        first, second, third = (
            School.objects.filter(district__name=name).order_by("pk").first()
            for name in ("First", "Second", "Third")
        )
        assert _signature(first) == _signature(second)
        assert _signature(first) != _signature(third)


def test_a_district_of_that_name_is_refused_and_nothing_is_added():
    _seed("Summit")
    with scopes_disabled():
        before = Evidence.objects.count(), School.objects.count()
    with pytest.raises(CommandError, match="exists already"):
        _seed("Summit")
    with scopes_disabled():
        assert (Evidence.objects.count(), School.objects.count()) == before


def test_the_dashboards_read_the_seeded_district():
    _seed("Summit")
    with scopes_disabled():
        school = School.objects.filter(district__name="Summit").order_by("pk").first()
        coach = Membership.objects.filter(school=school, role=Role.COACH).first().user
        office = Membership.objects.get(school=school, role=Role.DISTRICT).user
    client = Client()
    with time_machine.travel(NOW, tick=False):
        client.force_login(coach)
        trends = client.get(reverse("dashboards:trends"))
        client.force_login(office)
        district = client.get(reverse("dashboards:district"))
    assert trends.status_code == 200
    assert "Look-for 1" in trends.content.decode()
    assert district.status_code == 200
    assert school.name in district.content.decode()
