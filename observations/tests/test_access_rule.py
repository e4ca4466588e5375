"""Role decides 403, relationship decides 404: visits, evidence, reflections, goals.

cast.outsider is a teacher of the same school in nothing. A visit of a cycle
they are not in, an entry they may not read, a reflection not shared with them
and anyone else's goal answer 404, on pages and in the API, as another school's
do. Someone who may see the record but not do this to it gets 403: the host
recording evidence in their own room, a planner outside a cycle opening its
evidence, a reader changing a reflection, a reader putting a bright spot on
the wall. Goals have no 403: every role keeps goals, and nobody sees another's.
"""

import uuid

import pytest
from django.urls import reverse

from observations.tests.factories import evidence, goal, reflection

API = "observations:api_evidence"


@pytest.fixture
def entry(cast, visit):
    return evidence(visit, cast.teacher, "Students argued from the text")


def _visit_routes(visit):
    return {
        "observations:capture": "get",
        "observations:evidence_create": "post",
        "observations:observation_start": "post",
        "observations:observation_stop": "post",
    }, [visit.pk]


def test_outsider_gets_404_for_a_visit_on_pages_and_api(cast, visit, login):
    client = login(cast.outsider)
    routes, args = _visit_routes(visit)
    for route, method in routes.items():
        response = getattr(client, method)(reverse(route, args=args))
        assert response.status_code == 404, route
    response = client.post(
        reverse(API),
        {"client_id": str(uuid.uuid4()), "visit": visit.pk, "text": "x"},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_the_host_and_a_planner_get_403_recording_evidence(cast, host, visit, login):
    # They see the visit (the host is in it, the principal plans every cycle),
    # so 403 tells them nothing new.
    routes, args = _visit_routes(visit)
    for user in (host, cast.principal):
        client = login(user)
        for route, method in routes.items():
            response = getattr(client, method)(reverse(route, args=args))
            assert response.status_code == 403, (user, route)


def test_outsider_gets_404_for_an_entry_and_a_cycles_evidence(
    cast, visit, entry, login
):
    client = login(cast.outsider)
    for route, args in [
        ("observations:evidence_bright_spot", [entry.pk]),
        ("observations:evidence_wall", [entry.pk]),
    ]:
        assert client.post(reverse(route, args=args)).status_code == 404, route
    for route in ("observations:cycle_evidence", "observations:cycle_evidence_csv"):
        url = reverse(route, args=[visit.cycle_id])
        assert client.get(url).status_code == 404, route
    rows = client.get(reverse(API)).json()["results"]
    assert entry.pk not in [row["id"] for row in rows]


def test_readers_who_may_not_do_it_get_403(cast, host, visit, entry, login):
    # The observer reads the entry but does not own the room's wall.
    wall = reverse("observations:evidence_wall", args=[entry.pk])
    assert login(cast.teacher).post(wall, {"agreed": "1"}).status_code == 403
    # The host reads it but did not write it.
    spot = reverse("observations:evidence_bright_spot", args=[entry.pk])
    assert login(host).post(spot, {"bright_spot": "1"}).status_code == 403


def test_a_planner_outside_the_cycle_gets_403_for_its_evidence(cast, host, login):
    from observations.tests.factories import cycle_with_visit

    # The coach plans, so sees the cycle, but neither runs nor joins this one.
    other = cycle_with_visit(cast.school, host=host, observers=[cast.teacher])
    client = login(cast.coach)
    assert (
        client.get(reverse("cycles:detail", args=[other.cycle_id])).status_code == 200
    )
    url = reverse("observations:cycle_evidence", args=[other.cycle_id])
    assert client.get(url).status_code == 403


def test_outsider_gets_404_for_a_reflection_not_shared_with_them(cast, login):
    private = reflection(cast.teacher, cast.school, body="Only mine")
    client = login(cast.outsider)
    for route, method in [
        ("observations:reflection_detail", "get"),
        ("observations:reflection_edit", "get"),
        ("observations:reflection_delete", "post"),
        ("observations:reflection_reply", "post"),
    ]:
        url = reverse(route, args=[private.pk])
        assert getattr(client, method)(url).status_code == 404, route


def test_a_coach_it_is_shared_with_reads_but_gets_403_changing_it(cast, login):
    shared = reflection(
        cast.teacher, cast.school, body="For my coach", visibility="coaches"
    )
    client = login(cast.coach)
    assert (
        client.get(
            reverse("observations:reflection_detail", args=[shared.pk])
        ).status_code
        == 200
    )
    edit = reverse("observations:reflection_edit", args=[shared.pk])
    assert client.get(edit).status_code == 403
    delete = reverse("observations:reflection_delete", args=[shared.pk])
    assert client.post(delete).status_code == 403


@pytest.mark.parametrize("who", ["outsider", "coach", "principal"])
def test_anyone_but_the_owner_gets_404_for_a_goal(cast, login, who):
    mine = goal(cast.teacher, cast.school, text="Wait time")
    client = login(getattr(cast, who))
    url = reverse("observations:goal_detail", args=[mine.pk])
    assert client.get(url).status_code == 404
    check_in = {"tried": "yes", "results_as_anticipated": "yes", "why": "x"}
    assert client.post(url, check_in).status_code == 404
