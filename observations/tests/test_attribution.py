"""The probe's three attacks on evaluator anonymity, and that each now fails.

An evaluator (principal, district) holds the cycle's plan from the cycle API:
each visit's host, start, minutes and observers. The attacks join it with
what the evidence outputs say about each entry:
1. rounds by time: an entry's time falls inside exactly one visit;
2. swap day by observer: each observer visited exactly one host;
3. by order: entries listed in the order written line up with the visits.
The rule (jel.permissions.EvidenceDisclosure) leaves them nothing to join on.
"""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from jel.permissions import evidence_shuffle_key
from jel.tests.leaks import plant
from observations.models import Evidence

EVALUATORS = ["principal", "district"]


@pytest.fixture
def planted(cast):
    return plant(cast)


def _plan(client, cycle):
    response = client.get(reverse("cycles:api_detail", args=[cycle.pk]))
    assert response.status_code == 200
    return response.json()["visits"]


def _csv_rows(client, cycle):
    response = client.get(reverse("observations:cycle_evidence_csv", args=[cycle.pk]))
    assert response.status_code == 200
    body = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def _api_rows(client, cycle):
    url = reverse("observations:api_evidence")
    response = client.get(url, {"cycle": cycle.pk})
    assert response.status_code == 200
    return response.json()["results"]


def _hosts_at(plan, moment: dt.datetime) -> set[str]:
    hosts = set()
    for visit in plan:
        start = dt.datetime.fromisoformat(visit["starts_at"])
        if start <= moment < start + dt.timedelta(minutes=visit["minutes"]):
            hosts.add(visit["host"]["full_name"])
    return hosts


def _reader(planted, login, who):
    return login(planted.users[who])


@pytest.mark.parametrize("who", EVALUATORS)
def test_rounds_evidence_cannot_be_attributed_by_its_time(planted, login, who):
    client = _reader(planted, login, who)
    plan = _plan(client, planted.rounds)
    # The plan is whole: a planner plans with hosts and times.
    assert {v["host"]["full_name"] for v in plan} == {
        h.full_name for h in planted.hosts
    }
    attributed = []
    for row in _csv_rows(client, planted.rounds):
        if row["noted_at"]:
            moment = dt.datetime.fromisoformat(row["noted_at"])
            if len(_hosts_at(plan, moment)) == 1:
                attributed.append(row["text"])
    for row in _api_rows(client, planted.rounds):
        assert "noted_at" not in row and "visit" not in row and "id" not in row
    assert attributed == []
    canary = planted.canaries["evidence"]
    (row,) = [r for r in _csv_rows(client, planted.rounds) if canary in r["text"]]
    assert row["noted_at"] == ""


@pytest.mark.parametrize("who", EVALUATORS)
def test_swap_day_evidence_cannot_be_attributed_by_its_observer(planted, login, who):
    client = _reader(planted, login, who)
    plan = _plan(client, planted.swap)
    host_of = {
        o["full_name"]: v["host"]["full_name"] for v in plan for o in v["observers"]
    }
    assert len(host_of) == 3  # each observer maps to exactly one host
    rows = _api_rows(client, planted.swap)
    assert len(rows) == 3
    attributed = [row for row in rows if row.get("observer") in host_of]
    assert attributed == []
    for row in rows:
        assert {"observer", "host", "visit", "noted_at", "id", "client_id"}.isdisjoint(
            row
        )
    page = client.get(reverse("observations:cycle_evidence", args=[planted.swap.pk]))
    debrief = page.content.decode()
    for observer, host, _text in planted.swap_pairs:
        assert observer.full_name not in debrief and host.full_name not in debrief


@pytest.mark.parametrize("who", EVALUATORS)
def test_the_order_of_entries_does_not_follow_the_visits(planted, login, who):
    client = _reader(planted, login, who)
    with scopes_disabled():
        entries = {
            e.text: e
            for e in Evidence.objects.filter(observation__visit__cycle=planted.rounds)
        }
    written = sorted(entries, key=lambda t: (entries[t].noted_at, entries[t].pk))
    keyed = sorted(
        entries,
        key=lambda t: (entries[t].look_for_id, evidence_shuffle_key(entries[t].pk)),
    )
    assert keyed != written
    by_look_for = sorted(written, key=lambda t: entries[t].look_for_id)
    # The API, the CSV and the page list entries by look-for, then the keyed
    # shuffle: never in the order they were written (which is the visits').
    api = [row["text"] for row in _api_rows(client, planted.rounds)]
    assert api == keyed and api != by_look_for
    export = [row["text"] for row in _csv_rows(client, planted.rounds) if row["text"]]
    assert export == keyed
    page = client.get(
        reverse("observations:cycle_evidence", args=[planted.rounds.pk])
    ).content.decode()
    assert sorted(entries, key=page.index) == keyed
    debrief = client.get(reverse("cycles:debrief", args=[planted.debrief.pk]))
    body = debrief.content.decode()
    assert sorted(entries, key=body.index) == keyed


def test_a_coach_in_the_cycle_still_sees_hosts_where_the_type_allows(planted, login):
    client = login(planted.rounds.facilitator)
    rows = _api_rows(client, planted.swap)
    assert {row["host"] for row in rows} == {h.full_name for h in planted.hosts}
    assert all("observer" in row and "noted_at" in row for row in rows)
    written = [row["text"] for row in _csv_rows(client, planted.rounds)]
    assert all(row["noted_at"] for row in _csv_rows(client, planted.rounds))
    assert len(written) == 9
    body = client.get(reverse("cycles:debrief", args=[planted.swap_debrief.pk]))
    assert planted.host.full_name in body.content.decode()
    # Rounds hide hosts from everyone, the coach too.
    rounds = client.get(reverse("cycles:debrief", args=[planted.debrief.pk]))
    assert planted.canaries["evidence"] in rounds.content.decode()
    assert planted.host.full_name not in _evidence_part(rounds.content.decode())


def _evidence_part(body: str) -> str:
    start = body.index('id="evidence-heading"')
    return body[start : body.index('id="protocol-heading"')]


@pytest.mark.parametrize("who", EVALUATORS)
def test_an_evaluator_reads_the_rounds_debrief_without_time_host_or_observer(
    planted, login, who
):
    client = _reader(planted, login, who)
    body = client.get(reverse("cycles:debrief", args=[planted.debrief.pk]))
    assert body.status_code == 200
    evidence = _evidence_part(body.content.decode())
    assert planted.canaries["evidence"] in evidence
    for person in [*planted.hosts, planted.observer]:
        assert person.full_name not in evidence
    assert "09:00" not in evidence and "9:00" not in evidence
