"""The demo coach opens the term dashboard, narrows it to one department, sees the
heat map and its table, and downloads the CSV of exactly what is shown."""

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from cycles.models import Cycle
from dashboards.tests import factories as make
from jel.demo import DEMO_PASSWORD, seed_core
from jel.models import StaffProfile, User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAYOUT_CHECKS = (Path(__file__).parent / "layout_checks.js").read_text()

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
    page.get_by_role("link", name="Dashboard", exact=True).click()
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


LONG_LOOK_FORS = [
    "Students build on a classmate's idea out loud",
    "Students use sentence stems to justify a claim",
    "Students ask each other questions about their reasoning",
    "Anchor charts of talk moves are used during discussion",
    "Students can say the writing target in their own words",
    "Students point to the posted target or rubric while they write",
]


@pytest.fixture
def long_labels(term_of_visits):
    """Six more look-fors with sentence-long names, and debriefs of every kind."""
    school = term_of_visits
    with scopes_disabled():
        mentor = User.objects.get(email="mentor@jefferson.example.org")
        hosts = [
            p.membership.user
            for p in StaffProfile.objects.filter(
                school=school, membership__role="teacher"
            ).select_related("membership__user")[:6]
        ]
    targets = [make.look_for(school, text) for text in LONG_LOOK_FORS]
    day = dt.date.today() - dt.timedelta(days=21)
    for kind in Cycle.Kind.values:
        walk = make.cycle(school, kind=kind, look_fors=targets)
        for n, host in enumerate(hosts):
            make.visit(walk, host, [mentor], day, seen=targets[: n + 1])
        due = timezone.now() - dt.timedelta(days=10)
        make.debrief(walk, due_at=due, held_at=due - dt.timedelta(hours=1))
    return school


DASHBOARDS = [
    "/dashboards/",
    "/dashboards/participation/",
    "/dashboards/follow-through/",
    "/dashboards/essa/",
]


@pytest.mark.parametrize("path", DASHBOARDS)
def test_filters_are_not_cut_off_on_a_laptop(
    desktop_page, live_server, long_labels, browser_sign_in, screenshot, path
):
    page = desktop_page
    browser_sign_in(page, COACH, DEMO_PASSWORD)
    page.goto(f"{live_server.url}{path}")
    page.locator("#dashboard-filters select").first.wait_for()
    found = page.evaluate(LAYOUT_CHECKS)
    screenshot(page, f"dashboard-1280-{path.strip('/').replace('/', '-')}")
    assert found["cut"] == []
    assert found["overlaps"] == []
    assert found["width"] <= 1280


@pytest.mark.parametrize("path", DASHBOARDS)
def test_chart_labels_do_not_overlap_on_a_phone(
    phone_page, live_server, long_labels, browser_sign_in, screenshot, path
):
    page = phone_page
    browser_sign_in(page, COACH, DEMO_PASSWORD)
    page.goto(f"{live_server.url}{path}")
    page.get_by_role("button", name="Change the period and filters").click()
    page.locator("#dashboard-filters select").first.wait_for()
    found = page.evaluate(LAYOUT_CHECKS)
    screenshot(page, f"dashboard-390-{path.strip('/').replace('/', '-')}")
    assert found["overlaps"] == []
    assert found["cut"] == []
    assert found["width"] <= 390
    # The full label of a shortened one is in the table beside the chart.
    if path == "/dashboards/":
        table = page.locator("#table-summary").inner_text()
        assert LONG_LOOK_FORS[5] in table
