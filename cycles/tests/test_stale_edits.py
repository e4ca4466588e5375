"""Two tabs, one thing: a stale save of a cycle's plan, a debrief, a problem of
practice or the school's cycle settings is refused (409) with what changed and
every typed value kept; saving again from the refused page then works."""

import re

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from cycles import services
from cycles.models import Cycle, CycleSettings, Debrief, ProblemOfPractice
from cycles.tests.test_services import rounds
from cycles.tests.test_views_cycle import _rounds_post
from jel.concurrency import StaleEdit

pytestmark = pytest.mark.django_db

REFUSED = "Someone saved this while you were editing it"
SAVED_SINCE = "Saved since you opened this page"


def version_on(page) -> str:
    """The version a page's form was drawn from (its hidden field)."""
    found = re.search(
        r'<input type="hidden" name="version" value="(\d+)"', page.content.decode()
    )
    assert found, "the form carries no version"
    return found.group(1)


@pytest.fixture
def planned(cast, teachers, ready_problem, visit_day):
    with scope(school=cast.school):
        return rounds(cast, teachers, ready_problem, visit_day)


# --- The cycle's plan -------------------------------------------------------------


def _plan(cast, teachers, planned, visit_day, version, **changes):
    data = _rounds_post(cast, teachers, planned.problem_of_practice, visit_day)
    del data["schedule"]
    data.update(version=version, **changes)
    return data


def test_a_stale_plan_is_refused_with_what_changed_and_the_typed_title_kept(
    login, cast, teachers, planned, visit_day
):
    client = login(cast.principal)
    url = reverse("cycles:edit", args=[planned.pk])
    tab_a = version_on(client.get(url))
    tab_b = version_on(client.get(url))
    assert tab_a == tab_b

    saved = client.post(
        url, _plan(cast, teachers, planned, visit_day, tab_a, title="From tab A")
    )
    assert saved.status_code == 302

    stale = client.post(
        url,
        _plan(
            cast,
            teachers,
            planned,
            visit_day,
            tab_b,
            title="From tab B",
            focus="Focus typed in tab B",
        ),
    )
    body = stale.content.decode()
    assert stale.status_code == 409
    assert REFUSED in body
    assert SAVED_SINCE in body
    assert "<li>Title: From tab A</li>" in body
    assert 'value="From tab B"' in body  # what they typed is still there
    assert "Focus typed in tab B" in body
    with scopes_disabled():
        assert Cycle.objects.get(pk=planned.pk).title == "From tab A"

    # The refused page carries the version now saved: saving again is deliberate.
    again = client.post(
        url,
        _plan(
            cast, teachers, planned, visit_day, version_on(stale), title="From tab B"
        ),
    )
    assert again.status_code == 302
    with scopes_disabled():
        assert Cycle.objects.get(pk=planned.pk).title == "From tab B"


def test_a_status_move_saved_from_an_older_copy_does_not_let_a_stale_plan_win(
    cast, teachers, planned, visit_day
):
    with scope(school=cast.school):
        old_copy = Cycle.objects.get(pk=planned.pk)  # loaded at version 1
        services.cycle_update(
            cycle=Cycle.objects.get(pk=planned.pk),
            by=cast.principal,
            seen_version=1,
            title="Renamed",
        )
        old_copy.status = Cycle.Status.CANCELLED
        old_copy.save()  # a bookkeeping save of the older copy
        assert Cycle.objects.get(pk=planned.pk).version == 2
        with pytest.raises(StaleEdit):
            services.cycle_update(
                cycle=Cycle.objects.get(pk=planned.pk),
                by=cast.principal,
                seen_version=1,
                title="Stale",
            )


# --- The debrief ------------------------------------------------------------------


def test_a_stale_debrief_record_is_refused_and_keeps_the_typed_notes(
    login, cast, planned
):
    with scopes_disabled():
        debrief = planned.debriefs.get()
    client = login(cast.coach)  # the cycle's facilitator
    url = reverse("cycles:debrief", args=[debrief.pk])
    tab_a = version_on(client.get(url))
    tab_b = version_on(client.get(url))

    saved = client.post(url, {"version": tab_a, "describe": "Students read aloud"})
    assert saved.status_code == 302
    stale = client.post(
        url, {"version": tab_b, "describe": "Students wrote drafts in pairs"}
    )
    body = stale.content.decode()
    assert stale.status_code == 409
    assert REFUSED in body
    assert "Students read aloud</li>" in body  # what is saved now
    assert "Students wrote drafts in pairs</textarea>" in body  # what they typed
    with scopes_disabled():
        assert Debrief.objects.get(pk=debrief.pk).describe == "Students read aloud"

    again = client.post(
        url,
        {"version": version_on(stale), "describe": "Students wrote drafts in pairs"},
    )
    assert again.status_code == 302
    with scopes_disabled():
        debrief.refresh_from_db()
        assert debrief.describe == "Students wrote drafts in pairs"


# --- The problem of practice --------------------------------------------------------


