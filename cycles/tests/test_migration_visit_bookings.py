"""Migration 0004: a visit booking with no cycle becomes an observable visit."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from cycles.models import Cycle
from scheduling.actions import OBSERVE, action_for
from scheduling.models import Booking
from scheduling.services import SUBSTITUTE, booking_cancel, booking_plan
from scheduling.tests.conftest import TUESDAY, sched  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db
migration = importlib.import_module(
    "cycles.migrations.0004_visit_bookings_as_micro_cycles"
)


def _orphan(sched, cast, title="Visit to Hope"):  # noqa: F811
    """A visit booked before 'Plan a visit' made cycles: a Booking alone."""
    with scope(school=sched.school):
        return booking_plan(
            school=sched.school,
            by=cast.principal,
            kind=Booking.Kind.VISIT,
            title=title,
            date=TUESDAY,
            period=sched.periods[3],
            host=sched.host,
            observers=[sched.observer],
            coverage={sched.observer: SUBSTITUTE},
        )


def test_an_orphan_visit_booking_becomes_an_observable_micro_visit(
    login,
    cast,
    sched,  # noqa: F811
):
    booking = _orphan(sched, cast)
    with scopes_disabled():
        assert not hasattr(Booking.objects.get(pk=booking.pk), "visit")
        migration.wrap_visit_bookings(apps, None)
        booking = Booking.objects.get(pk=booking.pk)
        visit = booking.visit
        cycle = visit.cycle
        assert cycle.kind == Cycle.Kind.MICRO
        assert cycle.status == Cycle.Status.SCHEDULED
        assert cycle.facilitator == cast.principal
        assert visit.host == sched.host
        assert list(visit.observers.all()) == [sched.observer]
        assert visit.minutes == 15 and visit.starts_at == booking.starts_at
        assert cycle.debriefs.get().visit == visit
        action = action_for(booking, sched.observer)
    assert action.verb == OBSERVE
    capture = reverse("observations:capture", args=[visit.pk])
    assert action.url == capture
    assert login(sched.observer).get(capture).status_code == 200


def test_running_it_twice_wraps_each_booking_once(cast, sched):  # noqa: F811
    _orphan(sched, cast)
    with scopes_disabled():
        migration.wrap_visit_bookings(apps, None)
        migration.wrap_visit_bookings(apps, None)
        assert Cycle.objects.count() == 1


def test_a_cancelled_visit_booking_becomes_a_cancelled_cycle(cast, sched):  # noqa: F811
    booking = _orphan(sched, cast)
    with scope(school=sched.school):
        booking_cancel(booking=booking, by=cast.principal)
    with scopes_disabled():
        migration.wrap_visit_bookings(apps, None)
        assert Cycle.objects.get().status == Cycle.Status.CANCELLED
