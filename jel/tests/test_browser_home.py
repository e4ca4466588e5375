"""The demo principal signs in on a phone and a desktop; axe finds nothing serious."""

import pytest

from jel.demo import DEMO_PASSWORD, seed_core

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_school():
    return seed_core()


@pytest.mark.parametrize("page_fixture", ["phone_page", "desktop_page"])
def test_demo_principal_signs_in_and_sees_home(
    request, page_fixture, demo_school, browser_sign_in, screenshot
):
    page = request.getfixturevalue(page_fixture)
    browser_sign_in(page, "principal@jefferson.example.org", DEMO_PASSWORD)
    assert page.get_by_role("heading", name="Good to see you, Patricia").is_visible()
    assert page.get_by_text("Jefferson Middle School · Principal").is_visible()
    assert page.get_by_role("heading", name="What is next for you").is_visible()
    screenshot(page, f"home-principal-{page_fixture}")
    if page_fixture == "phone_page":
        # The menu collapses behind a button on a phone and opens on a tap.
        page.get_by_role("button", name="Open the menu").click()
        # Bootstrap adds .show once the menu has finished sliding open.
        page.locator("#main-nav.show").wait_for()
        page.get_by_role("button", name="Patricia").click()
        page.get_by_role("button", name="Sign out").wait_for(state="visible")
        screenshot(page, "home-principal-phone-menu")


def test_wrong_password_shows_a_clear_message(phone_page, demo_school, browser_sign_in):
    browser_sign_in(phone_page, "principal@jefferson.example.org", "not the password")
    assert phone_page.get_by_text("That e-mail and password do not match").is_visible()


def test_sign_in_and_home_pages_have_no_serious_axe_violations(
    desktop_page, live_server, demo_school, browser_sign_in, axe_violations
):
    desktop_page.goto(f"{live_server.url}/accounts/sign-in/")
    assert axe_violations(desktop_page) == []
    browser_sign_in(desktop_page, "principal@jefferson.example.org", DEMO_PASSWORD)
    assert axe_violations(desktop_page) == []
