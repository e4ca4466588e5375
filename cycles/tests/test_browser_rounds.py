"""The journey: a principal writes a problem of practice and plans rounds.

The demo principal writes a problem of practice with three look-fors, plans a
rounds cycle with the two hosts the rotation suggests and four observers, and
sees it scheduled; a teacher who is not in it gets 404 for it.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from cycles.seed import seed_cycles
from jel.demo import DEMO_PASSWORD, seed_core
from jel.models import Role, User
from scheduling import demo_calendar
from scheduling.demo import seed_schedule

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def visit_day() -> dt.date:
    """The next school day: inside the demo's Quarter 2 window at the suite clock."""
    return demo_calendar.next_school_day(timezone.localdate(), inclusive=False)


QUESTION = "What is the evidence that students use feedback to revise their work?"


@pytest.fixture
def demo_school():
    school = seed_core()
    with scopes_disabled():
        seed_schedule(school=school)
        seed_cycles(school=school)
    return school


def _a_teacher_outside(school, names):
    with scopes_disabled():
        return (
            User.objects.filter(
                memberships__school=school, memberships__role=Role.TEACHER
            )
            .exclude(full_name__in=names)
            .order_by("full_name")
            .first()
        )


def test_principal_plans_scheduled_rounds_a_stranger_cannot_open(
    desktop_page, live_server, demo_school, browser_sign_in, screenshot, axe_violations
):
    page = desktop_page
    browser_sign_in(page, "principal@jefferson.example.org", DEMO_PASSWORD)

    # A problem of practice with three look-fors and all five checks.
    page.get_by_role("link", name="Problems of practice").click()
    page.get_by_role("link", name="New problem of practice").click()
    page.get_by_label("Question").fill(QUESTION)
    page.get_by_label("Theory of action").fill(
        "If students get feedback tied to the target, then their revisions improve."
    )
    for label in (
        "Focuses on the instructional core",
        "Directly observable",
        "Actionable",
        "Connects to a broader strategy",
        "High-leverage",
    ):
        page.get_by_label(label).check()
    look_fors = [
        ("Students reread the feedback before revising", "Visual (seen)"),
        ("Students explain which change answers the feedback", "Oral (heard)"),
        (
            "Second drafts differ from first drafts where feedback was given",
            "Artifact (student work)",
        ),
    ]
    for i, (text, kind) in enumerate(look_fors, start=1):
        page.get_by_label(f"Look-for {i}", exact=True).fill(text)
        page.get_by_label(f"Kind of look-for {i}").select_option(label=kind)
    assert axe_violations(page) == []
    page.get_by_role("button", name="Save the problem of practice").click()
    assert page.get_by_text("The problem of practice is saved.").is_visible()
    screenshot(page, "cycles-problem-saved")

    # Plan rounds: a date and period first; the page then suggests hosts who
    # teach then, least hosted first, and lists who is free to observe.
    page.goto(f"{live_server.url}/cycles/new/?kind=rounds")
    page.get_by_label("Title").fill("Feedback rounds, December")
    page.get_by_label("Problem of practice").select_option(label=QUESTION)
    page.get_by_label("Date").fill(visit_day().isoformat())
    page.get_by_label("Period").select_option(label="Period 3 (09:50-10:40)")
    page.locator("#slot-suggestions").wait_for()
    suggested = page.locator("#slot-suggestions .suggested-host").all_inner_texts()
    free = page.locator(".free-observer").all_inner_texts()
    hosts, observers = suggested[:2], free[:4]
    assert len(hosts) == 2 and len(observers) == 4
    host_box = page.locator("#div_id_hosts")
    for name in hosts:
        host_box.get_by_label(f"{name} · hosted").check()
    observer_box = page.locator("#div_id_observers")
    for name in observers:
        observer_box.get_by_label(name, exact=True).check()
    debrief_day = demo_calendar.next_school_day(visit_day(), inclusive=False)
    page.get_by_label("Debrief").fill(f"{debrief_day.isoformat()}T15:15")
    assert axe_violations(page) == []
    screenshot(page, "cycles-new-rounds")
    page.get_by_role("button", name="Save and schedule").click()

    assert page.get_by_text("is scheduled and booked").is_visible()
    assert page.locator(".badge", has_text="Scheduled").first.is_visible()
    visits = page.locator("table tbody tr")
    assert visits.count() == 2
    for name in hosts:
        # The host's cell starts with the name (the booked cell names it too).
        host_cell = page.get_by_role("cell", name=re.compile("^" + re.escape(name)))
        assert host_cell.is_visible()
    assert "booked" in page.locator("#debrief-heading + p").inner_text()
    assert axe_violations(page) == []
    screenshot(page, "cycles-rounds-scheduled")
    cycle_url = page.url

    # A teacher who is not in it cannot open it.
    stranger = _a_teacher_outside(demo_school, hosts + observers)
    page.context.clear_cookies()
    browser_sign_in(page, stranger.email, DEMO_PASSWORD)
    response = page.goto(cycle_url)
    assert response.status == 404


def test_new_cycle_page_switches_type_in_place(
    phone_page, live_server, demo_school, browser_sign_in, screenshot, axe_violations
):
    page = phone_page
    browser_sign_in(page, "coach@jefferson.example.org", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/cycles/new/")
    page.get_by_label("Title").fill("Discourse walk")
    page.get_by_role("link", name="Learning walk").click()
    page.get_by_label("What do we hope to see students doing?").wait_for()
    assert "kind=walk" in page.url
    assert page.get_by_label("Title").input_value() == "Discourse walk"
    assert page.get_by_role("button", name="Save and schedule").is_visible()
    assert (
        page.get_by_role("link", name="Learning walk").get_attribute("aria-current")
        == "page"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert axe_violations(page) == []
    screenshot(page, "cycles-new-walk-phone")
    page.get_by_role("link", name="Peer learning lab").click()
    page.get_by_role("button", name="Save and ask the host").wait_for()
