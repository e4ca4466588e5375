"""Capture tells the truth (issue 15, item 8): evidence from the visit's start
until its debrief, entries the author can change, a sensible length, and the
page saying what happened and what comes next."""

import datetime as dt
import json
import re
import uuid

import time_machine
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from cycles.models import Debrief
from jel.tests.clock import NEW_YORK, SUITE_NOW
from observations.models import EVIDENCE_MAX_CHARS, Evidence, Observation
from observations.tests.factories import cycle_with_visit, evidence


def _capture(visit):
    return reverse("observations:capture", args=[visit.pk])


def _api_post(client, visit, **values):
    payload = {"client_id": str(uuid.uuid4()), "visit": visit.pk, **values}
    return client.post(
        reverse("observations:api_evidence"),
        json.dumps(payload),
        content_type="application/json",
    )


def _tomorrows_visit(cast, host):
    return cycle_with_visit(
        cast.school,
        host=host,
        observers=[cast.teacher],
        day=SUITE_NOW.date() + dt.timedelta(days=1),
        at=dt.time(9, 15),
    )


def _count(visit):
    with scopes_disabled():
        return Evidence.objects.filter(observation__visit=visit).count()


def test_before_the_start_the_page_says_when_and_shows_the_look_fors(cast, host, login):
    visit = _tomorrows_visit(cast, host)
    body = login(cast.teacher).get(_capture(visit)).content.decode()
    assert "This visit starts at 09:15 on Tuesday 1 December; come back then." in body
    assert "Students explain their thinking" in body  # the look-fors, to read
    assert 'id="evidence-form"' not in body
    assert "timer-start-form" not in body


def test_no_evidence_before_the_start_by_form_api_or_timer(cast, host, login):
    visit = _tomorrows_visit(cast, host)
    client = login(cast.teacher)
    response = client.post(
        reverse("observations:evidence_create", args=[visit.pk]),
        {"client_id": str(uuid.uuid4()), "text": "Students wrote early"},
    )
    assert response.status_code == 400
    assert "come back then" in response.content.decode()
    answer = _api_post(client, visit, text="Students wrote early")
    assert answer.status_code == 400
    assert "09:15 on Tuesday 1 December" in json.dumps(answer.json())
    timer = client.post(
        reverse("observations:observation_start", args=[visit.pk]),
        HTTP_ACCEPT="application/json",
    )
    assert timer.status_code == 400
    assert _count(visit) == 0
    with scopes_disabled():
        assert not Observation.objects.filter(visit=visit).exists()


def test_from_the_start_time_evidence_is_taken(cast, host, login):
    visit = _tomorrows_visit(cast, host)
    start = dt.datetime(2026, 12, 1, 9, 15, tzinfo=NEW_YORK)
    with time_machine.travel(start, tick=False):
        client = login(cast.teacher)
        assert "Save entry" in client.get(_capture(visit)).content.decode()
        assert _api_post(client, visit, text="Pairs compared").status_code == 201
    assert _count(visit) == 1


def test_the_author_edits_and_deletes_an_entry(cast, visit, login):
    entry = evidence(visit, cast.teacher, "Students argueed")
    client = login(cast.teacher)
    edit = reverse("observations:evidence_edit", args=[entry.pk])
    assert "Students argueed" in client.get(edit).content.decode()
    response = client.post(edit, {"text": "Students argued", "student_focus": ""})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.text == "Students argued"
    page = client.get(_capture(visit)).content.decode()
    assert edit in page
    client.post(reverse("observations:evidence_delete", args=[entry.pk]))
    assert _count(visit) == 0


def test_only_the_author_changes_an_entry(cast, visit, login):
    entry = evidence(visit, cast.teacher, "Students argued")
    client = login(cast.coach)  # the facilitator reads it, but did not write it
    edit = reverse("observations:evidence_edit", args=[entry.pk])
    assert client.get(edit).status_code == 403
    delete = reverse("observations:evidence_delete", args=[entry.pk])
    assert client.post(delete).status_code == 403
    assert _count(visit) == 1


