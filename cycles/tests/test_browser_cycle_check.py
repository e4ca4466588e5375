"""In a real browser: on a late-start date the cycle form's periods show the
late times, the live check says the block does not fit, and its button applies
a layout that fits."""

import datetime as dt

import pytest
from django_scopes import scope

from scheduling.tests.factories import add_late_start

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WEDNESDAY = dt.date(2026, 12, 2)


def _plan_on_a_late_start(page, live_server, teachers, browser_sign_in, cast):
    browser_sign_in(page, cast.coach.email)
    page.goto(f"{live_server.url}/cycles/new/?kind=rounds")
    slot = teachers["_schedule"]["periods"][2]
    period = page.locator("select[name=period]")
    assert period.locator(f"option[value='{slot.pk}']").inner_text() == (
        "Period 2 (08:55-09:45)"
    )
    page.locator("input[name=visit_date]").fill(WEDNESDAY.isoformat())
    page.locator("input[name=visit_date]").dispatch_event("change")
    page.wait_for_function(
        "pk => document.querySelector(`select[name=period] option[value='${pk}']`)"
        ".textContent === 'Period 2 (09:45-10:25)'",
        arg=slot.pk,
    )
    assert "a Late start day" in page.locator("#id_period_helptext").inner_text()
    period.select_option(str(slot.pk))
    for name in ("old_math", "old_ela", "mid_ss"):
        # The lists are swapped in again when the date, period or team change:
        # tick a box once the form's requests have answered, not mid-swap.
        page.wait_for_function("() => !document.querySelector('.htmx-request')")
        page.locator(f"input[name=hosts][value='{teachers[name].pk}']").check()
    page.locator("input[name=minutes]").fill("15")
    page.locator("input[name=minutes]").dispatch_event("change")
    check = page.locator("#cycle-check")
    check.get_by_text("but Period 2 ends at 10:25 (40 minutes)").wait_for()
    return check


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_late_start_cycle_form_shows_the_conflict_and_applies_a_fit(
    request,
    width,
    live_server,
    cast,
    teachers,
    browser_sign_in,
    screenshot,
    axe_violations,
):
    with scope(school=cast.school):
        add_late_start(cast.school, WEDNESDAY)
    page = request.getfixturevalue(f"{width}_page")
    check = _plan_on_a_late_start(page, live_server, teachers, browser_sign_in, cast)
    check.scroll_into_view_if_needed()
    assert "3 visits of 10 minutes fit Period 2." in check.inner_text()
    shot = screenshot(page, f"cycle_check_late_start_{width}")
    check.screenshot(path=str(shot.parent / f"cycle_check_panel_{width}.png"))
    assert axe_violations(page) == []
    check.get_by_role("button", name="Use 10-minute visits").click()
    page.locator("#cycle-check").get_by_text("Everything fits.").wait_for()
    assert page.locator("input[name=minutes]").input_value() == "10"
    page.locator("#cycle-check").screenshot(
        path=str(shot.parent / f"cycle_check_fits_{width}.png")
    )
