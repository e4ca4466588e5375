"""Issue 15, item 1 in a browser: a principal plans a visit through 'Plan a
visit'; the observer, as themselves, reaches the capture page from My week,
the booking page, the cycle page and home, and records evidence; their feed's
event leads to the capture page too."""

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled
from icalendar import Calendar

from cycles.models import LookFor
from jel.demo import DEMO_PASSWORD, seed_core
from jel.models import User
from jel.tests.clock import NEW_YORK
from observations.models import Evidence
from scheduling import demo_calendar
from scheduling.demo import seed_schedule
from scheduling.models import Booking
from scheduling.selectors import teaching_periods

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PRINCIPAL = "principal@jefferson.example.org"
HOST = "tara.nguyen@jefferson.example.org"
OBSERVER = "omar.haddad@jefferson.example.org"
LOOK_FOR = "Students explain their reasoning to a partner"
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
WIDTHS = (390, 1280)


def visit_day() -> dt.date:
    return demo_calendar.next_school_day(timezone.localdate(), inclusive=False)


@pytest.fixture
def demo():
    school = seed_core()
    with scopes_disabled():
        seed_schedule(school=school, stdout=io.StringIO())
        LookFor.objects.create(school=school, text=LOOK_FOR, kind="oral")
        host = User.objects.get(email=HOST)
        observer = User.objects.get(email=OBSERVER)
        day = visit_day()
        taught = {
            p.number: p for p in teaching_periods(user=host, day=day, school=school)
        }
        busy = {
            p.number for p in teaching_periods(user=observer, day=day, school=school)
        }
    # A period Tara teaches (something to observe) and Omar plans in: no cover.
    number = min(set(taught) - busy)
    return {"number": number, "starts_at": taught[number].starts_at}


def _shots(page, name):
    """The page at a phone's and a desktop's width, to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def _observe_leads_to_capture(page, capture):
    page.get_by_role("link", name=re.compile(r"^Observe")).first.click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(capture), page.url


def test_the_observer_reaches_capture_from_everywhere_and_records(
    desktop_page,
    live_server,
    demo,
    suite_clock,
    browser_sign_in,
    axe_violations,
):
    page = desktop_page
    browser_sign_in(page, PRINCIPAL, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/schedule/visits/new/")
    # A failed submit first: the error summary says what is missing.
    page.get_by_role("button", name="Book the visit").click()
    page.get_by_text("Nothing was saved").wait_for()
    _shots(page, "visit-plan-errors")
    page.get_by_label("Host teacher").select_option(label="Tara Nguyen")
    page.get_by_label("Date").fill(visit_day().isoformat())
    page.get_by_label("Period").select_option(index=demo["number"])
    page.get_by_label("Omar Haddad").check()
    page.get_by_label("Focus look-for").select_option(label=LOOK_FOR)
    page.get_by_text("Everyone is free then").wait_for()
    assert axe_violations(page) == []
    _shots(page, "visit-plan")
    page.get_by_role("button", name="Book the visit").click()
    page.wait_for_load_state("networkidle")
    page.get_by_text(
        re.compile(r"Visit to Tara Nguyen, \w{3} \d+ \w{3} is booked")
    ).wait_for()
    with scopes_disabled():
        booking = Booking.objects.get(title__startswith="Visit to Tara Nguyen, ")
        visit = booking.visit
        cycle_id = visit.cycle_id
    capture = f"/visits/{visit.pk}/observe/"

    # The observer, as themselves.
    page.context.clear_cookies()
    browser_sign_in(page, OBSERVER, DEMO_PASSWORD)
    monday = demo_calendar.monday_of(visit_day())
    page.goto(f"{live_server.url}/schedule/my-week/?week={monday.isoformat()}")
    assert axe_violations(page) == []
    _shots(page, "my-week-observer")
    _observe_leads_to_capture(page, capture)

    page.goto(f"{live_server.url}/schedule/bookings/{booking.pk}/")
    assert page.get_by_test_id("my-action").is_visible()
    assert axe_violations(page) == []
    _shots(page, "booking-observer")
    _observe_leads_to_capture(page, capture)

    page.goto(f"{live_server.url}/cycles/{cycle_id}/")
    _observe_leads_to_capture(page, capture)

    page.goto(f"{live_server.url}/")
    _observe_leads_to_capture(page, capture)

    # The calendar feed's event leads to the capture page.
    page.goto(f"{live_server.url}/profile/")
    page.get_by_role("button", name="Turn on my calendar feed").click()
    url = page.get_by_label("Calendar address").input_value()
    body = page.request.get(url).body()
    [event] = [
        e
        for e in Calendar.from_ical(body).walk("VEVENT")
        if str(e["UID"]) == f"{booking.uid}@jel"
    ]
    assert str(event["URL"]).endswith(capture)

    # At the visit's start the observer records evidence.
    start = dt.datetime.combine(visit_day(), demo["starts_at"], tzinfo=NEW_YORK)
    start += dt.timedelta(minutes=1)
    suite_clock.move_to(start)
    page.clock.set_system_time(start)
    browser_sign_in(page, OBSERVER, DEMO_PASSWORD)
    page.goto(f"{live_server.url}{capture}")
    page.get_by_role("button", name="Start").click()
    page.get_by_label("What did students do, say or make?").fill(
        "Two students compared their answers and explained the steps"
    )
    page.get_by_role("button", name="Save entry").click()
    page.get_by_text("All entries saved.").wait_for()
    with scopes_disabled():
        assert Evidence.objects.filter(
            observation__visit=visit, observation__observer__email=OBSERVER
        ).exists()

    # The host is offered what hosting needs.
    page.context.clear_cookies()
    browser_sign_in(page, HOST, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/schedule/bookings/{booking.pk}/")
    assert page.get_by_role("heading", name="You host this visit").is_visible()
    _shots(page, "booking-host")
