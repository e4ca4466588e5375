"""Every page, as each role that may open it, validates, passes axe-core and
runs under the Content-Security-Policy without one violation.

The pages are the GET routes of the access cases (jel/tests/*access_cases.py and
each app's), opened by the case's allowed member and by every other role of the
cast that gets the page too, plus the sign-in pages and the error pages. Each
HTML answer is checked with axe-core at phone and desktop widths (no serious or
critical violation) and saved; one run of the Nu HTML checker (npm `vnu-jar`,
which needs Java) over all saved pages must report no error.

One browser context per width; each role's signed-in session is made once with
the test client and handed to the browser as its cookie. Set
EVERY_PAGE_SCREENSHOTS=1 to also save a screenshot of each page at each width
in test-artifacts/every-page/.
"""

import datetime
import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import axe_playwright_python
import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from conftest import ARTIFACTS, DESKTOP, PHONE
from jel.tests.factories import TEST_PASSWORD
from jel.tests.test_browser_csp import LISTEN as LISTEN_FOR_CSP
from jel.tests.test_route_access import CASES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = ("principal", "coach", "teacher", "district")
WIDTHS = {"phone": PHONE, "desktop": DESKTOP}
VNU = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist"
VNU_JAR = VNU / "vnu.jar"
AXE_JS = Path(axe_playwright_python.__file__).parent / "axe.min.js"
AXE_OPTIONS = {"resultTypes": ["violations"]}
SAVED = ARTIFACTS / "every-page"
# Pages anyone may open without signing in.
PUBLIC_PAGES = ("login", "password_reset", "password_reset_done", "pwa_offline")
# htmx fragments are parts of pages: validated inside a minimal document, and
# checked by axe where the page that loads them is.
FRAGMENT = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
    "<title>fragment</title></head><body>{}</body></html>"
)


def _missing(message):
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def _java():
    return shutil.which("java")


class Page:
    def __init__(self, name, url, role, status, html):
        self.name, self.url, self.role = name, url, role
        self.status, self.html = status, html
        self.fragment = not html.lstrip()[:15].lower().startswith("<!doctype")


def _html(response):
    if response.streaming:
        return None
    if not response.get("Content-Type", "").startswith("text/html"):
        return None
    return response.content.decode()


def _collect(cast):
    """Every page with an HTML answer, with the role that opens it."""
    clients = {}
    for role in ROLES:
        clients[role] = Client()
        user = getattr(cast, role)
        assert clients[role].login(email=user.email, password=TEST_PASSWORD), role
    pages = []
    for case in CASES:
        if case.method != "get" or case.is_api or case.redirect:
            continue
        url = case.url(cast)
        for role in ROLES:
            response = clients[role].get(url)
            html = _html(response)
            if html is None:
                continue
            if role == case.allowed:
                assert response.status_code == case.expect, (role, url)
            elif response.status_code != 200:
                continue  # the 403 and 404 pages are checked once, below
            name = f"{role}-{case.route.replace(':', '-')}"
            pages.append(Page(name, url, role, response.status_code, html))
    # The error pages a signed-in member meets: a wrong role, a wrong address.
    for name, role, url, status in (
        ("error-403", "teacher", reverse("scheduling:setup"), 403),
        ("error-404", "teacher", "/no-such-page/", 404),
    ):
        response = clients[role].get(url)
        assert response.status_code == status, name
        pages.append(Page(name, url, role, status, _html(response)))
    anonymous = Client()
    for route in PUBLIC_PAGES:
        url = reverse(route)
        response = anonymous.get(url)
        pages.append(Page(f"anonymous-{route}", url, None, 200, _html(response)))
    response = anonymous.get(reverse("home"))  # 302 to sign in: not a page
    assert response.status_code == 302
    return pages, clients


def _browser_page(browser, viewport):
    # The installable app's worker would answer with kept pages: block it.
    context = browser.new_context(viewport=viewport, service_workers="block")
    context.clock.install(time=datetime.datetime.now(datetime.UTC))
    context.set_default_timeout(30_000)
    # axe-core is in every page from its first script on (one registration
    # instead of sending its 500 kB again for each page).
    context.add_init_script(path=str(AXE_JS))
    # Every page runs under the Content-Security-Policy: what it blocks (an
    # inline script or style, an eval) is a broken feature, so it is a problem.
    context.add_init_script(script=LISTEN_FOR_CSP)
    page = context.new_page()
    return page


def _axe_start(page):
    # Not awaited: axe runs in this page's renderer while the other width's
    # page runs too (two processes, two cores).
    page.evaluate(
        """options => {
            window.__axe = new Promise(resolve => setTimeout(resolve, 0)).then(
                () => axe.run(document, options)
            );
        }""",
        AXE_OPTIONS,
    )


def _axe_serious(page):
    violations = page.evaluate("window.__axe.then(r => r.violations)")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        f"{[node['target'] for node in v['nodes']][:3]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


def _sign_in(context, live_server, client):
    context.clear_cookies()
    if client is None:
        return
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": cookie.value,
                "url": live_server.url,
            }
        ]
    )


