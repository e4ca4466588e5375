"""Who may open each term planner route (see jel/tests/access.py)."""

import datetime as dt

from django.urls import reverse
from django_scopes import scopes_disabled

from cycles.planner.models import PlannedVisit, TermPlan
from jel.tests.access import AccessCase
from scheduling.models import AcademicYear, DayType, Period, Term

MARK = "Marker term of Jefferson"


@scopes_disabled()
def _plan(cast) -> TermPlan:
    """A proposed plan of the school's term with one visit (the teacher hosts)."""
    if "term_plan" not in cast.objects:
        school = cast.school
        year = AcademicYear.objects.create(
            school=school,
            name="Planner year",
            starts_on=dt.date(2026, 8, 24),
            ends_on=dt.date(2027, 6, 11),
        )
        term = Term.objects.create(
            school=school,
            year=year,
            name=MARK,
            kind=Term.Kind.SEMESTER,
            starts_on=dt.date(2026, 8, 24),
            ends_on=dt.date(2027, 1, 22),
        )
        day_type = DayType.objects.create(school=school, name="Planner day")
        period = Period.objects.create(
            school=school,
            day_type=day_type,
            number=2,
            name="Period 2",
            starts_at=dt.time(8, 55),
            ends_at=dt.time(9, 45),
        )
        plan = TermPlan.objects.create(
            school=school,
            term=term,
            status=TermPlan.Status.PROPOSED,
            intentions={"observe_at_least": 1},
            created_by=cast.principal,
        )
        PlannedVisit.objects.create(
            school=school,
            plan=plan,
            date=dt.date(2026, 12, 8),
            period=period,
            host=cast.teacher,
            observer=cast.coach,
        )
        cast.objects["term_plan"] = plan
    return cast.objects["term_plan"]


def _visit(cast) -> PlannedVisit:
    plan = _plan(cast)
    with scopes_disabled():
        return plan.visits.first()


CASES = [
    AccessCase(
        route="cycles:term_plans",
        url=lambda cast: (_plan(cast), reverse("cycles:term_plans"))[1],
        allowed="principal",
        wrong_role="teacher",
        record=False,
        marker=lambda cast: MARK,
    ),
    AccessCase(
        route="cycles:term_plan_new",
        url=lambda cast: (_plan(cast), reverse("cycles:term_plan_new"))[1],
        allowed="principal",
        wrong_role="teacher",
        record=False,
        marker=lambda cast: MARK,
    ),
    AccessCase(
        route="cycles:term_plan",
        url=lambda cast: reverse("cycles:term_plan", args=[_plan(cast).pk]),
        allowed="principal",
        wrong_role="teacher",
    ),
    AccessCase(
        route="cycles:term_plan_progress",
        url=lambda cast: reverse("cycles:term_plan_progress", args=[_plan(cast).pk]),
        allowed="principal",
        wrong_role="teacher",
    ),
    AccessCase(
        route="cycles:term_plan_resolve",
        url=lambda cast: reverse("cycles:term_plan_resolve", args=[_plan(cast).pk]),
        allowed="principal",
        wrong_role="teacher",
        redirect="cycles:term_plan",
        method="post",
    ),
    AccessCase(
        route="cycles:term_plan_accept",
        url=lambda cast: reverse("cycles:term_plan_accept", args=[_plan(cast).pk]),
        allowed="principal",
        wrong_role="teacher",
        expect=400,  # no look-for chosen: the form says so
        method="post",
        data=lambda cast: {},
    ),
    AccessCase(
        route="cycles:planned_visit_lock",
        url=lambda cast: reverse("cycles:planned_visit_lock", args=[_visit(cast).pk]),
        allowed="principal",
        wrong_role="teacher",
        redirect="cycles:term_plan",
        method="post",
        data=lambda cast: {"locked": "1"},
    ),
    AccessCase(
        route="cycles:planned_visit_move",
        url=lambda cast: reverse("cycles:planned_visit_move", args=[_visit(cast).pk]),
        allowed="principal",
        wrong_role="teacher",
    ),
    AccessCase(
        route="cycles:planned_visit_remove",
        url=lambda cast: reverse("cycles:planned_visit_remove", args=[_visit(cast).pk]),
        allowed="principal",
        wrong_role="teacher",
        redirect="cycles:term_plan",
        method="post",
    ),
]
