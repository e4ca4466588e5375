"""The capture page and its plain form posts (no JavaScript needed)."""

import uuid

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from cycles.models import Cycle
from observations.models import Evidence, Observation
from observations.tests.factories import cycle_with_visit


def _capture(visit):
    return reverse("observations:capture", args=[visit.pk])


def _post(visit):
    return reverse("observations:evidence_create", args=[visit.pk])


def test_the_observer_sees_look_fors_timer_and_host(cast, visit, login):
    body = login(cast.teacher).get(_capture(visit)).content.decode()
    assert "Students explain their thinking" in body
    assert "of 15 min planned" in body
    assert "Hana Host’s room" in body
    assert "Save entry" in body


def test_a_plain_post_saves_evidence_and_a_repost_does_not_double(cast, visit, login):
    client = login(cast.teacher)
    data = {
        "client_id": str(uuid.uuid4()),
        "text": "Students asked each other for evidence",
        "student_focus": "saying",
    }
    response = client.post(_post(visit), data, follow=True)
    assert "Evidence saved." in response.content.decode()
    assert "Students asked each other for evidence" in response.content.decode()
    client.post(_post(visit), data)
    with scopes_disabled():
        assert Evidence.objects.count() == 1
        assert Evidence.objects.get().student_focus == "saying"


def test_judging_words_nudge_but_still_save(cast, visit, login):
    response = login(cast.teacher).post(
        _post(visit),
        {"client_id": str(uuid.uuid4()), "text": "Great lesson, very good pacing"},
        follow=True,
    )
    body = response.content.decode()
    assert "You wrote “great, good”" in body
    assert "describing what students were doing" in body
    with scopes_disabled():
        assert Evidence.objects.count() == 1


def test_an_empty_entry_shows_the_form_again_with_a_message(cast, visit, login):
    response = login(cast.teacher).post(
        _post(visit), {"client_id": str(uuid.uuid4()), "text": ""}
    )
    assert response.status_code == 400
    assert "Write what students were doing or saying." in response.content.decode()


def test_a_tap_on_a_look_for_counts_without_javascript(cast, visit, login):
    client = login(cast.teacher)
    with scopes_disabled():
        look_for = visit.cycle.look_fors.order_by("position").first()
    for _ in range(2):
        client.post(
            _post(visit),
            {"client_id": str(uuid.uuid4()), "look_for": look_for.pk, "is_tally": "on"},
        )
    with scopes_disabled():
        assert Evidence.objects.filter(is_tally=True, look_for=look_for).count() == 2
    body = client.get(_capture(visit)).content.decode()
    assert 'data-count="2"' in body


def test_a_lab_shows_what_so_what_now_what(cast, host, login):
    visit = cycle_with_visit(
        cast.school, host=host, observers=[cast.teacher], kind=Cycle.Kind.LAB
    )
    client = login(cast.teacher)
    body = client.get(_capture(visit)).content.decode()
    assert "So what: why it matters for student understanding" in body
    client.post(
        _post(visit),
        {"client_id": str(uuid.uuid4()), "what": "Pairs sorted cards"},
    )
    with scopes_disabled():
        assert Evidence.objects.get().what == "Pairs sorted cards"


def test_a_walk_shows_the_guiding_questions(cast, host, login):
    visit = cycle_with_visit(
        cast.school, host=host, observers=[cast.teacher], kind=Cycle.Kind.WALK
    )
    body = login(cast.teacher).get(_capture(visit)).content.decode()
    assert "What do we hope to see students doing?" in body
    assert "Students explaining evidence to each other" in body


def test_the_timer_start_and_stop_answer_json(cast, visit, login):
    client = login(cast.teacher)
    start = client.post(
        reverse("observations:observation_start", args=[visit.pk]),
        HTTP_ACCEPT="application/json",
    )
    assert start.json()["started_at"]
    stop = client.post(
        reverse("observations:observation_stop", args=[visit.pk]),
        HTTP_ACCEPT="application/json",
    )
    assert stop.json()["ended_at"]
    with scopes_disabled():
        assert Observation.objects.get().ended_at is not None


