"""The dashboards' FilterSet: the choices it offers, its range rules, and the
visits it narrows to (the same slices the report selectors count)."""

import datetime as dt

from django_scopes import scope

from cycles.models import Cycle
from dashboards.filters import DashboardFilterSet, period_errors
from dashboards.tests import factories as make
from jel.models import Role
from jel.tests.factories import staff

DAY = dt.date(2026, 10, 6)


def _visits(cast):
    maths = staff(cast.school, Role.TEACHER, full_name="M", department="Mathematics")
    english = staff(cast.school, Role.TEACHER, full_name="E", department="English")
    rounds = make.cycle(cast.school, kind=Cycle.Kind.ROUNDS)
    lab = make.cycle(cast.school, kind=Cycle.Kind.LAB)
    return {
        "maths_rounds": make.visit(rounds, maths, [cast.outsider], DAY),
        "english_lab": make.visit(lab, english, [cast.outsider], DAY),
        "later": make.visit(rounds, english, [cast.outsider], DAY.replace(month=11)),
    }


def test_the_visits_in_view_follow_each_filter(cast):
    made = _visits(cast)
    with scope(school=cast.school):

        def shown(**data):
            found = DashboardFilterSet(data, school=cast.school).qs
            return {name for name, visit in made.items() if visit in found}

        assert shown(start="2026-10-01", end="2026-10-31") == {
            "maths_rounds",
            "english_lab",
        }
        assert shown(kind="lab") == {"english_lab"}
        assert shown(department="English") == {"english_lab", "later"}
        assert shown(by="grade") == set(made)


def test_only_the_fields_a_page_offers_are_in_its_form(cast):
    with scope(school=cast.school):
        form = DashboardFilterSet({}, school=cast.school, fields=("start", "end")).form
    assert list(form.fields) == ["start", "end"]


def test_range_rules():
    assert period_errors(DAY, None) == [
        (None, "Give both dates of the range, or neither.")
    ]
    assert period_errors(DAY, DAY - dt.timedelta(days=1)) == [
        ("end", "The end date is before the start date.")
    ]
    assert period_errors(DAY, DAY + dt.timedelta(days=4 * 365)) == [
        ("end", "Choose a range of at most three years.")
    ]
    assert period_errors(DAY, DAY) == []
    assert period_errors(None, None) == []
