"""The cycle form's lists in a browser: choosing a problem of practice narrows
the look-for list to its look-fors (the rest behind a toggle, ticks kept), and
a swap day's availability panel suggests hosts from the chosen team."""

from pathlib import Path

import pytest
from django_scopes import scopes_disabled

from cycles.models import LookFor
from cycles.seed import seed_cycles
from cycles.tests.test_browser_rounds import visit_day
from jel.demo import DEMO_PASSWORD, seed_core
from scheduling.demo import seed_schedule
from scheduling.models import Team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@pytest.fixture
def demo_school():
    school = seed_core()
    with scopes_disabled():
        seed_schedule(school=school)
        seed_cycles(school=school)
    return school


def _shoot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_choosing_a_problem_narrows_the_look_fors_and_keeps_the_ticks(
    desktop_page, live_server, demo_school, browser_sign_in, axe_violations
):
    with scopes_disabled():
        total = LookFor.objects.filter(
            school=demo_school, archived_at__isnull=True
        ).count()
    page = desktop_page
    browser_sign_in(page, "principal@jefferson.example.org", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/cycles/new/?kind=rounds")
    box = page.locator("#look-fors input[type=checkbox]")
    assert box.count() == total
    # Before: every look-for of every problem, whatever the choice.
    visible = page.locator("#look-fors input[type=checkbox]:visible")
    assert visible.count() == total
    problem = page.get_by_label("Problem of practice")
    problem.select_option(index=1)
    page.locator("#id_look_fors_problem").wait_for()
    shown = visible.count()
    assert 0 < shown < total
    page.get_by_text("Show other look-fors").click()
    other = page.locator("#look-fors details input[type=checkbox]").first
    other_id = other.get_attribute("id")
    other.check()
    # Back to no problem: every look-for is listed again, the ticked one kept.
    problem.select_option(index=0)
    page.wait_for_function(
        f"() => document.getElementById('{other_id}') !== null"
        f" && !document.getElementById('{other_id}').closest('details')"
    )
    assert page.locator(f"#{other_id}").is_checked()
    assert axe_violations(page) == []
    _shoot(page, "cycle-form-look-fors")


def test_a_team_swap_day_suggests_hosts_from_the_team(
    desktop_page, live_server, demo_school, browser_sign_in, axe_violations
):
    page = desktop_page
    browser_sign_in(page, "principal@jefferson.example.org", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/cycles/new/?kind=swap")
    page.get_by_label("Date").fill(visit_day().isoformat())
    page.get_by_label("Period", exact=True).select_option(index=3)
    page.locator("#slot-suggestions").wait_for()
    page.get_by_label("Team").select_option(label="Mathematics")
    page.get_by_text("Suggested hosts from Mathematics").wait_for()
    page.locator("#who-people").get_by_text("Mathematics:").first.wait_for()
    suggested = page.locator("#slot-suggestions .suggested-host").all_inner_texts()
    with scopes_disabled():
        team = Team.objects.get(school=demo_school, name="Mathematics")
        members = {u.full_name for u in team.members.all()}
    assert suggested and set(suggested) <= members
    assert "(target: 2)" in page.locator("#rules-heading + ul + p").inner_text()
    assert axe_violations(page) == []
    _shoot(page, "cycle-form-swap-team")


def test_the_panel_shows_the_chosen_slot_when_the_page_load_answer_comes_late(
    desktop_page, live_server, demo_school, browser_sign_in
):
    """The panel asks once as the page loads (for a form that comes back with a
    date and period). On a busy server that first answer, for no slot, can come
    after the person has already chosen one: it must not replace the panel
    under the chosen slot's answer (which then had nowhere to go, and the panel
    said 'Pick a date' for good: seen in CI)."""
    page = desktop_page
    browser_sign_in(page, "principal@jefferson.example.org", DEMO_PASSWORD)
    held = []

    def hold_load_and_slot(route):
        query = route.request.url.partition("?")[2]
        if "visit_date=&" in query or query.endswith("visit_date=") or not query:
            held.append(("load", route))
        elif "period=&" in query or query.endswith("period="):
            route.continue_()  # the date alone: no slot yet
        else:
            held.append(("slot", route))

    page.route("**/cycles/availability/*", hold_load_and_slot)
    page.goto(f"{live_server.url}/cycles/new/?kind=swap")
    page.get_by_label("Date").fill(visit_day().isoformat())
    page.get_by_label("Period", exact=True).select_option(index=3)
    for _ in range(200):  # the route handlers run while the page waits
        if len(held) == 2:
            break
        page.wait_for_timeout(50)
    kinds = [kind for kind, _ in held]
    assert kinds == ["load", "slot"]
    # The page-load answer first, then the chosen slot's.
    with page.expect_event("requestfinished"):
        held[0][1].continue_()
    page.evaluate("() => new Promise((done) => setTimeout(done, 100))")
    held[1][1].continue_()
    page.locator("#slot-suggestions").wait_for(timeout=10_000)
    assert "Pick a date" not in page.locator("#availability").inner_text()
