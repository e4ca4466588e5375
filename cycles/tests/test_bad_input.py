"""What an outside probe sent the cycle pages, and what a person sees instead of
a server error: a message beside the field, nothing saved."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from cycles import services
from cycles.models import (
    CYCLE_TITLE_MAX,
    Cycle,
    CycleSettings,
    Debrief,
    LookFor,
    ProblemOfPractice,
)
from cycles.tests.test_quick_visit import form_data
from cycles.tests.test_quick_visit import look_for as look_for  # noqa: F401
from cycles.tests.test_services import rounds
from cycles.tests.test_views_cycle import _rounds_post
from scheduling.models import Booking, Period
from scheduling.tests.conftest import sched  # noqa: F401

pytestmark = pytest.mark.django_db

TOO_EARLY = "Give a date from 1 January 2000 on."
TOO_LATE = "Give a date on or before"
NOTHING_SAVED = "Nothing was saved"


def cycles_count():
    with scopes_disabled():
        return Cycle.objects.count()


def bookings_count():
    with scopes_disabled():
        return Booking.objects.count()


# --- Dates ---


@pytest.mark.parametrize(
    "day,message",
    [("0001-01-01", TOO_EARLY), ("1900-01-01", TOO_EARLY), ("9999-12-31", TOO_LATE)],
)
def test_a_visit_date_no_school_means_is_a_field_error(
    login, cast, teachers, ready_problem, visit_day, day, message
):
    data = _rounds_post(cast, teachers, ready_problem, visit_day, visit_date=day)
    response = login(cast.principal).post(reverse("cycles:new") + "?kind=rounds", data)
    body = response.content.decode()
    assert response.status_code == 200
    assert NOTHING_SAVED in body and message in body
    assert cycles_count() == 0


@pytest.mark.parametrize("field", ["debrief_at", "prebrief_at"])
def test_a_debrief_or_prebrief_in_year_one_is_a_field_error(
    login, cast, teachers, ready_problem, visit_day, field
):
    kind = "lab" if field == "prebrief_at" else "rounds"
    data = _rounds_post(cast, teachers, ready_problem, visit_day, kind=kind)
    data[field] = "0001-01-01T09:00"
    response = login(cast.principal).post(reverse("cycles:new") + f"?kind={kind}", data)
    assert response.status_code == 200
    assert TOO_EARLY in response.content.decode()
    assert cycles_count() == 0


def test_the_service_refuses_a_visit_in_year_9999_too(scoped, teachers, ready_problem):
    with pytest.raises(ValidationError) as refused:
        rounds(scoped, teachers, ready_problem, dt.date(9999, 12, 31))
    assert "visit_date" in refused.value.message_dict
    assert cycles_count() == 0


@pytest.mark.parametrize(
    "day,message",
    [("0001-01-01", TOO_EARLY), ("1900-01-01", TOO_EARLY), ("9999-12-31", TOO_LATE)],
)
def test_plan_a_visit_refuses_a_date_no_school_means(
    login,
    cast,
    sched,  # noqa: F811
    look_for,  # noqa: F811
    day,
    message,
):
    response = login(cast.principal).post(
        reverse("cycles:visit_plan"), form_data(sched, look_for, date=day)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert bookings_count() == 0


def test_plan_a_visit_opens_with_today_for_a_date_in_year_one(
    login,
    cast,
    sched,  # noqa: F811
):
    response = login(cast.principal).get(
        reverse("cycles:visit_plan") + "?date=0001-01-01"
    )
    assert response.status_code == 200
    assert 'value="2026-11-30"' in response.content.decode()


@pytest.mark.parametrize("slot", ["2027-02-24|abc", "abc|3", "0001-01-01|3", "|"])
def test_a_suggested_slot_that_was_never_offered_is_a_field_error(
    login,
    cast,
    sched,  # noqa: F811
    look_for,  # noqa: F811
    slot,
):
    response = login(cast.principal).post(
        reverse("cycles:visit_plan"), form_data(sched, look_for, use_slot=slot)
    )
    assert response.status_code == 200
    assert "That suggested time is not one this page offered" in (
        response.content.decode()
    )
    assert bookings_count() == 0


def test_availability_for_a_date_in_year_one_answers_without_an_error(
    login, cast, teachers
):
    with scopes_disabled():
        period = Period.objects.filter(school=cast.school).first()
    query = f"?visit_date=0001-01-01&period={period.pk}"
    response = login(cast.principal).get(reverse("cycles:availability") + query)
    assert response.status_code == 200


# --- Unknown cycle types ---


def test_an_unknown_cycle_type_is_refused_not_planned_as_rounds(login, cast):
    client = login(cast.principal)
    page = client.get(reverse("cycles:new") + "?kind=evil")
    assert page.status_code == 400
    assert "There is no cycle type “evil”" in page.content.decode()
    assert "Instructional rounds" in page.content.decode()
    posted = client.post(
        reverse("cycles:new") + "?kind=evil", {"kind": "evil", "title": "Evil"}
    )
    assert posted.status_code == 400
    assert cycles_count() == 0


def test_the_live_check_refuses_an_unknown_type(login, cast):
    response = login(cast.principal).post(reverse("cycles:check"), {"kind": "evil"})
    assert response.status_code == 400
    assert "There is no cycle type" in response.content.decode()


# --- Ids that are not ids ---


@pytest.mark.parametrize(
    "field,value",
    [
        ("facilitator", str(2**63)),
        ("facilitator", "abc"),
        ("team", str(2**64)),
        ("period", "abc"),
        ("period", str(2**63)),
        ("problem_of_practice", "1e5"),
        ("hosts", ["abc"]),
        ("observers", [str(2**63)]),
        ("look_fors", ["-1"]),
    ],
)
def test_an_id_that_is_not_one_is_a_field_error(
    login, cast, teachers, ready_problem, visit_day, field, value
):
    data = _rounds_post(cast, teachers, ready_problem, visit_day)
    data[field] = value
    response = login(cast.principal).post(reverse("cycles:new") + "?kind=rounds", data)
    body = response.content.decode()
    assert response.status_code == 200
    assert NOTHING_SAVED in body
    assert cycles_count() == 0


def test_a_return_visit_of_a_huge_id_opens_the_blank_planner(login, cast):
    response = login(cast.principal).get(
        reverse("cycles:new") + f"?kind=micro&reciprocal_of={2**64}"
    )
    assert response.status_code == 200


@pytest.mark.parametrize("problem", ["abc", str(2**63), "-1"])
def test_a_look_for_for_a_problem_that_is_not_an_id_is_a_field_error(
    login, cast, problem
):
    response = login(cast.principal).post(
        reverse("cycles:look_for_add"),
        {"problem": problem, "text": "Students cite the text", "kind": "oral"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "That problem of practice is not here" in body
    assert "Students cite the text" in body  # what they typed is kept
    with scopes_disabled():
        assert not LookFor.objects.exists()


def test_a_look_for_for_another_schools_problem_is_not_found(login, cast):
    with scope(school=cast.other_school):
        from cycles.tests.factories import problem

        theirs = problem(cast.other_school, cast.other_principal, look_fors=[])
    response = login(cast.principal).post(
        reverse("cycles:look_for_add"),
        {"problem": theirs.pk, "text": "Students cite the text", "kind": "oral"},
    )
    assert response.status_code == 404
    with scopes_disabled():
        assert not LookFor.objects.filter(problem=theirs).exists()


# --- Numbers in range ---


@pytest.mark.parametrize("days", ["0", "-3", "91", "40000", "abc"])
def test_lab_follow_up_days_out_of_range_are_refused(login, cast, days):
    response = login(cast.principal).post(
        reverse("cycles:settings"),
        {
            "version": 1,
            "lab_follow_up_days": days,
            "swap_rotations_target_per_semester": 2,
        },
    )
    assert response.status_code == 200
    assert NOTHING_SAVED in response.content.decode()
    with scopes_disabled():
        assert not CycleSettings.objects.exists()


def test_a_lab_follow_up_of_zero_days_is_refused_in_the_planner(
    login, cast, teachers, ready_problem, visit_day
):
    data = _rounds_post(cast, teachers, ready_problem, visit_day, kind="lab")
    data["follow_up_days"] = "0"
    response = login(cast.principal).post(reverse("cycles:new") + "?kind=lab", data)
    assert response.status_code == 200
    assert "greater than or equal to 1" in response.content.decode()
    assert cycles_count() == 0


# --- Text: caps and one line ---


@pytest.mark.parametrize(
    "field,length,message",
    [
        ("focus", 301, "Keep this to 300 characters (this has 301)."),
        ("title", CYCLE_TITLE_MAX + 1, f"at most {CYCLE_TITLE_MAX} characters"),
        ("window_override_reason", 301, "at most 300 characters"),
        ("focus", 1_000_000, "Keep this to 300 characters"),
    ],
)
def test_too_long_a_text_in_the_planner_says_the_cap(
    login, cast, teachers, ready_problem, visit_day, field, length, message
):
    data = _rounds_post(cast, teachers, ready_problem, visit_day)
    data[field] = "x" * length
    response = login(cast.principal).post(reverse("cycles:new") + "?kind=rounds", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert cycles_count() == 0


@pytest.mark.parametrize(
    "field", ["prebrief_goal", "prebrief_expectations", "prebrief_prompts"]
)
def test_a_prebrief_over_five_thousand_characters_is_refused(
    login, cast, teachers, ready_problem, visit_day, field
):
    data = _rounds_post(cast, teachers, ready_problem, visit_day, kind="lab")
    data[field] = "y" * 5_001
    response = login(cast.principal).post(reverse("cycles:new") + "?kind=lab", data)
    assert "Keep this to 5,000 characters (this has 5001)." in (
        response.content.decode()
    )
    assert cycles_count() == 0


@pytest.mark.parametrize("title", ["Rounds\nline two", "Rounds\r\nagain", "Nul\x00"])
def test_a_cycle_title_is_one_line_without_control_characters(
    login, cast, teachers, ready_problem, visit_day, title
):
    data = _rounds_post(cast, teachers, ready_problem, visit_day, title=title)
    response = login(cast.principal).post(reverse("cycles:new") + "?kind=rounds", data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Keep this to one line" in body or "control characters" in body
    assert cycles_count() == 0


def test_a_visit_title_is_capped_so_its_reminder_subject_fits(
    login,
    cast,
    sched,  # noqa: F811
    look_for,  # noqa: F811
):
    response = login(cast.principal).post(
        reverse("cycles:visit_plan"),
        form_data(sched, look_for, title="v" * (CYCLE_TITLE_MAX + 1)),
    )
    assert response.status_code == 200
    assert f"at most {CYCLE_TITLE_MAX} characters" in response.content.decode()
    assert bookings_count() == 0


def test_the_longest_derived_subject_fits_the_reminder_column():
    from jel.models import Reminder

    column = Reminder._meta.get_field("subject").max_length
    longest_kind = max(len(label) for label in Cycle.Kind.labels)
    # scheduling.reminders: "In <n> minutes: " + the booking's "<kind>: <title>"
    # with n at most 120 (ReminderTimings.visit_soon_minutes).
    subject = f"In 120 minutes: {'k' * longest_kind}: {'t' * CYCLE_TITLE_MAX}"
    assert len(subject) <= column
    assert len(f"Your bright spot is on the wall: {'t' * CYCLE_TITLE_MAX}") <= column


def test_a_debrief_note_over_the_cap_is_refused_and_nothing_changes(
    login, cast, teachers, ready_problem, visit_day
):
    with scope(school=cast.school):
        cycle = rounds(cast, teachers, ready_problem, visit_day)
        debrief = cycle.debriefs.get()
    response = login(cast.coach).post(
        reverse("cycles:debrief", args=[debrief.pk]),
        {"version": debrief.version, "describe": "d" * 5_001, "analyze": "kept"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Keep this to 5,000 characters (this has 5001)." in body
    assert "kept</textarea>" in body
    with scopes_disabled():
        saved = Debrief.objects.get(pk=debrief.pk)
        assert (saved.describe, saved.analyze, saved.version) == ("", "", 1)


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("question", "q" * 301, "Keep this to 300 characters (this has 301)."),
        ("theory_of_action", "t" * 5_001, "Keep this to 5,000 characters"),
        ("initiative", "i" * 201, "at most 200 characters"),
        ("initiative", "two\nlines", "Keep this to one line"),
    ],
)
def test_a_problem_of_practice_over_its_caps_is_refused(
    login, cast, field, value, message
):
    data = {"question": "What is the evidence that students revise?"}
    data[field] = value
    response = login(cast.principal).post(reverse("cycles:problem_new"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    with scopes_disabled():
        assert not ProblemOfPractice.objects.exists()


def test_a_look_for_over_three_hundred_characters_is_refused(login, cast):
    response = login(cast.principal).post(
        reverse("cycles:look_for_add"), {"text": "l" * 301, "kind": "oral"}
    )
    assert response.status_code == 200
    assert "at most 300 characters" in response.content.decode()
    with scopes_disabled():
        assert not LookFor.objects.exists()


def test_the_services_hold_the_same_caps_without_a_form(scoped, teachers):
    with pytest.raises(ValidationError) as refused:
        services.problem_create(
            school=scoped.school, by=scoped.principal, question="q" * 301
        )
    assert "question" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.cycle_create(
            school=scoped.school,
            by=scoped.principal,
            kind="micro",
            title="t" * (CYCLE_TITLE_MAX + 1),
            focus="f" * 1_000_000,
        )
    assert {"title", "focus"} <= set(refused.value.message_dict)
    with pytest.raises(ValidationError) as refused:
        services.cycle_create(
            school=scoped.school, by=scoped.principal, kind="lab", title="Two\nlines"
        )
    assert refused.value.message_dict["title"] == [
        "Keep this to one line (no line breaks)."
    ]
    with pytest.raises(ValidationError) as refused:
        services.cycle_create(
            school=scoped.school,
            by=scoped.principal,
            kind="lab",
            title="A lab",
            new_series_title="s" * (CYCLE_TITLE_MAX + 1),
            new_series_inquiry="i" * 5_001,
        )
    assert {"new_series_title", "new_series_inquiry"} <= set(refused.value.message_dict)
    with pytest.raises(ValidationError):
        services.look_for_create(
            school=scoped.school, by=scoped.principal, text="l" * 301, kind="oral"
        )
    assert cycles_count() == 0
    with scopes_disabled():
        assert not ProblemOfPractice.objects.exists()


# --- Uniqueness ---


def test_a_person_or_look_for_sent_twice_is_one_part_not_a_server_error(
    scoped, teachers, ready_problem, visit_day
):
    look_for = ready_problem.look_fors.first()
    host = teachers["old_math"]
    cycle = rounds(
        scoped,
        teachers,
        ready_problem,
        visit_day,
        hosts=[host, teachers["old_ela"], host],
        observers=[teachers["new_math"], teachers["new_math"]],
        look_fors=[look_for, look_for],
    )
    assert cycle.memberships.filter(user=host, role="host").count() == 1
    assert cycle.memberships.filter(user=teachers["new_math"]).count() == 1
    assert cycle.look_for_links.count() == 1
    assert sorted(v.host_id for v in cycle.visits.all()) == sorted(
        [host.pk, teachers["old_ela"].pk]
    )


def test_a_visit_to_a_host_with_a_very_long_name_gets_a_title_that_fits():
    from types import SimpleNamespace

    from cycles.services.quick_visit import quick_visit_title

    host = SimpleNamespace(full_name="N" * 150)
    title = quick_visit_title(host, dt.date(2026, 12, 1))
    assert len(title) == CYCLE_TITLE_MAX
    assert title.startswith("Visit to NNN") and title.endswith("…, Tue 1 Dec")
    assert quick_visit_title(
        SimpleNamespace(full_name="Ann Lee"), dt.date(2026, 12, 1)
    ) == ("Visit to Ann Lee, Tue 1 Dec")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_unknown_cycle_type_page_offers_the_five_on_a_phone(
    phone_page, live_server, cast, browser_sign_in, axe_violations, screenshot
):
    browser_sign_in(phone_page, cast.principal.email)
    phone_page.goto(f"{live_server.url}{reverse('cycles:new')}?kind=evil")
    assert phone_page.get_by_role("heading", name="No such cycle type").is_visible()
    phone_page.get_by_role("link", name="Learning walk").click()
    phone_page.get_by_label("What do we hope to see students doing?").wait_for()
    phone_page.go_back()
    assert axe_violations(phone_page) == []
    screenshot(phone_page, "cycles-kind-refused-phone")