def test_stopping_a_timer_never_started_says_so(cast, visit, login):
    response = login(cast.teacher).post(
        reverse("observations:observation_stop", args=[visit.pk]), follow=True
    )
    assert "The timer has not been started." in response.content.decode()


@pytest.fixture
def bright_spot(cast, visit, login):
    client = login(cast.teacher)
    client.post(
        _post(visit),
        {"client_id": str(uuid.uuid4()), "text": "Every group had a sketch"},
    )
    with scopes_disabled():
        entry = Evidence.objects.get()
    client.post(
        reverse("observations:evidence_bright_spot", args=[entry.pk]),
        {"bright_spot": "1"},
    )
    client.logout()
    return entry


def test_the_host_gets_a_note_of_thanks_and_may_share_it(
    cast, host, bright_spot, login
):
    client = login(host)
    home = client.get(reverse("home")).content.decode()
    assert "Colleagues noted 1 new bright spot in your classroom" in home
    room = client.get(reverse("observations:my_room")).content.decode()
    assert "Every group had a sketch" in room
    assert "Mark the new ones as read" in room
    # Reading the page writes nothing; the host marks the notes read.
    assert "Colleagues noted 1" in client.get(reverse("home")).content.decode()
    read = client.post(reverse("observations:bright_spots_read"), follow=True)
    assert "Marked 1 note of thanks as read." in read.content.decode()
    assert "Colleagues noted" not in client.get(reverse("home")).content.decode()
    assert (
        "Every group had a sketch"
        not in client.get(reverse("observations:wall")).content.decode()
    )
    client.post(
        reverse("observations:evidence_wall", args=[bright_spot.pk]), {"agreed": "1"}
    )
    wall = client.get(reverse("observations:wall")).content.decode()
    assert "Every group had a sketch" in wall
    assert "Hana Host" not in wall


def test_only_the_author_marks_a_bright_spot(cast, visit, login):
    from observations.tests.factories import evidence

    entry = evidence(visit, cast.teacher)
    response = login(cast.coach).post(
        reverse("observations:evidence_bright_spot", args=[entry.pk]),
        {"bright_spot": "1"},
    )
    assert response.status_code == 403


def test_capture_and_my_room_keep_their_query_counts(
    cast, host, visit, login, django_assert_max_num_queries
):
    from observations.tests.factories import evidence

    with scopes_disabled():
        look_for = visit.cycle.look_fors.first()
    for number in range(15):
        evidence(visit, cast.teacher, f"Entry {number}", look_for=look_for)
    client = login(cast.teacher)
    # One more than before: the visit's debriefs (is it locked, what is next).
    with django_assert_max_num_queries(15):
        assert client.get(_capture(visit)).status_code == 200
    client = login(host)
    with django_assert_max_num_queries(13):
        response = client.get(reverse("observations:my_room"))
    assert "Entry 14" in response.content.decode()


def test_the_page_gives_its_script_the_servers_judging_words(cast, visit, login):
    import json
    import re
    from pathlib import Path

    from django.conf import settings

    from observations.judging import JUDGING_WORDS, NUDGE

    body = login(cast.teacher).get(_capture(visit)).content.decode()
    found = re.search(
        r'<script id="capture-config" type="application/json">(.*?)<', body
    )
    config = json.loads(found.group(1))
    assert config["judgingWords"] == list(JUDGING_WORDS)
    assert config["nudge"] == NUDGE
    assert 'type="module" src="/static/observations/capture/main.js"' in body
    # One list, the server's: no copy of it in the page's modules.
    modules = Path(settings.BASE_DIR, "static", "observations", "capture")
    for script in modules.glob("*.js"):
        assert '"excellent"' not in script.read_text(), script.name
