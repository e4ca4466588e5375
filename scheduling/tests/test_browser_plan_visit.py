"""The demo principal plans a visit in a period an observer teaches, accepts a
suggested coverage colleague, and the visit lands in both teachers' weeks and feeds."""

import datetime as dt
import io
import re

import pytest
from django.apps import apps
from django.utils import timezone
from django_scopes import scopes_disabled
from icalendar import Calendar

from jel.demo import DEMO_PASSWORD, seed_core
from jel.models import User
from scheduling import demo_calendar
from scheduling.demo import seed_schedule
from scheduling.selectors import teaching_periods

# The planner's default title names the day: "Visit to Tara Nguyen, Tue 1 Dec".
BOOKED = re.compile(r"Visit to Tara Nguyen, \w{3} \d+ \w{3} is booked")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def visit_day() -> dt.date:
    """The next school day, inside the demo's observation window (Quarter 2's
    at the suite clock); derived from the seeded calendar's rules."""
    return demo_calendar.next_school_day(timezone.localdate(), inclusive=False)


def _long(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def week_param() -> str:
    return demo_calendar.monday_of(visit_day()).isoformat()


HOST = "tara.nguyen@jefferson.example.org"
OBSERVER = "omar.haddad@jefferson.example.org"
LOOK_FOR = "Students explain their reasoning to a partner"
# How far the page scrolls sideways: more than zero means it does not fit.
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.fixture
def demo():
    school = seed_core()
    with scopes_disabled():
        seed_schedule(school=school, stdout=io.StringIO())
        # "Plan a visit" books a micro-observation: it needs its one look-for.
        apps.get_model("cycles", "LookFor").objects.create(
            school=school, text=LOOK_FOR, kind="oral"
        )
        host = User.objects.get(email=HOST)
        observer = User.objects.get(email=OBSERVER)
        hosts = {
            p.number
            for p in teaching_periods(user=host, day=visit_day(), school=school)
        }
        observers = {
            p.number: p.section.course
            for p in teaching_periods(user=observer, day=visit_day(), school=school)
        }
    # A period where Tara teaches (something to observe) and Omar teaches too.
    number = min(hosts & set(observers))
    return {"number": number, "course": observers[number]}


def _feed_events(page, live_server):
    page.goto(f"{live_server.url}/profile/")
    page.get_by_role("button", name="Turn on my calendar feed").click()
    url = page.get_by_label("Calendar address").input_value()
    assert url.startswith(live_server.url + "/calendar/")
    body = page.request.get(url).body()
    return [str(e["SUMMARY"]) for e in Calendar.from_ical(body).walk("VEVENT")]


def test_principal_plans_visit_with_coverage_and_both_teachers_see_it(
    desktop_page,
    live_server,
    demo,
    browser_sign_in,
    screenshot,
    axe_violations,
):
    page = desktop_page
    browser_sign_in(page, "principal@jefferson.example.org", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/schedule/visits/new/")
    page.get_by_label("Host teacher").select_option(label="Tara Nguyen")
    page.get_by_label("Date").fill(visit_day().isoformat())
    page.get_by_label("Period").select_option(index=demo["number"])
    page.get_by_label("Omar Haddad").check()
    page.get_by_label("Focus look-for").select_option(label=LOOK_FOR)

    conflict = f"Omar Haddad teaches {demo['course']} in Period {demo['number']}."
    page.get_by_test_id("conflicts").get_by_text(conflict, exact=True).wait_for()
    assert page.get_by_role("group", name="Coverage for Omar Haddad").is_visible()
    screenshot(page, "scheduling-plan-conflict")
    assert axe_violations(page) == []

    # Accept the first (fairest) suggested colleague.
    first_choice = page.locator("input[name^=cover_]").first
    colleague = page.locator(f"label[for='{first_choice.get_attribute('id')}']")
    colleague_name = colleague.inner_text().split(" (")[0]
    first_choice.check()
    page.get_by_text("Everyone is free then").wait_for()
    page.get_by_role("button", name="Book the visit").click()
    page.wait_for_load_state("networkidle")

    page.get_by_text(BOOKED).wait_for()
    assert page.get_by_text(f"{colleague_name} covers Omar Haddad's").is_visible()
    screenshot(page, "scheduling-booking-detail")

    week = f"{live_server.url}/schedule/week/?week={week_param()}"
    page.goto(week)
    assert page.get_by_text("Omar Haddad → Tara Nguyen").is_visible()
    assert axe_violations(page) == []
    screenshot(page, "scheduling-school-week")

    for email in (HOST, OBSERVER):
        page.context.clear_cookies()
        browser_sign_in(page, email, DEMO_PASSWORD)
        page.goto(f"{live_server.url}/schedule/my-week/?week={week_param()}")
        assert page.get_by_role("link", name="Visit to Tara Nguyen").is_visible()
        screenshot(page, f"scheduling-my-week-{email.split('.')[0]}")
        # The planner's default title names the day too ("…, Tue 1 Dec").
        events = _feed_events(page, live_server)
        assert any(e.startswith("Visit to Tara Nguyen, ") for e in events), events


def test_teacher_week_on_a_phone_is_readable(
    phone_page, live_server, demo, browser_sign_in, screenshot, axe_violations
):
    browser_sign_in(phone_page, HOST, DEMO_PASSWORD)
    phone_page.goto(f"{live_server.url}/schedule/my-week/?week={week_param()}")
    assert phone_page.get_by_role(
        "heading",
        name=f"Tara Nguyen: week of {_long(demo_calendar.monday_of(visit_day()))}",
    ).is_visible()
    assert phone_page.get_by_text("Planning").first.is_visible()
    # Nothing wider than the phone: no sideways scrolling.
    assert phone_page.evaluate(OVERFLOW) <= 0
    assert axe_violations(phone_page) == []
    screenshot(phone_page, "scheduling-my-week-phone")


def test_schedule_editing_pages_pass_axe(
    desktop_page, live_server, demo, browser_sign_in, screenshot, axe_violations
):
    page = desktop_page
    browser_sign_in(page, "principal@jefferson.example.org", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/schedule/setup/")
    assert page.get_by_role("heading", name="Bell schedules (day types)").is_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Edit Late start").click()
    assert page.get_by_role("heading", name="Bell schedule: Late start").is_visible()
    assert axe_violations(page) == []
    screenshot(page, "scheduling-bell-schedule")
    for path in (
        "/schedule/setup/windows/new/",
        f"/schedule/setup/days/?month={timezone.localdate():%Y-%m}-01",
    ):
        page.goto(f"{live_server.url}{path}")
        assert axe_violations(page) == [], path
    screenshot(page, "scheduling-school-days")
    page.goto(f"{live_server.url}/schedule/coverage/counts/")
    assert axe_violations(page) == []


def test_planner_and_coverage_plan_fit_a_phone(
    phone_page, live_server, demo, browser_sign_in, screenshot, axe_violations
):
    page = phone_page
    browser_sign_in(page, "principal@jefferson.example.org", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/schedule/visits/new/")
    page.get_by_label("Host teacher").select_option(label="Tara Nguyen")
    page.get_by_label("Date").fill(visit_day().isoformat())
    page.get_by_label("Period").select_option(index=demo["number"])
    page.get_by_label("Omar Haddad").check()
    page.get_by_role("group", name="Coverage for Omar Haddad").wait_for()
    assert page.evaluate(OVERFLOW) <= 0
    assert axe_violations(page) == []
    # Booked with cover, the visit is on the day's coverage plan.
    page.get_by_label("Focus look-for").select_option(label=LOOK_FOR)
    page.locator("input[name^=cover_]").first.check()
    page.get_by_text("Everyone is free then").wait_for()
    page.get_by_role("button", name="Book the visit").click()
    page.get_by_text(BOOKED).wait_for()
    page.goto(f"{live_server.url}/schedule/coverage/?date={visit_day().isoformat()}")
    assert page.evaluate(OVERFLOW) <= 0
    assert axe_violations(page) == []
    assert page.get_by_text("Omar Haddad").first.is_visible()
    screenshot(page, "scheduling-coverage-plan-phone")
