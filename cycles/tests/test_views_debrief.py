"""The debrief page: protocol per type, evidence by look-for, hosts removed."""

import pytest
from django.urls import reverse
from django_scopes import scope

from cycles import registry
from cycles.tests.test_services import rounds, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def rounds_cycle(cast, teachers, ready_problem, visit_day):
    with scope(school=cast.school):
        return rounds(cast, teachers, ready_problem, visit_day)


def _debrief_url(cycle):
    with scope(school=cycle.school):
        return reverse("cycles:debrief", args=[cycle.debriefs.get().pk])


def test_rounds_debrief_shows_the_protocol_and_an_honest_empty_state(
    login, cast, rounds_cycle, monkeypatch
):
    monkeypatch.setattr(registry, "_debrief_evidence", [])
    body = login(cast.coach).get(_debrief_url(rounds_cycle)).content.decode()
    assert "Describe: evidence only" in body
    assert "Predict: if you were a student here" in body
    assert "Evidence appears here once observers record it" in body


def test_no_evidence_yet_is_said_plainly(login, cast, rounds_cycle, monkeypatch):
    monkeypatch.setattr(
        registry, "_debrief_evidence", [lambda *, cycle, viewer, hide_hosts: []]
    )
    body = login(cast.coach).get(_debrief_url(rounds_cycle)).content.decode()
    assert "No evidence has been recorded for this cycle yet" in body


def test_evidence_is_grouped_by_look_for_without_host_names(
    login, cast, rounds_cycle, monkeypatch
):
    def provider(*, cycle, viewer, hide_hosts):
        return [
            {
                "look_for": None,
                "label": "Students explain the target",
                "entries": [
                    {
                        "text": "Two students restated the target",
                        "students": "",
                        "host": "Olga Old",
                        "at": None,
                    }
                ],
            }
        ]

    monkeypatch.setattr(registry, "_debrief_evidence", [provider])
    body = login(cast.coach).get(_debrief_url(rounds_cycle)).content.decode()
    assert "Students explain the target" in body
    assert "Two students restated the target" in body
    assert "Olga Old" not in body.split("evidence-heading")[1].split("protocol")[0]


def test_facilitator_records_the_debrief(login, cast, rounds_cycle, teachers):
    client = login(cast.coach)
    response = client.post(
        _debrief_url(rounds_cycle),
        {
            "describe": "Students read the target aloud",
            "analyze": "Used at the start only",
            "predict": "Copying",
            "next_level_of_work": "Model mid-lesson checks",
            "attendees": [teachers["new_math"].pk],
            "held": "on",
        },
        follow=True,
    )
    body = response.content.decode()
    assert "The debrief is saved" in body
    assert "Model mid-lesson checks" in body


def test_teacher_in_the_cycle_reads_but_cannot_record(login, rounds_cycle, teachers):
    client = login(teachers["new_math"])
    url = _debrief_url(rounds_cycle)
    assert client.get(url).status_code == 200
    assert client.post(url, {"describe": "x"}).status_code == 403


def test_teacher_not_in_the_cycle_gets_404(login, cast, rounds_cycle):
    assert login(cast.outsider).get(_debrief_url(rounds_cycle)).status_code == 404


def test_walk_debrief_needs_a_step_for_each_group(login, cast, teachers, visit_day):
    with scope(school=cast.school):
        cycle = walk(cast, teachers, visit_day)
    client = login(cast.coach)
    body = client.post(
        _debrief_url(cycle), {"group_1": "Post stems", "held": "on"}
    ).content.decode()
    assert "Missing for group 2" in body