def test_a_stale_problem_edit_is_refused_and_no_version_is_made(
    login, cast, ready_problem
):
    client = login(cast.principal)
    url = reverse("cycles:problem_detail", args=[ready_problem.pk])
    tab_a = version_on(client.get(url))
    tab_b = version_on(client.get(url))
    question_a = "What is the evidence that students revise with a partner?"
    question_b = "What is the evidence that students use the rubric?"

    assert client.post(url, {"version": tab_a, "question": question_a}).status_code
    stale = client.post(
        url, {"version": tab_b, "question": question_b, "initiative": "Typed in B"}
    )
    body = stale.content.decode()
    assert stale.status_code == 409
    assert REFUSED in body
    assert f"<li>Question: {question_a}</li>" in body
    assert question_b in body and 'value="Typed in B"' in body
    with scopes_disabled():
        problem = ProblemOfPractice.objects.get(pk=ready_problem.pk)
        assert problem.question == question_a
        assert problem.version == 2
        assert problem.versions.count() == 2  # the refused save made none

    again = client.post(url, {"version": version_on(stale), "question": question_b})
    assert again.status_code == 302
    with scopes_disabled():
        problem.refresh_from_db()
        assert (problem.question, problem.version) == (question_b, 3)


# --- The school's cycle settings -----------------------------------------------------


def _settings(version, days, cap=""):
    return {
        "version": version,
        "lab_follow_up_days": days,
        "swap_rotations_target_per_semester": 2,
        "swap_days_cap_per_teacher_per_year": cap,
    }


def test_opening_the_settings_page_saves_nothing_and_the_first_save_does(login, cast):
    client = login(cast.principal)
    page = client.get(reverse("cycles:settings"))
    assert page.status_code == 200
    assert 'value="14"' in page.content.decode()  # the defaults are shown
    with scopes_disabled():
        assert not CycleSettings.objects.filter(school=cast.school).exists()
    saved = client.post(reverse("cycles:settings"), _settings(version_on(page), 10))
    assert saved.status_code == 302
    with scopes_disabled():
        assert CycleSettings.objects.get(school=cast.school).lab_follow_up_days == 10


def test_two_forms_drawn_from_the_defaults_the_second_is_stale(login, cast):
    client = login(cast.principal)
    url = reverse("cycles:settings")
    tab_a = version_on(client.get(url))
    tab_b = version_on(client.get(url))
    assert client.post(url, _settings(tab_a, 10)).status_code == 302

    stale = client.post(url, _settings(tab_b, 21, cap=3))
    body = stale.content.decode()
    assert stale.status_code == 409
    assert REFUSED in body
    assert "Days from a lab to its goal follow-up: 10" in body
    assert 'value="21"' in body and 'value="3"' in body
    with scopes_disabled():
        assert CycleSettings.objects.get(school=cast.school).lab_follow_up_days == 10

    again = client.post(url, _settings(version_on(stale), 21, cap=3))
    assert again.status_code == 302
    with scopes_disabled():
        found = CycleSettings.objects.get(school=cast.school)
        assert (found.lab_follow_up_days, found.swap_days_cap_per_teacher_per_year) == (
            21,
            3,
        )


# --- In a browser: two tabs of one plan -------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_the_second_tab_sees_the_refusal_and_keeps_its_words(
    request,
    live_server,
    cast,
    teachers,
    ready_problem,
    visit_day,
    browser_sign_in,
    axe_violations,
    screenshot,
    width,
):
    with scope(school=cast.school):
        cycle = rounds(cast, teachers, ready_problem, visit_day)
    first = request.getfixturevalue(f"{width}_page")
    browser_sign_in(first, cast.principal.email)
    url = f"{live_server.url}{reverse('cycles:edit', args=[cycle.pk])}"
    first.goto(url)
    second = first.context.new_page()
    second.goto(url)

    second.get_by_label("Title").fill("Renamed in the other tab")
    second.get_by_role("button", name="Save the plan").click()
    second.wait_for_url(f"**{reverse('cycles:detail', args=[cycle.pk])}")

    first.get_by_label("Title").fill("My careful new title")
    first.get_by_role("button", name="Save the plan").click()
    first.get_by_text(REFUSED).wait_for()
    assert first.get_by_text("Title: Renamed in the other tab").is_visible()
    assert first.get_by_label("Title").input_value() == "My careful new title"
    assert axe_violations(first) == []
    if width == "phone":
        assert first.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(first, f"cycles-stale-plan-{width}")

    first.get_by_role("button", name="Save the plan").click()
    first.wait_for_url(f"**{reverse('cycles:detail', args=[cycle.pk])}")
    with scopes_disabled():
        assert Cycle.objects.get(pk=cycle.pk).title == "My careful new title"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_settings_from_two_tabs_on_a_phone_the_second_is_told(
    phone_page, live_server, cast, browser_sign_in, axe_violations, screenshot
):
    page = phone_page
    browser_sign_in(page, cast.principal.email)
    url = f"{live_server.url}{reverse('cycles:settings')}"
    page.goto(url)
    other = page.context.new_page()
    other.goto(url)
    other.get_by_label("Days from a lab to its goal follow-up").fill("10")
    other.get_by_role("button", name="Save").click()
    other.get_by_text("Cycle settings saved.").wait_for()

    page.get_by_label("Days from a lab to its goal follow-up").fill("21")
    page.get_by_role("button", name="Save").click()
    page.get_by_text(REFUSED).wait_for()
    assert page.get_by_text("Days from a lab to its goal follow-up: 10").is_visible()
    days = page.get_by_label("Days from a lab to its goal follow-up")
    assert days.input_value() == "21"
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "cycles-stale-settings-phone")
