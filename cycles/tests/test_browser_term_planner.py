"""Issue 22 in a browser: the demo principal plans the term, locks two visits,
solves again, accepts; a teacher in a locked visit then sees it."""

import io
import re
from pathlib import Path

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from cycles.models import LookFor
from cycles.planner.models import PlannedVisit, TermPlan
from jel.demo import DEMO_PASSWORD, seed_core
from scheduling.demo import seed_schedule
from scheduling.models import Booking, Term

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PRINCIPAL = "principal@jefferson.example.org"
LOOK_FOR = "Students explain their reasoning to a partner"
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
WIDTHS = (390, 1280)


@pytest.fixture
def demo(settings):
    settings.TERM_PLANNER_SECONDS = 3  # the demo's answer comes at once anyway
    school = seed_core()
    with scopes_disabled():
        seed_schedule(school=school, stdout=io.StringIO())
        LookFor.objects.create(school=school, text=LOOK_FOR, kind="oral")
        today = timezone.localdate()
        term = (
            Term.objects.filter(
                school=school,
                kind=Term.Kind.QUARTER,
                starts_on__lte=today,
                ends_on__gt=today,
            )
            .order_by("starts_on")
            .first()
        )
    return term


def _shots(page, name, axe_violations):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    assert axe_violations(page) == [], name


def test_the_principal_plans_locks_resolves_and_accepts(
    desktop_page, live_server, demo, browser_sign_in, axe_violations
):
    page = desktop_page
    browser_sign_in(page, PRINCIPAL, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/cycles/")
    page.get_by_role("link", name="Plan the term").click()
    _shots(page, "term-plans", axe_violations)
    page.get_by_role("link", name="Plan the term").first.click()
    _shots(page, "term-plan-form", axe_violations)
    page.get_by_label("Term").select_option(str(demo.pk))
    page.get_by_label("Each teacher observes at least this many colleagues").fill("1")
    page.get_by_label("Each teacher hosts at least this many times").fill("0")
    page.get_by_label("New teachers make a micro-observation every week").uncheck()
    page.get_by_role("button", name="Plan the term").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="Figures").is_visible()
    _shots(page, "term-plan-proposal", axe_violations)

    locks = page.get_by_role("button", name=re.compile(r"^Lock "))
    names = [locks.nth(i).inner_text() for i in (0, 1)]
    for _ in range(2):
        page.get_by_role("button", name=re.compile(r"^Lock ")).first.click()
        page.wait_for_load_state("networkidle")
    with scopes_disabled():
        plan = TermPlan.objects.get()
        locked = {
            (v.observer_id, v.host_id, v.date, v.period_id)
            for v in plan.visits.filter(locked=True)
        }
    assert len(locked) == 2, names
    page.get_by_role("button", name="Solve again around the locked visits").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("button", name=re.compile(r"^Unlock ")).count() == 2
    with scopes_disabled():
        kept = {
            (v.observer_id, v.host_id, v.date, v.period_id)
            for v in plan.visits.filter(locked=True)
        }
    assert kept == locked

    page.get_by_role("link", name=re.compile(r"^Move ")).first.click()
    _shots(page, "planned-visit-move", axe_violations)
    page.go_back()

    page.get_by_label("The look-for of every visit").select_option(label=LOOK_FOR)
    page.get_by_role("button", name=re.compile("^Accept")).click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text(re.compile(r"Accepted: \d+ visits are scheduled")).count()
    with scopes_disabled():
        visit = PlannedVisit.objects.filter(plan=plan, locked=True).first()
        host = visit.host
        assert Booking.objects.filter(visit__cycle=visit.cycle).exists()

    # The host of a locked visit, as themselves, sees it on their week.
    page.context.clear_cookies()
    browser_sign_in(page, host.email, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/cycles/{visit.cycle_id}/")
    assert page.get_by_text(visit.observer.full_name).count()
    page.goto(f"{live_server.url}/cycles/")
    assert page.get_by_role("link", name=re.compile(r"^Visit to ")).count()
