"""Headers and small doors: a Content-Security-Policy without 'unsafe-inline',
a Permissions-Policy, no caching of what a signed-in person sees or exports,
an API description only for the signed-in, and a health check that says ok or
not and nothing more."""

import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django_scopes import scope

from scheduling.services import calendar_token_issue

PAGES = ["home", "profile", "notifications", "notification_settings"]


def _directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:]
        for part in (p.strip() for p in policy.split(";"))
        if part
    }


@pytest.mark.parametrize("name", PAGES)
def test_signed_in_pages_have_a_policy_without_unsafe_inline(name, login, cast):
    response = login(cast.teacher).get(reverse(name))
    assert response.status_code == 200
    directives = _directives(response)
    assert directives["default-src"] == ["'self'"]
    for directive in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in directives[directive]
        assert "'unsafe-eval'" not in directives[directive]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]


def test_the_sign_in_page_has_the_policy_too(client, db):
    response = client.get(reverse("login"))
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_no_page_of_the_core_has_an_inline_script_or_style(login, cast):
    client = login(cast.principal)
    for name in PAGES + ["reminder_timings"]:
        html = client.get(reverse(name)).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), name
        assert "<style" not in html, name
        assert not re.search(r"\sstyle=\"", html), name
        assert not re.search(r"\s(data-)?hx-on", html), name
        assert not re.search(r"\son[a-z]+=\"", html), name
        # htmx must not inject its own <style> either.
        assert '"includeIndicatorStyles": false' in html, name


def test_the_error_pages_need_no_inline_style_or_script():
    for name in ("500.html", "400.html"):
        html = render_to_string(name)
        assert "<style" not in html
        assert "javascript:" not in html
        assert "css/jel.css" in html


def test_every_response_denies_the_browser_features_jel_never_uses(client, db):
    policy = client.get(reverse("login"))["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy


@pytest.mark.parametrize("name", PAGES)
def test_pages_for_a_signed_in_person_are_never_stored(name, login, cast):
    response = login(cast.teacher).get(reverse(name))
    assert response["Cache-Control"] == "private, no-store"


def test_a_csv_export_is_never_stored(login, cast):
    response = login(cast.coach).get(reverse("dashboards:trends_csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"] == "private, no-store"


def test_the_calendar_feed_is_never_stored_though_nobody_signs_in(client, cast):
    with scope(school=cast.school):
        token = calendar_token_issue(school=cast.school, user=cast.teacher).token
    response = client.get(reverse("scheduling:feed", args=[token]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_the_sign_in_page_for_nobody_may_be_cached_as_before(client, db):
    assert client.get(reverse("login")).get("Cache-Control") != "private, no-store"


def test_the_api_description_needs_a_signed_in_person(client, login, cast):
    assert client.get(reverse("api_schema")).status_code == 403
    response = login(cast.teacher).get(reverse("api_schema"))
    assert response.status_code == 200
    assert b"/api/v1/me/" in response.content


@pytest.mark.django_db
def test_healthz_says_ok_and_names_nothing(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    body = response.content.decode().lower()
    for word in ("sqlite", "postgres", "redis", "filesystem", "broker", "database"):
        assert word not in body
