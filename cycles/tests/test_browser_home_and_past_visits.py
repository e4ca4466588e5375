"""A new teacher on the demo school, on a phone and a desktop: home's cards,
a past micro-observation's cycle page with her part, a walk's groups."""

import io

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled

from cycles.models import Cycle
from jel.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TARA = "tara.nguyen@jefferson.example.org"


@pytest.mark.parametrize("viewport", ["phone_page", "desktop_page"])
def test_tara_sees_her_visits_and_her_part_in_past_ones(
    request, viewport, live_server, browser_sign_in, screenshot, axe_violations
):
    call_command("seed_demo", stdout=io.StringIO())
    page = request.getfixturevalue(viewport)
    width = "390" if viewport == "phone_page" else "1280"
    with scopes_disabled():
        past = (
            Cycle.objects.filter(
                kind="micro",
                visits__observers__email=TARA,
                visits__booking__isnull=True,
            )
            .order_by("-starts_on")
            .first()
        )
        walk = (
            Cycle.objects.filter(kind="walk", memberships__user__email=TARA)
            .order_by("-starts_on")
            .first()
        )
    browser_sign_in(page, TARA, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/")
    assert page.get_by_role("heading", name="Your visits this week").count() <= 1
    assert page.get_by_text("Your visits and cover this week").count() == 0
    assert axe_violations(page) == []
    screenshot(page, f"a2-home-tara-{width}")
    page.goto(f"{live_server.url}/cycles/{past.pk}/")
    part = page.locator("#visits-heading").locator("..").locator("td").last
    assert part.get_by_role("link").count() >= 1  # before: an empty cell
    assert axe_violations(page) == []
    screenshot(page, f"a2-past-micro-{width}")
    page.goto(f"{live_server.url}/cycles/{walk.pk}/")
    page.locator("td", has_text="Group 1").first.wait_for()
    assert axe_violations(page) == []
    screenshot(page, f"a2-walk-{width}")
