"""A peer learning lab planned end to end in a browser: the principal plans it
for a whole lesson, the host is asked and agrees, the principal schedules it,
and the observer records on the What / So What / Now What organizer."""

import datetime as dt
import io

import pytest
from django_scopes import scopes_disabled

from cycles.models import Cycle
from cycles.tests.test_browser_rounds import visit_day
from jel import services as jel_services
from jel.demo import DEMO_PASSWORD, seed_core
from jel.tests.clock import NEW_YORK
from scheduling.demo import seed_schedule

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PRINCIPAL = "principal@jefferson.example.org"
TITLE = "Partner talk lab"


@pytest.fixture
def demo_school():
    school = seed_core()
    with scopes_disabled():
        seed_schedule(school=school, stdout=io.StringIO())
    return school


def test_a_principal_plans_a_lab_the_host_agrees_and_the_observer_records(
    phone_page,
    live_server,
    demo_school,
    suite_clock,
    browser_sign_in,
    axe_violations,
    screenshot,
):
    page = phone_page
    browser_sign_in(page, PRINCIPAL, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/cycles/new/?kind=lab")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Instructional goal (pre-brief)").fill(
        "Students build on each other's ideas"
    )
    page.get_by_label("Date").fill(visit_day().isoformat())
    period = page.get_by_label("Period", exact=True)
    period.select_option(index=3)
    page.locator("#slot-suggestions").wait_for()
    host_name = page.locator("#slot-suggestions .suggested-host").first.inner_text()
    page.locator("#div_id_hosts .form-check", has_text=host_name).locator(
        "input"
    ).check()
    observer_name = next(
        name
        for name in page.locator(".free-observer").all_inner_texts()
        if name != host_name
    )
    page.locator("#div_id_observers").get_by_label(observer_name, exact=True).check()
    assert page.get_by_label("Minutes of the visit").input_value() == ""
    assert axe_violations(page) == []
    page.get_by_role("button", name="Save and ask the host").click()
    page.get_by_text("is saved as a draft").wait_for()
    with scopes_disabled():
        cycle = Cycle.objects.get(title=TITLE)
        (visit,) = cycle.visits.all()
        host, observer = visit.host, cycle.people("observer")[0]
        assert host.full_name == host_name
        assert visit.period.number == 3
        # The whole lesson: the visit lasts the host's period.
        assert (
            visit.minutes * 60
            == (
                dt.datetime.combine(visit.date, visit.period.ends_at)
                - dt.datetime.combine(visit.date, visit.period.starts_at)
            ).total_seconds()
        )
        for pk in jel_services.reminders_claim_due():
            jel_services.reminder_deliver(reminder_id=pk)

    # The host, as themselves, is asked on the cycle page and in notices.
    page.context.clear_cookies()
    browser_sign_in(page, host.email, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/notifications/")
    page.get_by_role("button", name=f"Open Will you host a lab? {TITLE}").click()
    page.wait_for_load_state("networkidle")
    assert f"/cycles/{cycle.pk}/" in page.url  # the notice leads to where to answer
    assert page.get_by_role("heading", name="Will you host this lab?").is_visible()
    assert axe_violations(page) == []
    screenshot(page, "lab-host-asked-phone")
    page.get_by_role("button", name="I agree to host").click()
    page.wait_for_load_state("networkidle")

    # The principal schedules it.
    page.context.clear_cookies()
    browser_sign_in(page, PRINCIPAL, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/cycles/{cycle.pk}/")
    page.get_by_role("button", name="Schedule", exact=True).click()
    page.wait_for_load_state("networkidle")
    page.get_by_text("The cycle is now scheduled.").wait_for()
    with scopes_disabled():
        assert Cycle.objects.get(pk=cycle.pk).status == Cycle.Status.SCHEDULED

    # During the lesson the observer records on the organizer.
    start = dt.datetime.combine(visit.date, visit.period.starts_at, tzinfo=NEW_YORK)
    start += dt.timedelta(minutes=1)
    suite_clock.move_to(start)
    page.clock.set_system_time(start)
    page.context.clear_cookies()
    browser_sign_in(page, observer.email, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/visits/{visit.pk}/observe/")
    for label in (
        "What: we saw and heard",
        "So what: why it matters for student understanding",
        "Now what: implications for my practice",
    ):
        assert page.get_by_label(label).is_visible()
    assert axe_violations(page) == []
    screenshot(page, "lab-capture-organizer-phone")
