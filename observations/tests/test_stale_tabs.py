"""A form opened before the author's last save (another tab, another device) is
refused with 409 and what changed; what was typed stays; a stale form never
re-shares a reflection the author made private."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.urls import reverse
from django_scopes import scopes_disabled

from jel.tests.concurrency import race_editors
from observations import services
from observations.models import GoalCheckIn, Reflection
from observations.tests.factories import goal, reflection


def _edit_url(item):
    return reverse("observations:reflection_edit", args=[item.pk])


def _version_on(page: str) -> str:
    return re.search(r'name="version" value="(\d+)"', page).group(1)


def _checked_visibility(page: str) -> str:
    return re.search(r'name="visibility" value="(\w+)"[^>]*checked', page).group(1)


def _saved(item) -> Reflection:
    with scopes_disabled():
        return Reflection.objects.get(pk=item.pk)


def test_a_typo_fix_from_an_older_device_never_re_shares_a_private_reflection(
    cast, login
):
    shared = reflection(
        cast.teacher,
        cast.school,
        body="I worry my questions are too easy",
        visibility="coaches",
    )
    device_a = login(cast.teacher)
    device_b = login(cast.teacher)  # the same person, a page opened earlier
    version_b = _version_on(device_b.get(_edit_url(shared)).content.decode())

    made_private = device_a.post(
        _edit_url(shared),
        {
            "body": "I worry my questions are too easy",
            "visibility": "private",
            "version": _version_on(device_a.get(_edit_url(shared)).content.decode()),
        },
    )
    assert made_private.status_code == 302

    typo_fix = device_b.post(
        _edit_url(shared),
        {
            "body": "I worry my questions are too easy.",
            "visibility": "coaches",
            "version": version_b,
        },
    )
    page = typo_fix.content.decode()
    assert typo_fix.status_code == 409
    assert "Someone saved this while you were editing it." in page
    assert "Saved since you opened this page" in page
    assert "Who can read it: Only me" in page
    assert "I worry my questions are too easy.</textarea>" in page  # typed, kept
    # Saving again from this page keeps it private: the choice shown is the saved one.
    assert _checked_visibility(page) == "private"
    assert _saved(shared).visibility == "private"
    assert _saved(shared).body == "I worry my questions are too easy"
    coach = login(cast.coach)
    assert (
        coach.get(
            reverse("observations:reflection_detail", args=[shared.pk])
        ).status_code
        == 404
    )
    assert (
        "too easy"
        not in coach.get(reverse("observations:reflections")).content.decode()
    )


def test_saving_again_after_the_refusal_is_a_deliberate_save(cast, login):
    mine = reflection(cast.teacher, cast.school, body="First words")
    client = login(cast.teacher)
    stale = _version_on(client.get(_edit_url(mine)).content.decode())
    client.post(
        _edit_url(mine),
        {"body": "Second words", "visibility": "private", "version": stale},
    )
    refused = client.post(
        _edit_url(mine),
        {"body": "Third words", "visibility": "private", "version": stale},
    )
    page = refused.content.decode()
    assert refused.status_code == 409
    assert "Your reflection: Second words" in page
    again = client.post(
        _edit_url(mine),
        {"body": "Third words", "visibility": "private", "version": _version_on(page)},
    )
    assert again.status_code == 302
    assert _saved(mine).body == "Third words"


def test_of_twenty_editors_of_one_form_exactly_one_saves_and_nineteen_are_told(
    cast, login
):
    mine = reflection(cast.teacher, cast.school, body="Draft")
    client = login(cast.teacher)
    seen = _version_on(client.get(_edit_url(mine)).content.decode())
    answers = [
        client.post(
            _edit_url(mine),
            {"body": f"Edit {n}", "visibility": "private", "version": seen},
        ).status_code
        for n in range(20)
    ]
    assert answers.count(302) == 1
    assert answers.count(409) == 19
    # Nothing was lost silently: the one save that won is the one that said so.
    assert _saved(mine).body == f"Edit {answers.index(302)}"
    assert _saved(mine).version == 2


def test_a_check_in_from_an_older_tab_is_refused_and_says_what_changed(cast, login):
    mine = goal(cast.teacher, cast.school, follow_up_on=dt.date(2026, 11, 30))
    url = reverse("observations:goal_detail", args=[mine.pk])
    tab_a, tab_b = login(cast.teacher), login(cast.teacher)
    page_b = tab_b.get(url).content.decode()
    page_a = tab_a.get(url).content.decode()
    token = re.compile(r'name="creation_token" value="([0-9a-f-]+)"')
    first = tab_a.post(
        url,
        {
            "tried": "yes",
            "results_as_anticipated": "partly",
            "next_follow_up_on": "2026-12-14",
            "version": _version_on(page_a),
            "creation_token": token.search(page_a).group(1),
        },
    )
    assert first.status_code == 302
    stale = tab_b.post(
        url,
        {
            "tried": "no",
            "why": "No time this week",
            "version": _version_on(page_b),
            "creation_token": token.search(page_b).group(1),
        },
    )
    page = stale.content.decode()
    assert stale.status_code == 409
    assert "Saved since you opened this page" in page
    assert "Next follow-up: 14 December 2026" in page
    assert "No time this week</textarea>" in page
    with scopes_disabled():
        assert GoalCheckIn.objects.filter(goal=mine).count() == 1
        mine.refresh_from_db()
    assert mine.follow_up_on == dt.date(2026, 12, 14)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_a_browser_the_older_device_is_shown_what_changed(
    cast,
    phone_page,
    desktop_page,
    live_server,
    browser_sign_in,
    screenshot,
    axe_violations,
):
    from playwright.sync_api import expect  # only where the browser tests run

    shared = reflection(
        cast.teacher,
        cast.school,
        body="My questions are too easy",
        visibility="coaches",
    )
    edit = f"{live_server.url}{_edit_url(shared)}"
    older, newer = desktop_page, phone_page
    for page in (older, newer):
        browser_sign_in(page, cast.teacher.email)
        page.goto(edit)
    newer.get_by_label("Only me").check()
    newer.get_by_role("button", name="Save changes").click()
    expect(newer.get_by_text("Your reflection is updated.")).to_be_visible()

    older.get_by_label("Your reflection").fill("My questions are too easy.")
    older.get_by_role("button", name="Save changes").click()
    expect(older.get_by_text("Saved since you opened this page")).to_be_visible()
    expect(older.get_by_text("Who can read it: Only me")).to_be_visible()
    expect(older.get_by_label("Your reflection")).to_have_value(
        "My questions are too easy."
    )
    expect(older.get_by_label("Only me")).to_be_checked()
    assert axe_violations(older) == []
    screenshot(older, "stale-reflection-1280")
    older.set_viewport_size({"width": 390, "height": 844})
    screenshot(older, "stale-reflection-390")
    # Saving again is deliberate, and it keeps the reflection private.
    older.get_by_role("button", name="Save changes").click()
    expect(older.get_by_text("Your reflection is updated.")).to_be_visible()
    assert _saved(shared).visibility == "private"
    assert _saved(shared).body == "My questions are too easy."


@pytest.mark.django_db(transaction=True)
def test_twenty_devices_saving_at_once_one_wins_and_none_is_lost(cast):
    """Each device on its own database connection, through the real service:
    PostgreSQL's row lock or SQLite's serialised writes let exactly one win."""
    mine = reflection(cast.teacher, cast.school, body="Draft", visibility="coaches")
    editors = 20

    def save(opened, number, seen):
        services.reflection_update(
            reflection=opened,
            body=f"Device {number}",
            # Half make it private, half keep it shared.
            visibility="private" if number % 2 else "coaches",
            seen_version=seen,
            by=cast.teacher,
        )

    outcomes = race_editors(
        cast.school, editors, lambda: Reflection.objects.get(pk=mine.pk), save
    )
    saved = [n for n, outcome in outcomes.items() if outcome == "saved"]
    assert len(saved) == 1
    assert list(outcomes.values()).count("stale") == editors - 1
    kept = _saved(mine)
    winner = saved[0]
    assert kept.body == f"Device {winner}"
    assert kept.visibility == ("private" if winner % 2 else "coaches")
    assert kept.version == 2
    print(
        f"\nreflection on {connection.vendor}: {editors} devices, 1 saved, "
        f"{editors - 1} refused as stale, 0 lost writes"
    )