def _vnu(files):
    """{file name: [message]} from one run of the Nu HTML checker."""
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json"]
        + [str(f) for f in files],
        capture_output=True,
        text=True,
        timeout=600,
    )
    found = {}
    for message in json.loads(result.stderr or '{"messages": []}')["messages"]:
        where = Path(message.get("url", "?")).name
        extract = re.sub(r"\s+", " ", message.get("extract", ""))[:120]
        found.setdefault(where, []).append(
            f"line {message.get('lastLine')}: {message['message']} [{extract}]"
        )
    return found


@pytest.fixture
def static_cached(monkeypatch):
    """The live server's static files with a max-age, as a real server sends
    them: the browser then does not ask again for each file on every page."""
    from django.contrib.staticfiles.handlers import StaticFilesHandlerMixin

    serve = StaticFilesHandlerMixin.serve

    def serve_cached(self, request):
        response = serve(self, request)
        response["Cache-Control"] = "max-age=31536000, immutable"
        return response

    monkeypatch.setattr(StaticFilesHandlerMixin, "serve", serve_cached)


def test_every_page_validates_and_has_no_serious_axe_violation(
    cast, live_server, browser, static_cached
):
    if not _java():
        _missing("java is missing (apt-get install default-jre-headless): vnu needs it")
    if not VNU_JAR.exists():
        _missing(f"{VNU_JAR} is missing: npm ci installs vnu-jar")
    started = time.perf_counter()
    pages, clients = _collect(cast)
    collect_seconds = time.perf_counter() - started
    shutil.rmtree(SAVED, ignore_errors=True)
    SAVED.mkdir(parents=True)
    shots = os.environ.get("EVERY_PAGE_SCREENSHOTS") == "1"

    problems = []
    started = time.perf_counter()
    views = {
        width: _browser_page(browser, viewport) for width, viewport in WIDTHS.items()
    }
    phone, desktop = views["phone"], views["desktop"]
    signed_in_as = object()
    for item in pages:
        if item.fragment:
            continue
        if item.role != signed_in_as:
            for page in views.values():
                _sign_in(page.context, live_server, clients.get(item.role))
            signed_in_as = item.role
        url = f"{live_server.url}{item.url}"
        # Both widths load and run axe at once (two renderers, two cores).
        with phone.expect_navigation(wait_until="load") as phone_loaded:
            phone.evaluate("url => { window.location.href = url; }", url)
            answers = {"desktop": desktop.goto(url, wait_until="load")}
            _axe_start(desktop)
        answers["phone"] = phone_loaded.value
        _axe_start(phone)
        for width, page in views.items():
            if answers[width].status != item.status:
                problems.append(f"{item.name}: {answers[width].status} at {width}")
            problems.extend(f"{item.name} at {width}: {v}" for v in _axe_serious(page))
            problems.extend(
                f"{item.name} at {width}: CSP {v}"
                for v in page.evaluate("window.__csp || []")
            )
            if shots:
                page.screenshot(path=str(SAVED / f"{item.name}-{width}.png"))
    for page in views.values():
        page.context.close()
    axe_seconds = time.perf_counter() - started

    files = []
    for item in pages:
        path = SAVED / f"{item.name}.html"
        path.write_text(FRAGMENT.format(item.html) if item.fragment else item.html)
        files.append(path)
    # The 500 page renders without a request or the database.
    for name in ("500.html", "400.html"):
        path = SAVED / f"error-{name}"
        path.write_text(render_to_string(name))
        files.append(path)
    started = time.perf_counter()
    errors = _vnu(files)
    vnu_seconds = time.perf_counter() - started
    for where, messages in sorted(errors.items()):
        problems.extend(f"{where}: {m}" for m in messages)
    summary = (
        f"{len(pages)} pages ({sum(p.fragment for p in pages)} fragments), "
        f"{sum(len(m) for m in errors.values())} HTML errors on {len(errors)} pages; "
        f"pages fetched in {collect_seconds:.0f} s, axe at two widths in "
        f"{axe_seconds:.0f} s, vnu in {vnu_seconds:.0f} s"
    )
    (SAVED / "summary.txt").write_text(summary + "\n" + "\n".join(problems) + "\n")
    assert problems == [], summary + "\n" + "\n".join(problems)


def test_a_failed_submit_moves_focus_to_the_error_summary(
    cast, desktop_page, live_server, browser_sign_in, screenshot
):
    page = desktop_page
    browser_sign_in(page, cast.principal.email)
    page.goto(f"{live_server.url}{reverse('scheduling:day_type_new')}")
    page.get_by_label("Name").first.fill("Odd day")
    page.locator("#id_periods-0-name").fill("Period 1")
    page.locator("#id_periods-0-number").fill("1")
    page.locator("#id_periods-0-starts_at").fill("09:00")
    page.locator("#id_periods-0-ends_at").fill("08:00")
    page.get_by_role("button", name="Save the bell schedule").click()
    page.wait_for_load_state("load")
    summary = page.locator("[data-error-summary]")
    assert summary.evaluate("el => el === document.activeElement")
    assert "it must end later than that" in summary.inner_text()
    screenshot(page, "error-summary-day-type-desktop")
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "id_periods-0-ends_at"
