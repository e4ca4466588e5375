"""Who may open each dashboard route (read by jel/tests/test_route_access.py)."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from dashboards.tests import factories as make
from jel.tests.access import AccessCase

MARKER_LOOK_FOR = "Jefferson marker: students ask why"
MARKER_CYCLE = "Jefferson marker cycle"


def _school_data(cast):
    """A visit with a look-for and an overdue debrief, dated today."""
    today = timezone.localdate()
    found = make.look_for(cast.school, MARKER_LOOK_FOR)
    rounds = make.cycle(
        cast.school, look_fors=[found], facilitator=cast.coach, title=MARKER_CYCLE
    )
    make.visit(rounds, cast.teacher, [cast.outsider], today, seen=[found])
    make.debrief(rounds, due_at=timezone.now() - dt.timedelta(days=1))
    return cast


def _url(name, *args):
    def build(cast):
        _school_data(cast)
        return reverse(name, args=[a(cast) for a in args])

    return build


def _school_case(route, marker):
    return AccessCase(
        route=route,
        url=_url(route),
        allowed="coach",
        wrong_role="teacher",
        record=False,
        marker=marker,
    )


def _look_for(cast):
    return MARKER_LOOK_FOR


def _teacher_name(cast):
    return cast.teacher.full_name


def _cycle_title(cast):
    return MARKER_CYCLE


def _school_name(cast):
    return cast.school.name


def _teacher_pk(cast):
    return cast.teacher.pk


CASES = [
    _school_case("dashboards:trends", _look_for),
    _school_case("dashboards:trends_csv", _look_for),
    _school_case("dashboards:api_trends", _look_for),
    _school_case("dashboards:participation", _teacher_name),
    _school_case("dashboards:participation_csv", _teacher_name),
    _school_case("dashboards:api_participation", _teacher_name),
    _school_case("dashboards:follow_through", _cycle_title),
    _school_case("dashboards:follow_through_csv", _school_name),
    _school_case("dashboards:api_follow_through", _school_name),
    _school_case("dashboards:essa", _school_name),
    _school_case("dashboards:essa_csv", _school_name),
    _school_case("dashboards:api_essa", _school_name),
]

CASES += [
    AccessCase(
        route=route,
        url=_url(route, _teacher_pk),
        allowed="coach",
        wrong_role="principal",
    )
    for route in (
        "dashboards:essa_teacher",
        "dashboards:essa_teacher_csv",
        "dashboards:api_essa_teacher",
    )
]

CASES += [
    AccessCase(
        route=route,
        url=_url(route),
        allowed="teacher",
        every_role_reason="everyone may read the figures of their own learning",
        record=False,
        marker=_school_name,
    )
    for route in (
        "dashboards:my_learning",
        "dashboards:my_learning_csv",
        "dashboards:api_my_learning",
    )
]

CASES += [
    AccessCase(
        route=route,
        url=_url(route),
        allowed="district",
        wrong_role="principal",
        record=False,
        marker=_school_name,
    )
    for route in (
        "dashboards:district",
        "dashboards:district_csv",
        "dashboards:api_district",
    )
]
