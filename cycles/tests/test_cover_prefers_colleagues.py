"""Cover prefers colleagues: with "Arrange cover" an observer who teaches then
gets a free colleague; a substitute only when nobody is free, and the plan says
why."""

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from cycles.tests.test_services import rounds
from scheduling.models import Coverage

pytestmark = pytest.mark.django_db


def _rounds_in_period_2(cast, teachers, problem, day, observers):
    period = teachers["_schedule"]["periods"][2]
    with scope(school=cast.school):
        return rounds(
            cast,
            teachers,
            problem,
            day,
            observers=[teachers[name] for name in observers],
            period=period,
            start_time=None,
            minutes=15,
            arrange_cover=True,
            schedule=True,
        )


def test_an_observer_who_teaches_gets_a_free_colleague_not_a_substitute(
    cast, teachers, ready_problem, visit_day
):
    # Period 2: Sia teaches; Ned and Sam plan and are free to cover.
    cycle = _rounds_in_period_2(
        cast, teachers, ready_problem, visit_day, ["mid_ss", "new_math"]
    )
    with scopes_disabled():
        covers = list(Coverage.objects.filter(booking__visit__cycle=cycle))
        assert cycle.visits.count() == 2
    # Sia's class is covered once for the whole period, across both visits.
    [cover] = covers
    assert cover.observer == teachers["mid_ss"]
    assert cover.covered_by == teachers["new_ela"]  # Ned: the fairest (by name)
    assert not cover.needs_substitute


def test_a_substitute_only_when_no_colleague_is_free_and_the_plan_says_why(
    login, cast, teachers, ready_problem, visit_day
):
    # Everyone who plans in period 2 observes, so nobody is free to cover Sia.
    cycle = _rounds_in_period_2(
        cast,
        teachers,
        ready_problem,
        visit_day,
        ["mid_ss", "new_math", "new_ela", "mid_sci"],
    )
    with scopes_disabled():
        [cover] = Coverage.objects.filter(booking__visit__cycle=cycle)
    assert cover.needs_substitute
    assert cover.substitute_reason == "No colleague is free in Period 2."
    page = login(cast.principal).get(
        reverse("scheduling:coverage_plan"), {"date": visit_day.isoformat()}
    )
    assert "No colleague is free in Period 2." in page.content.decode()
