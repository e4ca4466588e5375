"""Role decides 403, relationship decides 404: cycles and debriefs.

cast.outsider is a teacher of the same school in nothing: a cycle or debrief
they are not in answers 404 on the page and in the API, as another school's
does. A teacher opening what only planners may do gets 403, whatever the cycle.
"""

from django.urls import reverse

from cycles.tests.access_cases import _cycle, _debrief


def test_outsider_gets_404_for_a_cycle_page_and_api(cast, login):
    cycle = _cycle(cast)
    client = login(cast.outsider)
    for url in [
        reverse("cycles:detail", args=[cycle.pk]),
        reverse("cycles:api_detail", args=[cycle.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    host_answer = reverse("cycles:host_respond", args=[cycle.pk])
    assert client.post(host_answer, {"answer": "accept"}).status_code == 404
    listing = client.get(reverse("cycles:api_list")).json()
    assert cycle.pk not in [row["id"] for row in listing["results"]]


def test_outsider_gets_404_for_a_missing_cycle_too(cast, login):
    # The same answer for a cycle that does not exist: nothing is confirmed.
    client = login(cast.outsider)
    missing = _cycle(cast).pk + 1000
    assert client.get(reverse("cycles:detail", args=[missing])).status_code == 404


def test_a_teacher_gets_403_for_planning_a_cycle_even_their_own(cast, login):
    cycle = _cycle(cast)
    for user in (cast.teacher, cast.outsider):
        client = login(user)
        assert client.get(reverse("cycles:edit", args=[cycle.pk])).status_code == 403
        api = reverse("cycles:api_transition", args=[cycle.pk])
        assert client.post(api, {"to": "cancelled"}).status_code == 403


def test_outsider_gets_404_for_a_debrief_read_or_record(cast, login):
    url = reverse("cycles:debrief", args=[_debrief(cast).pk])
    client = login(cast.outsider)
    assert client.get(url).status_code == 404
    assert client.post(url, {"describe": "x"}).status_code == 404


def test_a_teacher_in_the_cycle_reads_the_debrief_but_gets_403_recording_it(
    cast, login
):
    url = reverse("cycles:debrief", args=[_debrief(cast).pk])
    client = login(cast.teacher)
    assert client.get(url).status_code == 200
    assert client.post(url, {"describe": "x"}).status_code == 403
