"""Every route is refused to another school's user and to the wrong role."""

import importlib
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

from jel.tests.factories import TEST_PASSWORD

LOCAL_APPS = ["jel", "scheduling", "cycles", "observations"]


def _load():
    """CASES and PUBLIC from every <app>/tests/*access_cases.py."""
    cases, public = [], {}
    for app in LOCAL_APPS:
        folder = Path(importlib.import_module(app).__file__).parent / "tests"
        for path in sorted(folder.glob("*access_cases.py")):
            module = importlib.import_module(f"{app}.tests.{path.stem}")
            cases.extend(getattr(module, "CASES", []))
            public.update(getattr(module, "PUBLIC", {}))
    return cases, public


CASES, PUBLIC = _load()


def _route_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # the admin site is superuser-only; test_admin covers it
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _route_names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"
        elif not str(entry.pattern).startswith(settings.STATIC_URL):
            yield f"<unnamed {entry.pattern}>"


def test_every_route_has_an_access_case():
    covered = {case.route for case in CASES} | set(PUBLIC)
    missing = sorted(set(_route_names()) - covered)
    assert missing == [], f"routes without an access case: {missing}"


def test_access_cases_name_real_routes():
    names = set(_route_names())
    stale = sorted(({case.route for case in CASES} | set(PUBLIC)) - names)
    assert stale == []


def _request(client, case, cast):
    url = case.url(cast)
    if case.method == "post":
        return client.post(url, case.data(cast) if case.data else {})
    return client.get(url)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.route)
def test_allowed_role_can_open(case, cast, client):
    client.login(email=getattr(cast, case.allowed).email, password=TEST_PASSWORD)
    response = _request(client, case, cast)
    assert response.status_code < 400, response.content[:500]


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.wrong_role], ids=lambda case: case.route
)
def test_wrong_role_gets_403(case, cast, client):
    client.login(email=getattr(cast, case.wrong_role).email, password=TEST_PASSWORD)
    assert _request(client, case, cast).status_code == 403


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.route)
def test_other_school_is_refused(case, cast, client):
    # The other school's user holds the allowed role (or better) in their own school.
    client.login(email=cast.other_principal.email, password=TEST_PASSWORD)
    response = _request(client, case, cast)
    if case.record:
        assert response.status_code == 404
    else:
        body = response.content.decode()
        if response.status_code < 400 and response.get("Location"):
            body = client.get(response["Location"]).content.decode()
        assert case.marker(cast) not in body


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.route)
def test_anonymous_is_sent_to_sign_in(case, cast, client):
    response = _request(client, case, cast)
    assert response.status_code in (302, 401, 403)
    if response.status_code == 302:
        assert response["Location"].startswith("/accounts/sign-in/")
