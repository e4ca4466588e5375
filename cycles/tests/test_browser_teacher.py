"""The demo teacher on a phone: her cycles, an overdue debrief flag, a debrief page."""

import pytest
from django_scopes import scopes_disabled

from cycles.models import Cycle
from cycles.seed import seed_cycles
from jel.demo import DEMO_PASSWORD, DEMO_TEACHER_EMAIL, seed_core
from scheduling.demo import seed_schedule

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_school():
    school = seed_core()
    with scopes_disabled():
        seed_schedule(school=school)
        seed_cycles(school=school)
    return school


def test_teacher_sees_her_cycles_on_a_phone(
    phone_page, live_server, demo_school, browser_sign_in, screenshot, axe_violations
):
    page = phone_page
    browser_sign_in(page, DEMO_TEACHER_EMAIL, DEMO_PASSWORD)
    panel = page.locator("section", has=page.get_by_role("heading", name="Your cycles"))
    assert panel.get_by_text("Debrief overdue").is_visible()
    screenshot(page, "cycles-home-teacher-phone")

    with scopes_disabled():
        mine = Cycle.objects.filter(memberships__user__email=DEMO_TEACHER_EMAIL)
        held = mine.filter(kind="rounds", debriefs__held_at__isnull=False)
        cycle = held.latest("starts_on")
        rounds, next_level = cycle.title, cycle.debriefs.get().next_level_of_work
        swap = (
            Cycle.objects.filter(kind="swap").exclude(pk__in=mine).latest("starts_on")
        ).title
    page.goto(f"{live_server.url}/cycles/")
    titles = page.locator(".list-group-item a").all_inner_texts()
    assert rounds in titles
    assert swap not in titles  # she was not in it
    assert axe_violations(page) == []
    page.get_by_role("link", name=rounds).click()
    assert page.get_by_role("heading", name=rounds).is_visible()
    assert page.get_by_role("button", name="Schedule").count() == 0  # not a planner
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    assert axe_violations(page) == []
    screenshot(page, "cycles-detail-teacher-phone")

    page.get_by_role("link", name="The debrief").click()
    assert page.get_by_text("Host names are removed").is_visible()
    assert page.get_by_text(next_level).is_visible()
    assert axe_violations(page) == []
    screenshot(page, "cycles-debrief-teacher-phone")
