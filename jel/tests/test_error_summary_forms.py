"""A failed submit of the profile, booking move, debrief and sign-in forms shows
the error summary: one alert (role=alert, focusable) at the top of the form that
names what to fix and links to each field with an error (issue 16, item 1).
The browser test checks the focus on the sign-in form; the others check the page.
"""

import re

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from cycles.tests.access_cases import _debrief
from scheduling.tests.access_cases import _booking

pytestmark = pytest.mark.django_db


def _summary(response) -> str:
    assert response.status_code == 200
    html = response.content.decode()
    found = re.search(
        r'<div class="[^"]*error-summary[^"]*"[^>]*>.*?</div>', html, re.S
    )
    assert found, "no error summary on the page"
    summary = found.group(0)
    assert 'role="alert"' in summary and 'tabindex="-1"' in summary
    assert "Nothing was saved" in summary
    return summary


def test_profile_with_a_negative_experience_links_to_that_field(cast, login):
    response = login(cast.teacher).post(
        reverse("profile"), {"years_experience": "-2", "department": "Math"}
    )
    summary = _summary(response)
    assert 'href="#id_years_experience"' in summary
    assert "Years of teaching experience" in summary


def test_booking_move_without_a_date_or_time_lists_both(cast, login):
    booking = _booking(cast)
    response = login(cast.principal).post(
        reverse("scheduling:booking_move", args=[booking.pk]), {"date": ""}
    )
    summary = _summary(response)
    assert 'href="#id_date"' in summary
    assert "Choose a period or a start time." in summary
    # Said once: the form itself no longer repeats the non-field error above it.
    assert response.content.decode().count("Choose a period or a start time.") == 1


def test_debrief_with_someone_not_in_the_cycle_links_to_attendees(cast, login):
    debrief = _debrief(cast)
    with scopes_disabled():
        before = list(debrief.attendees.values_list("pk", flat=True))
    response = login(cast.principal).post(
        reverse("cycles:debrief", args=[debrief.pk]),
        {"attendees": [cast.outsider.pk], "held": "on"},
    )
    summary = _summary(response)
    assert 'href="#id_attendees_0"' in summary
    with scopes_disabled():
        debrief.refresh_from_db()
        assert debrief.held_at is None
        assert list(debrief.attendees.values_list("pk", flat=True)) == before


def test_sign_in_with_a_wrong_password_says_so_once_in_the_summary(client, cast):
    response = client.post(
        reverse("login"), {"username": cast.teacher.email, "password": "wrong"}
    )
    summary = _summary(response)
    assert "do not match an account" in summary
    assert response.content.decode().count("do not match an account") == 1


def test_sign_in_without_an_email_links_to_the_field(client, cast):
    summary = _summary(client.post(reverse("login"), {"password": "x"}))
    assert 'href="#id_username"' in summary and "School e-mail" in summary


@pytest.mark.browser
def test_a_failed_sign_in_puts_the_focus_on_the_summary(
    cast, desktop_page, live_server, screenshot
):
    page = desktop_page
    page.goto(f"{live_server.url}{reverse('login')}")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")
    summary = page.locator("[data-error-summary]")
    assert summary.evaluate("el => el === document.activeElement")
    assert "School e-mail" in summary.inner_text()
    screenshot(page, "error-summary-sign-in-desktop")
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "id_username"
