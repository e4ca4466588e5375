"""Assigning cover on a day that has since been closed says so instead of a 500."""

import pytest
from django.urls import reverse
from django_scopes import scope

from scheduling.models import SchoolDay
from scheduling.services import SUBSTITUTE, BookingConflict, coverage_assign
from scheduling.tests.conftest import TUESDAY
from scheduling.tests.test_services_booking import plan

pytestmark = pytest.mark.usefixtures("in_school")


def test_cover_on_a_day_closed_after_booking_is_a_clear_message(sched, cast, client):
    booking = plan(
        sched,
        cast.principal,
        observers=[sched.observer],
        coverage={sched.observer: SUBSTITUTE},
    )
    cover = booking.coverages.get()
    with scope(school=sched.school):
        SchoolDay.objects.create(
            school=sched.school, date=TUESDAY, is_school_day=False, note="Snow day"
        )
    with pytest.raises(BookingConflict) as refused:
        coverage_assign(coverage=cover, covered_by=sched.ann, by=cast.principal)
    assert [c.reason for c in refused.value.conflicts] == [
        "Tuesday 1 December 2026 is not a school day (Snow day)."
    ]
    client.force_login(cast.principal)
    response = client.post(
        reverse("scheduling:coverage_assign", args=[cover.pk]),
        {f"cover-{cover.pk}-covered_by": "substitute"},
        follow=True,
    )
    assert response.status_code == 200
    cover.refresh_from_db()
    assert cover.covered_by_id is None and cover.needs_substitute
