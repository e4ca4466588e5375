"""The debrief page follows the evidence pages' reader rule: one rule, three doors.

cycles.selectors.can_read_cycle_evidence decides who reads a cycle's
evidence, on /debriefs/N/, /evidence/cycle/N/ and its CSV alike: the
facilitator, the cycle's participants and hosts, and principals; a coach or
mentor outside the cycle gets 403; another school's principal 404.
"""

import pytest
from django.urls import reverse

from jel.tests.leaks import plant


@pytest.fixture
def planted(cast):
    return plant(cast)


def _doors(planted):
    return [
        reverse("cycles:debrief", args=[planted.debrief.pk]),
        reverse("observations:cycle_evidence", args=[planted.rounds.pk]),
        reverse("observations:cycle_evidence_csv", args=[planted.rounds.pk]),
    ]


@pytest.mark.parametrize("who", ["coach_outside", "mentor_outside"])
def test_a_coach_or_mentor_outside_the_cycle_gets_403_at_every_door(
    planted, login, who
):
    client = login(planted.users[who])
    for url in _doors(planted):
        response = client.get(url)
        assert response.status_code == 403, url
        assert planted.canaries["evidence"] not in response.content.decode()


@pytest.mark.parametrize("who", ["facilitator", "participant", "host", "principal"])
def test_the_cycles_people_and_the_principal_read_at_every_door(
    cast, planted, login, who
):
    user = {
        "facilitator": planted.rounds.facilitator,
        "participant": planted.observer,
        "host": planted.host,
        "principal": cast.principal,
    }[who]
    client = login(user)
    for url in _doors(planted):
        response = client.get(url)
        assert response.status_code == 200, url
        assert planted.canaries["evidence"] in response.content.decode("utf-8-sig")


def test_another_schools_principal_gets_404_at_every_door(cast, planted, login):
    client = login(cast.other_principal)
    for url in _doors(planted):
        assert client.get(url).status_code == 404, url