def test_once_the_debrief_is_held_entries_are_locked(cast, visit, login):
    entry = evidence(visit, cast.teacher, "Students argued")
    with scopes_disabled():
        Debrief.objects.create(
            school=cast.school, cycle=visit.cycle, held_at=timezone.now()
        )
    client = login(cast.teacher)
    page = client.get(_capture(visit)).content.decode()
    assert "this visit’s entries are locked" in page
    assert 'id="evidence-form"' not in page
    edit = reverse("observations:evidence_edit", args=[entry.pk])
    assert edit not in page
    response = client.post(edit, {"text": "Changed after the debrief"})
    assert response.status_code == 400
    assert "this entry is locked" in response.content.decode()
    client.post(reverse("observations:evidence_delete", args=[entry.pk]))
    entry.refresh_from_db()
    assert entry.text == "Students argued"
    assert _api_post(client, visit, text="Late").status_code == 400


def test_a_debrief_held_before_the_visit_does_not_lock_it(cast, visit, login):
    with scopes_disabled():
        Debrief.objects.create(
            school=cast.school,
            cycle=visit.cycle,
            held_at=visit.starts_at - dt.timedelta(days=7),
        )
    client = login(cast.teacher)
    assert _api_post(client, visit, text="Pairs compared").status_code == 201


def test_an_entry_over_the_limit_is_refused_whole_with_a_clear_message(
    cast, visit, login
):
    client = login(cast.teacher)
    answer = _api_post(client, visit, text="a" * 100_000)
    assert answer.status_code == 400
    assert "Keep an entry to 2,000 characters" in json.dumps(answer.json())
    response = client.post(
        reverse("observations:evidence_create", args=[visit.pk]),
        {"client_id": str(uuid.uuid4()), "text": "b" * (EVIDENCE_MAX_CHARS + 1)},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Keep an entry to 2,000 characters (this one has 2001)" in body
    assert "b" * (EVIDENCE_MAX_CHARS + 1) in body  # the words stay in the form
    assert _count(visit) == 0
    assert _api_post(client, visit, text="c" * EVIDENCE_MAX_CHARS).status_code == 201


def test_after_stop_the_page_says_finished_and_what_comes_next(cast, visit, login):
    with scopes_disabled():
        debrief = Debrief.objects.create(
            school=cast.school,
            cycle=visit.cycle,
            due_at=SUITE_NOW + dt.timedelta(days=2, hours=7),
        )
    client = login(cast.teacher)
    client.post(reverse("observations:observation_start", args=[visit.pk]))
    client.post(reverse("observations:observation_stop", args=[visit.pk]))
    body = client.get(_capture(visit)).content.decode()
    assert re.search(r"Observation finished at <time[^>]*>8:00 AM</time>", body)
    assert f"{reverse('observations:reflection_create')}?visit={visit.pk}" in body
    assert reverse("cycles:debrief", args=[debrief.pk]) in body
    assert "Wednesday 2 December at 3:00 PM" in body


def test_after_stop_the_timer_offers_resume_and_keeps_the_first_start(
    cast, visit, login
):
    client = login(cast.teacher)
    start = reverse("observations:observation_start", args=[visit.pk])
    client.post(start)
    with scopes_disabled():
        first = Observation.objects.get(visit=visit, observer=cast.teacher).started_at
    with time_machine.travel(SUITE_NOW + dt.timedelta(minutes=10), tick=False):
        client.post(reverse("observations:observation_stop", args=[visit.pk]))
        body = client.get(_capture(visit)).content.decode()
        assert re.search(r'id="timer-start-label">Resume<', body)
        assert not re.search(r'id="timer-start-label">Start<', body)
        client.post(start)
    with scopes_disabled():
        again = Observation.objects.get(visit=visit, observer=cast.teacher)
    assert again.started_at == first
    assert again.ended_at is None


def test_the_page_gives_its_script_the_schools_zone_and_a_per_school_queue(
    cast, visit, login
):
    body = login(cast.teacher).get(_capture(visit)).content.decode()
    config = json.loads(
        re.search(r'id="capture-config"[^>]*>(.*?)</script>', body, re.S).group(1)
    )
    assert config["timeZone"] == cast.school.time_zone
    assert config["storageKey"] == f"jel.evidence.{cast.school.pk}.{cast.teacher.pk}"
    assert config["maxChars"] == EVIDENCE_MAX_CHARS
    assert config["started"] is True
