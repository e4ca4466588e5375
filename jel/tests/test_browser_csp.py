"""Under the Content-Security-Policy (no 'unsafe-inline', no eval) the pages
still work: the home page, the capture page and the cycle form open as the cast
without one violation reported, and htmx still swaps the cycle form's body."""

import pytest
from django.urls import reverse

from jel.tests.test_route_access import CASES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before any page script: every violation the browser reports is kept.
LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", e => {
  window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}`
    + ` at ${e.sourceFile}:${e.lineNumber} ${e.sample || ""}`);
});
"""


def _case(route):
    return next(case for case in CASES if case.route == route)


class Watch:
    """A page's CSP violations: its own event and the console's words."""

    def __init__(self, page):
        self.page = page
        self.console = []
        page.add_init_script(LISTEN)
        page.on("console", self._console)

    def _console(self, message):
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.console.append(text)

    def violations(self):
        reported = self.page.evaluate("window.__csp || []")
        return reported + self.console


def test_pages_work_under_the_policy_with_no_violation(
    cast, live_server, desktop_page, phone_page, browser_sign_in, screenshot
):
    capture = live_server.url + _case("observations:capture").url(cast)

    teacher = Watch(desktop_page)
    browser_sign_in(desktop_page, cast.teacher.email)
    assert desktop_page.get_by_role("heading", name="Good to see you").is_visible()
    assert teacher.violations() == [], "home"
    desktop_page.goto(capture)
    desktop_page.wait_for_load_state("networkidle")
    assert teacher.violations() == [], "capture"
    screenshot(desktop_page, "csp-capture-desktop")

    principal = Watch(phone_page)
    browser_sign_in(phone_page, cast.principal.email)
    assert principal.violations() == [], "home as principal"
    phone_page.goto(live_server.url + reverse("cycles:new"))
    phone_page.wait_for_load_state("networkidle")
    assert principal.violations() == [], "cycle form"
    # htmx swaps the form's body for the lab's: mark the old one, pick a lab.
    phone_page.evaluate("document.querySelector('#cycle-form-body').__old = true")
    with phone_page.expect_response(lambda r: "kind=lab" in r.url):
        phone_page.get_by_role("link", name="Peer learning lab").click()
    phone_page.wait_for_function(
        "() => { const b = document.querySelector('#cycle-form-body');"
        " return b && !b.__old; }"
    )
    assert "kind=lab" in phone_page.url
    phone_page.wait_for_load_state("networkidle")
    screenshot(phone_page, "csp-cycle-form-lab-phone")
    assert principal.violations() == [], "cycle form after the swap"


@pytest.mark.parametrize("page_fixture", ["phone_page", "desktop_page"])
def test_the_locked_sign_in_page_says_until_when_with_no_violation(
    request, page_fixture, cast, browser_sign_in, screenshot
):
    page = request.getfixturevalue(page_fixture)
    watch = Watch(page)
    for _ in range(5):
        browser_sign_in(page, cast.teacher.email, "not the password")
    browser_sign_in(page, cast.teacher.email)
    alert = page.get_by_role("alert").filter(has_text="Too many failed sign-ins")
    assert alert.is_visible()
    assert alert.get_by_role("link", name="reset your password by e-mail").is_visible()
    screenshot(page, f"csp-sign-in-locked-{page_fixture}")
    assert watch.violations() == []
