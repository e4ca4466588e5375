"""Every route answers exactly what each member of the cast should get.

The allowed role gets its exact status (or its named redirect), never the
sign-in page; a wrong role gets 403; a same-school member not related to a
record gets 404, as another school's user does; anonymous users are sent to
sign in (pages) or refused (API). See jel/tests/access.py.
"""

import importlib
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from jel.tests.factories import TEST_PASSWORD

LOCAL_APPS = ["jel", "scheduling", "cycles", "observations", "dashboards"]


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


def test_each_route_has_one_case():
    routes = [case.route for case in CASES]
    assert sorted({r for r in routes if routes.count(r) > 1}) == []


def _sign_in(client, user):
    assert client.login(email=user.email, password=TEST_PASSWORD), user.email


def _request(client, case, cast, url=None):
    url = url or case.url(cast)
    if case.method == "post":
        return client.post(url, case.data(cast) if case.data else {})
    return client.get(url)


def _to_sign_in(response) -> bool:
    location = response.get("Location", "")
    return urlsplit(location).path == reverse(settings.LOGIN_URL)


def _said(response) -> str:
    where = response.get("Location", "")
    return f"{response.status_code} {where} {response.content[:300]!r}"


def _assert_allowed(case, response):
    assert not _to_sign_in(response), f"sent to sign in: {_said(response)}"
    if case.redirect:
        assert response.status_code == 302, _said(response)
        target = resolve(urlsplit(response["Location"]).path).view_name
        assert target == case.redirect, _said(response)
    else:
        assert response.status_code == case.expect, _said(response)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.route)
def test_allowed_role_gets_what_the_case_says(case, cast, client):
    _sign_in(client, getattr(cast, case.allowed))
    _assert_allowed(case, _request(client, case, cast))


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.wrong_role], ids=lambda case: case.route
)
def test_wrong_role_gets_403(case, cast, client):
    _sign_in(client, getattr(cast, case.wrong_role))
    response = _request(client, case, cast)
    assert response.status_code == 403, _said(response)


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.unrelated], ids=lambda case: case.route
)
def test_unrelated_member_gets_404(case, cast, client):
    _sign_in(client, getattr(cast, case.unrelated))
    response = _request(client, case, cast)
    assert response.status_code == 404, _said(response)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.route)
def test_other_school_is_refused(case, cast, client):
    # The other school's user is a principal in their own school.
    _sign_in(client, cast.other_principal)
    response = _request(client, case, cast)
    if case.record:
        assert response.status_code == 404, _said(response)
        return
    assert response.status_code == case.other_school_status, _said(response)
    assert not _to_sign_in(response), _said(response)
    body = response.content.decode()
    if response.status_code == 302:
        body = client.get(response["Location"]).content.decode()
    assert case.marker(cast) not in body


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.route)
def test_anonymous_is_sent_to_sign_in(case, cast, client):
    url = case.url(cast)
    response = _request(client, case, cast, url)
    if case.is_api:
        # DRF session authentication: no challenge to send, so 403, never 401.
        assert response.status_code == 403, _said(response)
        return
    assert response.status_code == 302, _said(response)
    assert _to_sign_in(response), _said(response)
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query.get("next") == [url], _said(response)


def test_every_record_route_names_an_unrelated_member_or_says_why_not():
    """Cases about one record say who, in the same school, gets 404 for it."""
    silent = sorted(
        case.route
        for case in CASES
        if case.record and not case.unrelated and not case.wrong_role
    )
    assert silent == [], silent
