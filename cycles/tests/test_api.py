"""The cycles API: scoped lists, a plan, status moves with 400 reasons."""

import pytest
from django.urls import reverse
from django_scopes import scope

from cycles.tests.test_services import lab, rounds

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned(cast, teachers, ready_problem, visit_day):
    with scope(school=cast.school):
        return rounds(cast, teachers, ready_problem, visit_day)


def test_teacher_lists_only_their_cycles(login, cast, planned, teachers):
    mine = login(teachers["new_math"]).get(reverse("cycles:api_list")).json()
    assert [c["title"] for c in mine["results"]] == ["Writing rounds"]
    theirs = login(cast.outsider).get(reverse("cycles:api_list")).json()
    assert theirs["results"] == []


def test_list_filters_by_type_and_refuses_an_unknown_one(login, cast, planned):
    client = login(cast.principal)
    rounds_only = client.get(reverse("cycles:api_list"), {"kind": "rounds"}).json()
    assert [c["title"] for c in rounds_only["results"]] == ["Writing rounds"]
    labs = client.get(reverse("cycles:api_list"), {"kind": "lab"}).json()
    assert labs["results"] == []
    response = client.get(reverse("cycles:api_list"), {"kind": "picnic"})
    assert response.status_code == 400
    assert "kind" in response.json()


def test_plan_lists_look_fors_in_order_and_visits(login, planned, teachers):
    data = (
        login(teachers["new_math"])
        .get(reverse("cycles:api_detail", args=[planned.pk]))
        .json()
    )
    assert [lf["kind"] for lf in data["look_fors"]] == ["oral", "visual", "artifact"]
    assert len(data["visits"]) == 2
    assert data["visits"][0]["minutes"] == 15


def test_stranger_gets_404_for_the_plan(login, cast, planned):
    url = reverse("cycles:api_detail", args=[planned.pk])
    assert login(cast.outsider).get(url).status_code == 404


def test_refused_transition_is_400_with_the_field(login, cast, teachers, visit_day):
    with scope(school=cast.school):
        cycle = lab(cast, teachers, visit_day)
    response = login(cast.coach).post(
        reverse("cycles:api_transition", args=[cycle.pk]),
        {"to": "scheduled"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "has not agreed to host" in response.json()["hosts"][0]


def test_bad_status_is_400(login, cast, planned):
    response = login(cast.coach).post(
        reverse("cycles:api_transition", args=[planned.pk]),
        {"to": "finished"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "to" in response.json()


def test_host_suggestions_rank_least_hosted_first(login, cast, planned, teachers):
    rows = login(cast.coach).get(reverse("cycles:api_host_suggestions")).json()
    counts = [row["hosted_this_year"] for row in rows]
    assert counts == sorted(counts)
    hosted = {row["user"]["full_name"]: row["hosted_this_year"] for row in rows}
    assert hosted["Olga Old"] == 1 and hosted["Sam Science"] == 0


def test_a_move_the_status_rules_refuse_names_the_to_field(login, cast, planned):
    response = login(cast.coach).post(
        reverse("cycles:api_transition", args=[planned.pk]),
        {"to": "debriefed"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "cannot become debriefed" in response.json()["to"][0]
