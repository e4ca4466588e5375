"""A substitute is the last resort: each substitute's cover says why one is needed."""

import pytest

from scheduling.services import SUBSTITUTE, booking_plan, coverage_assign
from scheduling.tests.conftest import TUESDAY
from scheduling.tests.test_services_booking import plan

pytestmark = pytest.mark.usefixtures("in_school")


def test_a_substitute_the_planner_asks_for_says_colleagues_were_free(sched, cast):
    booking = plan(
        sched,
        cast.principal,
        observers=[sched.observer],
        coverage={sched.observer: SUBSTITUTE},
    )
    cover = booking.coverages.get()
    assert cover.needs_substitute
    assert cover.substitute_reason.startswith("Asked for by the planner (")
    assert "free)." in cover.substitute_reason


def test_switching_to_a_colleague_clears_the_reason_and_back_says_it_again(sched, cast):
    booking = plan(
        sched,
        cast.principal,
        observers=[sched.observer],
        coverage={sched.observer: sched.ann},
    )
    cover = booking.coverages.get()
    assert cover.substitute_reason == ""
    cover = coverage_assign(coverage=cover, covered_by=None, by=cast.principal)
    assert cover.needs_substitute
    assert cover.substitute_reason.startswith("Asked for by the planner")
    cover = coverage_assign(coverage=cover, covered_by=sched.bo, by=cast.principal)
    assert cover.substitute_reason == "" and not cover.needs_substitute


def test_no_colleague_free_is_the_reason_when_everyone_is_busy(sched, cast):
    # Every colleague free in period 3 is already covering or in a booking.
    free = [sched.ann, sched.bo]
    booking_plan(
        school=sched.school,
        by=cast.principal,
        kind="meeting",
        title="Busy",
        date=TUESDAY,
        period=sched.periods[3],
        attendees=free,
    )
    booking = plan(
        sched,
        cast.principal,
        observers=[sched.observer],
        coverage={sched.observer: SUBSTITUTE},
    )
    assert booking.coverages.get().substitute_reason == (
        "No colleague is free in Period 3."
    )
