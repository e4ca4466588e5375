"""The evidence API: idempotent create by client_id, 400 with field details."""

import uuid

from django.urls import reverse
from django_scopes import scopes_disabled

from observations.models import Evidence

URL = "/api/v1/evidence/"


def test_the_api_url_is_stable():
    assert reverse("observations:api_evidence") == URL


def test_the_same_entry_sent_twice_is_one_row_201_then_200(cast, visit, login):
    client = login(cast.teacher)
    payload = {
        "client_id": str(uuid.uuid4()),
        "visit": visit.pk,
        "text": "Students pointed at the target",
        "student_focus": "doing",
    }
    first = client.post(URL, payload, content_type="application/json")
    second = client.post(URL, payload, content_type="application/json")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    with scopes_disabled():
        assert Evidence.objects.count() == 1


def test_judging_words_come_back_as_a_nudge(cast, visit, login):
    response = login(cast.teacher).post(
        URL,
        {"client_id": str(uuid.uuid4()), "visit": visit.pk, "text": "Excellent work"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["judging_words"] == ["excellent"]


def test_bad_input_answers_400_with_field_details(cast, visit, login):
    client = login(cast.teacher)
    response = client.post(
        URL, {"client_id": "nope", "visit": "x"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert set(response.json()) >= {"client_id", "visit"}
    empty = client.post(
        URL,
        {"client_id": str(uuid.uuid4()), "visit": visit.pk, "text": ""},
        content_type="application/json",
    )
    assert empty.status_code == 400
    assert "text" in empty.json()


def test_a_look_for_from_elsewhere_is_a_400(cast, visit, login):
    response = login(cast.teacher).post(
        URL,
        {
            "client_id": str(uuid.uuid4()),
            "visit": visit.pk,
            "text": "x",
            "look_for": 999999,
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "look_for" in response.json()


def test_someone_outside_the_cycle_gets_404(cast, visit, login):
    response = login(cast.outsider).post(
        URL,
        {"client_id": str(uuid.uuid4()), "visit": visit.pk, "text": "x"},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_someone_who_sees_the_visit_but_does_not_observe_gets_403(cast, visit, login):
    # The principal plans (sees every cycle) but is not this visit's observer.
    response = login(cast.principal).post(
        URL,
        {"client_id": str(uuid.uuid4()), "visit": visit.pk, "text": "x"},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_another_schools_visit_is_404(cast, visit, login):
    response = login(cast.other_principal).post(
        URL,
        {"client_id": str(uuid.uuid4()), "visit": visit.pk, "text": "x"},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_the_list_keeps_its_query_count(
    cast, visit, login, django_assert_max_num_queries
):
    from observations.tests.factories import evidence

    for number in range(12):
        evidence(visit, cast.teacher, f"Entry {number}")
    client = login(cast.teacher)
    with django_assert_max_num_queries(12):
        response = client.get(URL)
    assert response.json()["count"] == 12
