"""Bad input on reflections, goals, check-ins, replies and evidence: a field
error the person can act on, never a server error and never a row."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scopes_disabled

from jel.validation import LONG_MAX, NOTE_MAX
from observations import forms, services
from observations.models import (
    EVIDENCE_MAX_CHARS,
    Evidence,
    Goal,
    GoalCheckIn,
    Reflection,
    ReflectionReply,
)
from observations.tests.factories import goal, reflection

MEGABYTE = "x" * 1_000_000
HUGE_IDS = ["abc", "²", "-1", "0", str(2**63), "9" * 30, "1.5", " "]


def _rows(model) -> int:
    with scopes_disabled():
        return model.objects.count()


def test_a_megabyte_reflection_is_refused_with_the_limit(cast, login):
    answer = login(cast.teacher).post(
        reverse("observations:reflection_create"),
        {"body": MEGABYTE, "visibility": "private"},
    )
    assert answer.status_code == 400
    assert "Keep this to 20,000 characters (this has 1000000)." in (
        answer.content.decode()
    )
    assert _rows(Reflection) == 0


def test_a_megabyte_edit_of_a_reflection_is_refused(cast, login):
    mine = reflection(cast.teacher, cast.school, body="Short")
    answer = login(cast.teacher).post(
        reverse("observations:reflection_edit", args=[mine.pk]),
        {"body": MEGABYTE, "visibility": "private", "version": "1"},
    )
    assert answer.status_code == 400
    assert "Keep this to 20,000 characters" in answer.content.decode()
    with scopes_disabled():
        assert Reflection.objects.get().body == "Short"


def test_a_megabyte_goal_is_refused(cast, login):
    answer = login(cast.teacher).post(
        reverse("observations:goal_create"),
        {"text": MEGABYTE, "follow_up_on": "2026-12-14"},
    )
    assert answer.status_code == 400
    assert "Keep this to 5,000 characters" in answer.content.decode()
    assert _rows(Goal) == 0


def test_a_megabyte_check_in_is_refused(cast, login):
    mine = goal(cast.teacher, cast.school)
    answer = login(cast.teacher).post(
        reverse("observations:goal_detail", args=[mine.pk]),
        {"tried": "no", "why": MEGABYTE, "version": "1"},
    )
    assert answer.status_code == 400
    assert "Keep this to 5,000 characters" in answer.content.decode()
    assert _rows(GoalCheckIn) == 0


def test_a_megabyte_reply_is_refused(cast, login):
    shared = reflection(cast.teacher, cast.school, visibility="coaches")
    answer = login(cast.coach).post(
        reverse("observations:reflection_reply", args=[shared.pk]),
        {"body": MEGABYTE},
    )
    assert answer.status_code == 400
    assert "Keep this to 5,000 characters" in answer.content.decode()
    assert _rows(ReflectionReply) == 0


def test_a_megabyte_evidence_entry_is_refused(cast, visit, login):
    answer = login(cast.teacher).post(
        reverse("observations:evidence_create", args=[visit.pk]),
        {"client_id": str(uuid.uuid4()), "text": MEGABYTE},
    )
    assert answer.status_code == 400
    assert "Keep an entry to 2,000 characters" in answer.content.decode()
    assert _rows(Evidence) == 0


@pytest.mark.parametrize(
    ("model", "field", "form_field", "limit"),
    [
        (Reflection, "body", forms.ReflectionForm.base_fields["body"], LONG_MAX),
        (Reflection, "body", forms.ReflectionEditForm.base_fields["body"], LONG_MAX),
        (Goal, "text", forms.GoalForm.base_fields["text"], NOTE_MAX),
        (GoalCheckIn, "why", forms.GoalCheckInForm.base_fields["why"], NOTE_MAX),
        (ReflectionReply, "body", forms.ReplyForm.base_fields["body"], NOTE_MAX),
        (
            Evidence,
            "text",
            forms.EvidenceForm.base_fields["text"],
            EVIDENCE_MAX_CHARS,
        ),
    ],
    ids=lambda value: getattr(value, "__name__", None),
)
def test_the_model_and_the_form_hold_the_same_limit(model, field, form_field, limit):
    assert model._meta.get_field(field).max_length == limit
    assert form_field.max_length == limit


def test_the_services_hold_the_limits_for_every_caller(cast, in_school):
    with pytest.raises(ValidationError, match="20,000"):
        services.reflection_create(
            school=cast.school, body="y" * (LONG_MAX + 1), by=cast.teacher
        )
    with pytest.raises(ValidationError, match="5,000"):
        services.goal_create(school=cast.school, text="y" * 5001, by=cast.teacher)
    mine = goal(cast.teacher, cast.school)
    with pytest.raises(ValidationError, match="5,000"):
        services.goal_check_in(goal=mine, tried=False, why="y" * 5001, by=cast.teacher)


@pytest.mark.parametrize("bad", HUGE_IDS)
def test_odd_ids_in_the_query_string_open_the_blank_form(cast, login, bad):
    client = login(cast.teacher)
    for name in ("reflection_create", "goal_create"):
        for param in ("visit", "cycle"):
            answer = client.get(reverse(f"observations:{name}"), {param: bad})
            assert answer.status_code == 200, (name, param)


@pytest.mark.parametrize("bad", HUGE_IDS)
def test_odd_cycle_ids_in_a_form_are_a_field_error(cast, login, bad):
    client = login(cast.teacher)
    reflected = client.post(
        reverse("observations:reflection_create"),
        {"body": "Words", "visibility": "private", "cycle": bad},
    )
    goal_set = client.post(
        reverse("observations:goal_create"),
        {"text": "Words", "follow_up_on": "2026-12-14", "cycle": bad},
    )
    assert reflected.status_code == goal_set.status_code == 400
    assert "Select a valid choice" in reflected.content.decode()
    assert _rows(Reflection) == _rows(Goal) == 0


@pytest.mark.parametrize("bad", HUGE_IDS)
def test_odd_look_for_ids_in_evidence_are_a_field_error(cast, visit, login, bad):
    answer = login(cast.teacher).post(
        reverse("observations:evidence_create", args=[visit.pk]),
        {"client_id": str(uuid.uuid4()), "text": "Students argued", "look_for": bad},
    )
    assert answer.status_code == 400
    assert "Select a valid choice" in answer.content.decode()
    assert _rows(Evidence) == 0


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("0001-01-01", "Give a date from 1 January 2000 on."),
        ("1900-06-01", "Give a date from 1 January 2000 on."),
        ("9999-12-31", "Give a date on or before"),
    ],
)
def test_a_follow_up_date_no_school_means_is_a_field_error(cast, login, day, message):
    client = login(cast.teacher)
    set_goal = client.post(
        reverse("observations:goal_create"), {"text": "Words", "follow_up_on": day}
    )
    assert set_goal.status_code == 400
    assert message in set_goal.content.decode()
    mine = goal(cast.teacher, cast.school)
    check_in = client.post(
        reverse("observations:goal_detail", args=[mine.pk]),
        {"tried": "no", "next_follow_up_on": day, "version": "1"},
    )
    assert check_in.status_code == 400
    assert message in check_in.content.decode()
    assert _rows(GoalCheckIn) == 0
    assert _rows(Goal) == 1


@pytest.mark.parametrize(
    "data",
    [
        {"version": "abc"},
        {"version": str(2**70)},
        {"visibility": "evil"},
        {"visibility": ""},
    ],
    ids=["version=abc", "version=huge", "visibility=evil", "visibility=blank"],
)
def test_a_damaged_reflection_edit_is_a_field_error(cast, login, data):
    mine = reflection(cast.teacher, cast.school, body="Kept")
    answer = login(cast.teacher).post(
        reverse("observations:reflection_edit", args=[mine.pk]),
        {"body": "Changed", "visibility": "private", **data},
    )
    assert answer.status_code == 400
    with scopes_disabled():
        assert Reflection.objects.get().body == "Kept"


def test_a_damaged_creation_token_is_a_field_error(cast, login):
    answer = login(cast.teacher).post(
        reverse("observations:reflection_create"),
        {"body": "Words", "visibility": "private", "creation_token": "not-a-uuid"},
    )
    assert answer.status_code == 400
    assert "Reload the page: this form is damaged." in answer.content.decode()
    assert _rows(Reflection) == 0


def test_odd_choices_in_a_check_in_are_field_errors(cast, login):
    mine = goal(cast.teacher, cast.school)
    answer = login(cast.teacher).post(
        reverse("observations:goal_detail", args=[mine.pk]),
        {"tried": "maybe", "results_as_anticipated": "evil", "version": "1"},
    )
    assert answer.status_code == 400
    assert "Select a valid choice" in answer.content.decode()
    assert _rows(GoalCheckIn) == 0


@pytest.mark.parametrize(
    ("data", "shown"),
    [
        ({"noted_at": "abc"}, "Enter a valid date/time."),
        ({"client_id": "abc"}, "Enter a valid UUID."),
        ({"student_focus": "evil"}, "Select a valid choice."),
    ],
    ids=["noted_at", "client_id", "student_focus"],
)
def test_a_damaged_evidence_post_says_what_is_wrong(cast, visit, login, data, shown):
    answer = login(cast.teacher).post(
        reverse("observations:evidence_create", args=[visit.pk]),
        {"client_id": str(uuid.uuid4()), "text": "Students argued", **data},
    )
    body = answer.content.decode()
    assert answer.status_code == 400
    assert "Nothing was saved. Please fix what is listed here:" in body
    assert shown in body
    assert "Students argued</textarea>" in body  # the words are kept
    assert _rows(Evidence) == 0


def test_an_empty_reply_says_what_is_wrong(cast, login):
    shared = reflection(cast.teacher, cast.school, visibility="coaches")
    answer = login(cast.coach).post(
        reverse("observations:reflection_reply", args=[shared.pk]), {"body": ""}
    )
    assert answer.status_code == 400
    assert "Nothing was saved. Please fix what is listed here:" in (
        answer.content.decode()
    )
