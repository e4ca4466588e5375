"""A principal rosters their school in the browser: upload the export's .zip,
read the dry-run report, confirm, and find the import in the history."""

import pytest
from django_scopes import scopes_disabled

from jel.models import Membership
from scheduling.tests.roster_export import export, write, zip_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.fixture
def roster_zip(tmp_path, cast, settings):
    settings.VAR_DIR = tmp_path / "var"
    files = export("1.2")
    files["orgs.csv"][1]["name"] = cast.school.name
    path = tmp_path / "roster.zip"
    path.write_bytes(zip_of(write(tmp_path / "export", files)))
    return path


def _journey(page, live_server, roster_zip, screenshot, axe_violations, name):
    page.goto(f"{live_server.url}/schedule/setup/")
    page.get_by_role("link", name="Roster staff, sections and bell schedules").click()
    page.get_by_role("heading", name="Rostering from OneRoster").wait_for()
    assert axe_violations(page) == []
    assert page.evaluate(OVERFLOW) <= 0
    screenshot(page, f"roster-upload-{name}")
    page.get_by_label("OneRoster export (.zip)").set_input_files(str(roster_zip))
    page.get_by_role("button", name="Check the export").click()
    report = page.get_by_role("table", name="What the import would change")
    report.wait_for()
    assert report.get_by_role("row", name="Staff").inner_text().split() == [
        "Staff",
        "4",
        "0",
        "0",
    ]
    assert axe_violations(page) == []
    assert page.evaluate(OVERFLOW) <= 0
    screenshot(page, f"roster-report-{name}")
    page.get_by_role("button", name="Import it").click()
    page.get_by_role("table", name="What the import changed").wait_for()
    assert "Status: Imported" in page.inner_text("main")
    assert axe_violations(page) == []
    screenshot(page, f"roster-done-{name}")
    page.get_by_role("link", name="All roster imports").click()
    assert (
        "Imported"
        in page.get_by_role("list").filter(has_text="roster.zip").inner_text()
    )


def test_a_principal_rosters_the_school_on_a_desktop(
    desktop_page,
    live_server,
    browser_sign_in,
    cast,
    roster_zip,
    screenshot,
    axe_violations,
):
    browser_sign_in(desktop_page, cast.principal.email)
    _journey(desktop_page, live_server, roster_zip, screenshot, axe_violations, "1280")
    with scopes_disabled():
        ben = Membership.objects.get(user__full_name="Ben Cho", school=cast.school)
    assert (ben.role, ben.sourced_id) == ("teacher", "u2")


def test_the_pages_fit_a_phone(
    phone_page,
    live_server,
    browser_sign_in,
    cast,
    roster_zip,
    screenshot,
    axe_violations,
):
    browser_sign_in(phone_page, cast.principal.email)
    _journey(phone_page, live_server, roster_zip, screenshot, axe_violations, "390")
