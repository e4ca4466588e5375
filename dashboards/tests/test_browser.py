"""The demo coach opens the term dashboard, narrows it to one department, sees the
heat map and its table, and downloads the CSV of exactly what is shown."""

import csv
import datetime as dt
import io

import pytest
from django_scopes import scopes_disabled

from dashboards.tests import factories as make
from jel.demo import DEMO_PASSWORD, seed_core
from jel.models import StaffProfile, User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COACH = "coach@jefferson.example.org"
LOOK_FOR = "Students explain the learning target in their own words"


@pytest.fixture
def term_of_visits():
    """Rounds across Mathematics, English and Science; the look-for is seen in
    four of the six mathematics classrooms."""
    school = seed_core()
    with scopes_disabled():
        mentor = User.objects.get(email="mentor@jefferson.example.org")
        coach = User.objects.get(email=COACH)
        profiles = StaffProfile.objects.filter(
            school=school,
            department__in=["Mathematics", "English Language Arts", "Science"],
            membership__role="teacher",
        ).select_related("membership__user")
        hosts = sorted(
            ((p.department, p.membership.user) for p in profiles),
            key=lambda pair: (pair[0], pair[1].full_name),
        )
    target = make.look_for(school, LOOK_FOR)
    rounds = make.cycle(school, look_fors=[target], facilitator=coach)
    day = dt.date.today() - dt.timedelta(days=14)
    seen_in_math = 0
    for department, host in hosts:
        seen = department != "Mathematics" or seen_in_math < 4
        if department == "Mathematics" and seen:
            seen_in_math += 1
        make.visit(rounds, host, [mentor], day, seen=[target] if seen else [])
    return school


def test_coach_filters_to_one_department_and_downloads_the_heat_map(
    desktop_page,
    live_server,
    term_of_visits,
    browser_sign_in,
    screenshot,
    axe_violations,
):
    page = desktop_page
    browser_sign_in(page, COACH, DEMO_PASSWORD)
    page.get_by_role("link", name="Dashboard").click()
    page.get_by_role("heading", name="Look-for trends").wait_for()

    page.get_by_label("Department", exact=True).select_option("Mathematics")
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state("networkidle")
    assert "department=Mathematics" in page.url

    heatmap = page.locator("#table-heatmap")
    heatmap.wait_for()
    headers = heatmap.locator("thead th").all_inner_texts()
    assert headers == ["Look-for", "Mathematics", "All classrooms"]
    row = heatmap.locator("tbody tr").first.locator("th, td").all_inner_texts()
    assert row == [LOOK_FOR, "67% (4 of 6 visits)", "67% (4 of 6 visits)"]
    assert page.locator("canvas[data-chart='chart-weekly']").is_visible()
    screenshot(page, "dashboard-trends-mathematics")
    assert axe_violations(page) == []

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV of the heat map").click()
    download = download_info.value
    # utf-8-sig: the file starts with the BOM Excel reads its encoding from.
    with open(download.path(), encoding="utf-8-sig") as handle:
        rows = list(csv.reader(io.StringIO(handle.read())))
    assert rows == [
        [
            "Look-for",
            "Department",
            "Seen in (%)",
            "Seen in (visits)",
            "Seen in (out of visits)",
            "Suppressed",
        ],
        [LOOK_FOR, "Mathematics", "67", "4", "6", "False"],
        [LOOK_FOR, "All classrooms", "67", "4", "6", "False"],
    ]


def test_dashboard_fits_a_phone(
    phone_page, live_server, term_of_visits, browser_sign_in, screenshot, axe_violations
):
    page = phone_page
    browser_sign_in(page, COACH, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/dashboards/?by=grade")
    page.locator("#table-heatmap").wait_for()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    screenshot(page, "dashboard-trends-phone")
    assert axe_violations(page) == []


@pytest.mark.parametrize(
    "email,path",
    [
        (COACH, "/dashboards/participation/"),
        (COACH, "/dashboards/follow-through/"),
        (COACH, "/dashboards/essa/"),
        ("tara.nguyen@jefferson.example.org", "/dashboards/my-learning/"),
        ("district@jefferson.example.org", "/dashboards/district/"),
    ],
)
def test_every_dashboard_page_passes_axe(
    desktop_page,
    live_server,
    term_of_visits,
    browser_sign_in,
    screenshot,
    axe_violations,
    email,
    path,
):
    page = desktop_page
    browser_sign_in(page, email, DEMO_PASSWORD)
    page.goto(f"{live_server.url}{path}")
    page.locator("h1").wait_for()
    screenshot(page, path.strip("/").replace("/", "-"))
    assert axe_violations(page) == []
