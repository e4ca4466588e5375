"""Swap days and learning walks, planned end to end in a browser.

The demo principal plans a swap day for the Mathematics team in Period 3: the
team's members are the list, and its visits are in Period 3 wherever the host
teaches then. Then a learning walk whose eight walkers are put in two groups,
each visiting its own rooms."""

import re
from pathlib import Path

import pytest
from django_scopes import scopes_disabled

from cycles.models import Cycle
from cycles.seed import seed_cycles
from cycles.tests.test_browser_rounds import visit_day
from jel.demo import DEMO_PASSWORD, seed_core
from scheduling import selectors as schedule
from scheduling.demo import seed_schedule
from scheduling.models import Team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Beside the suite's other screenshots (conftest.ARTIFACTS).
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@pytest.fixture
def demo_school():
    school = seed_core()
    with scopes_disabled():
        seed_schedule(school=school)
        seed_cycles(school=school)
    return school


def _shoot(page, name):
    """Both widths of the page as it stands: 1280 px, then 390 px."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def _times(page) -> list[str]:
    cells = page.locator("table tbody tr td:first-child").all_inner_texts()
    return [re.search(r"\d\d:\d\d", text).group(0) for text in cells]


def test_principal_plans_a_team_swap_day_in_the_chosen_period(
    desktop_page,
    live_server,
    demo_school,
    browser_sign_in,
    axe_violations,
):
    page = desktop_page
    browser_sign_in(page, "principal@jefferson.example.org", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/cycles/new/?kind=swap")
    hosts = page.locator("#div_id_hosts")
    everyone = hosts.locator("input[type=checkbox]").count()
    assert everyone >= 30  # the whole staff, before a team is chosen
    page.get_by_label("Title").fill("Math swap day")
    page.get_by_label("Team").select_option(label="Mathematics")
    page.get_by_text("Mathematics: 6 members.").wait_for()
    with scopes_disabled():
        members = list(
            Team.objects.get(school=demo_school, name="Mathematics")
            .members.order_by("full_name")
            .values_list("full_name", flat=True)
        )
    shown = hosts.locator("fieldset > div .form-check label").all_inner_texts()
    assert sorted(shown) == members
    others = hosts.locator("details.people-others")
    assert not others.evaluate("d => d.open")
    assert others.locator("summary").inner_text() == (
        f"Show everyone else ({everyone - len(members)})"
    )
    # A name typed in the list's filter may be among everyone else: shown.
    stranger = others.locator(".form-check label").first.text_content().strip()
    finder = hosts.get_by_label("Find a name in this list")
    finder.fill(stranger)
    assert others.evaluate("d => d.open")
    assert others.get_by_label(stranger).is_visible()
    finder.fill("")
    assert not others.evaluate("d => d.open")
    page.get_by_label("Date").fill(visit_day().isoformat())
    page.get_by_label("Period", exact=True).select_option(index=3)
    chosen = page.get_by_label("Period", exact=True).locator("option:checked")
    period_name, start, end = re.match(
        r"(Period \d) \((\d\d:\d\d)-(\d\d:\d\d)\)", chosen.inner_text()
    ).groups()
    page.locator("#slot-suggestions").wait_for()
    assert axe_violations(page) == []
    _shoot(page, "cycle-form-swap-team")
    page.get_by_role("button", name="Save as draft").click()
    page.get_by_text("is saved as a draft").wait_for()

    # Every pair's visits are in the chosen period (before: spread over the
    # day), one after the other; only a member with no class then hosts in a
    # period they teach.
    times = _times(page)
    assert len(times) == 6  # three pairs, each visits each other
    in_period = [t for t in times if start <= t < end]
    with scopes_disabled():
        cycle = Cycle.objects.get(title="Math swap day")
        assert sorted(u.full_name for u in cycle.people("host")) == members
        elsewhere = [v for v in cycle.visits.all() if v.period.name != period_name]
        for visit in elsewhere:
            taught = schedule.teaching_periods(
                user=visit.host, day=visit.date, school=demo_school
            )
            assert period_name not in {p.name for p in taught}
    assert len(in_period) == 6 - len(elsewhere) >= 4
    assert axe_violations(page) == []


def test_principal_plans_a_walk_whose_groups_each_visit_their_own_rooms(
    desktop_page,
    live_server,
    demo_school,
    browser_sign_in,
    axe_violations,
):
    page = desktop_page
    browser_sign_in(page, "principal@jefferson.example.org", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/cycles/new/?kind=walk")
    page.get_by_label("Title").fill("Discourse walk")
    page.get_by_label("School-wide initiative").fill("Student discourse")
    page.get_by_label("Date").fill(visit_day().isoformat())
    page.get_by_label("Period", exact=True).select_option(index=3)
    page.locator("#slot-suggestions").wait_for()
    # One list of suggested hosts, all teaching then.
    assert page.locator("#host-suggestions").count() == 0
    suggested = page.locator("#slot-suggestions .suggested-host").all_inner_texts()
    assert len(suggested) == 3
    for name in suggested:
        mark = page.locator("#div_id_hosts .form-check", has_text=name)
        assert "teaching then" in mark.inner_text()
        page.locator("#div_id_hosts").get_by_label(f"{name} · hosted").check()
    free = page.locator(".free-observer").all_inner_texts()
    walkers = [name for name in free if name not in suggested][:8]
    assert len(walkers) == 8
    for name in walkers:
        page.locator("#div_id_observers").get_by_label(name, exact=True).check()
    page.get_by_label("Group size").fill("4")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Save as draft").click()
    page.get_by_text("is saved as a draft").wait_for()

    rows = page.locator("table tbody tr")
    # Before: three visits, each with all eight walkers in the room at once;
    # then three visits, group 1 in two rooms and group 2 in one.
    assert rows.count() == 4
    by_time: dict[str, list[tuple[str, str]]] = {}
    for i in range(rows.count()):
        when, host, observers = rows.nth(i).locator("td").all_inner_texts()[:3]
        time = re.search(r"\d\d:\d\d", when).group(0)
        by_time.setdefault(time, []).append((host, observers))
        assert len(observers.split(", ")) == 4  # one group of four
    for visits in by_time.values():
        hosts_then = [host for host, _ in visits]
        assert len(set(hosts_then)) == len(hosts_then)  # one group per room
        walkers_then = [w for _, group in visits for w in group.split(", ")]
        assert len(set(walkers_then)) == len(walkers_then)  # nobody twice
    assert len(by_time) == 2  # three rooms between two groups: two turns
    rooms_per_group: dict[str, set[str]] = {}
    for visits in by_time.values():
        for host, group in visits:
            rooms_per_group.setdefault(group, set()).add(host)
    assert sorted(len(r) for r in rooms_per_group.values()) == [2, 2]
    assert page.get_by_text("Group 1").first.is_visible()
    assert axe_violations(page) == []
    _shoot(page, "walk-page")
    page.get_by_role("link", name="Edit the plan").click()
    page.locator("#slot-suggestions").wait_for()
    _shoot(page, "cycle-form-walk")
