"""The installable app (issue 25): a teacher opens JEL on-line on Monday, walks
into a room with no signal on Tuesday, opens the visit from home, records, and
every entry reaches the server exactly once, in order, when the connection
returns. A second person on the same phone finds nothing of the first."""

import datetime as dt

import pytest
from django_scopes import scopes_disabled

from jel.demo import DEMO_PASSWORD, DEMO_TEACHER_EMAIL, seed_core
from jel.models import User
from jel.tests.clock import NEW_YORK, SUITE_NOW
from observations.models import Evidence, Observation
from observations.tests.factories import cycle_with_visit
from observations.tests.offline import kept_entries

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ENTRIES = [
    "Pairs read the claim aloud to each other",
    "A student asked which sentence was the evidence",
    "Two groups compared their topic sentences",
    "Students pointed at the text when they disagreed",
    "One pair rewrote a sentence without being asked",
]
TUESDAY_AT_THE_VISIT = dt.datetime(2026, 12, 1, 9, 16, tzinfo=NEW_YORK)

# The size of everything the worker keeps for this person (its caches).
CACHED_BYTES = """async () => {
  let total = 0, count = 0;
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const answer = await cache.match(request);
      total += (await answer.arrayBuffer()).byteLength;
      count += 1;
    }
  }
  return [count, total];
}"""
CACHE_NAMES = "async () => caches.keys()"
DATABASES = "async () => (await indexedDB.databases()).map((d) => d.name)"


@pytest.fixture
def weeks_visits():
    """Tara observes Lena's class tomorrow at 09:15 and once a day after."""
    school = seed_core()
    with scopes_disabled():
        tara = User.objects.get(email=DEMO_TEACHER_EMAIL)
        host = User.objects.get(email="lena.fischer@jefferson.example.org")
    tomorrow = cycle_with_visit(
        school,
        host=host,
        observers=[tara],
        day=SUITE_NOW.date() + dt.timedelta(days=1),
        at=dt.time(9, 15),
        title="Tuesday writing rounds",
    )
    later = [
        cycle_with_visit(
            school,
            host=host,
            observers=[tara],
            day=SUITE_NOW.date() + dt.timedelta(days=days),
            at=dt.time(10, 0),
            title=f"Writing rounds, day {days}",
        )
        for days in (2, 3, 4)
    ]
    return tomorrow, later


def _wait_ready_offline(page):
    page.wait_for_function(
        "() => Number(document.documentElement.dataset.offlineReady || 0) > 0",
        timeout=30_000,
    )


def _press_sign_out(page):
    menu = page.get_by_role("button", name="Open the menu")
    if menu.get_attribute("aria-expanded") != "true":
        menu.click()
    page.get_by_role("button", name="Tara").click()
    page.get_by_role("button", name="Sign out").click()


def _travel(suite_clock, page, moment):
    suite_clock.move_to(moment)
    page.context.clock.set_system_time(moment)


def test_visit_opened_and_recorded_offline_arrives_once_in_order(
    phone_app_page,
    live_server,
    weeks_visits,
    browser_sign_in,
    suite_clock,
    screenshot,
    axe_violations,
):
    visit, later = weeks_visits
    page = phone_app_page
    context = page.context
    browser_sign_in(page, DEMO_TEACHER_EMAIL, DEMO_PASSWORD)
    _wait_ready_offline(page)
    # Home and the four visits' capture pages are kept for this person.
    assert int(page.evaluate("document.documentElement.dataset.offlineReady")) == 5
    count, size = page.evaluate(CACHED_BYTES)
    print(f"\ncached for a teacher with a week of visits: {count} answers, {size} B")

    # Tuesday, in the room with no signal.
    context.set_offline(True)
    _travel(suite_clock, page, TUESDAY_AT_THE_VISIT)
    page.goto(f"{live_server.url}/")
    page.get_by_text("Offline · this page was last refreshed at").wait_for()
    page.get_by_role("link", name="Observe Lena Fischer’s class").first.click()
    page.get_by_role("heading", name="Tuesday writing rounds").wait_for()
    assert page.get_by_text("Offline · this page was last refreshed at").is_visible()

    # The copy kept on Monday opens itself at the start time, still offline.
    page.get_by_role("button", name="Start").click()
    page.get_by_role("button", name="Stop").wait_for()
    tallies = page.locator(".tally-button")
    tallies.nth(0).click()
    text_box = page.get_by_label("What did students do, say or make?")
    waiting = 1
    for number, text in enumerate(ENTRIES):
        text_box.fill(text)
        page.get_by_role("button", name="Save entry").click()
        waiting += 1
        page.get_by_text(f"{waiting} entries kept on this phone").wait_for()
        if number == 2:
            tallies.nth(1).click()
            waiting += 1
    page.get_by_text("7 entries kept on this phone").wait_for()
    screenshot(page, "capture-opened-offline-phone")  # 390 px wide
    assert axe_violations(page) == []
    with scopes_disabled():
        assert not Evidence.objects.filter(observation__visit=visit).exists()

    # The tab is closed; the app is opened again, still offline.
    page.close()
    page = context.new_page()
    page.goto(f"{live_server.url}/visits/{visit.pk}/observe/")
    page.get_by_text("7 entries kept on this phone").wait_for()
    for text in ENTRIES:
        assert page.get_by_text(text).is_visible()
    kept = kept_entries(page)
    assert len(kept) == 8  # five entries, two tallies and the timer's start

    # The connection returns (Tuesday's session is over by now: sign in again).
    context.set_offline(False)
    browser_sign_in(page, DEMO_TEACHER_EMAIL, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/visits/{visit.pk}/observe/")
    page.get_by_text("All entries saved.").wait_for(timeout=30_000)
    page.wait_for_load_state("networkidle")
    with scopes_disabled():
        rows = list(
            Evidence.objects.filter(observation__visit=visit).order_by("noted_at", "pk")
        )
        written = [row.text for row in rows if not row.is_tally]
        assert written == ENTRIES  # each once, in the order typed
        assert sum(row.is_tally for row in rows) == 2
        assert Observation.objects.get(visit=visit).started_at is not None
    assert kept_entries(page) == []

    # Signing out with nothing waiting asks nothing and leaves nothing.
    _press_sign_out(page)
    page.get_by_label("School e-mail").wait_for()
    page.wait_for_load_state("networkidle")
    assert page.evaluate(DATABASES) == []
    assert page.evaluate(CACHE_NAMES) == ["jel-meta"]  # no pages, no person

    # A second person on the same phone finds no trace of the first.
    browser_sign_in(page, "samuel.okafor@jefferson.example.org", DEMO_PASSWORD)
    _wait_ready_offline(page)
    context.set_offline(True)
    response = page.goto(f"{live_server.url}/visits/{visit.pk}/observe/")
    assert "Tuesday writing rounds" not in page.content()
    assert page.get_by_role("heading", name="Offline").is_visible()
    screenshot(page, "offline-page-phone")
    assert axe_violations(page) == []
    assert response is None or response.status == 503 or response.ok
    page.goto(f"{live_server.url}/")
    assert "Tara" not in page.content()
    context.set_offline(False)


def test_sign_out_with_entries_waiting_asks_first(
    phone_app_page, live_server, weeks_visits, browser_sign_in, suite_clock
):
    visit, _later = weeks_visits
    page = phone_app_page
    browser_sign_in(page, DEMO_TEACHER_EMAIL, DEMO_PASSWORD)
    _wait_ready_offline(page)
    _travel(suite_clock, page, TUESDAY_AT_THE_VISIT)
    page.context.set_offline(True)
    page.goto(f"{live_server.url}/visits/{visit.pk}/observe/")
    page.get_by_label("What did students do, say or make?").fill(ENTRIES[0])
    page.get_by_role("button", name="Save entry").click()
    page.get_by_text("1 entry kept on this phone").wait_for()

    asked = []

    def dismiss(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    _press_sign_out(page)
    page.wait_for_timeout(1_000)
    assert asked and asked[0].startswith("1 entry has not reached the server yet")
    # Kept: still signed in on this page, the entry still waiting.
    assert [item["payload"]["text"] for item in kept_entries(page)] == [ENTRIES[0]]

    def accept(dialog):
        asked.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    _press_sign_out(page)
    page.wait_for_timeout(2_000)
    assert len(asked) == 2
    # Offline, the server never heard of the sign-out; the phone forgot all
    # the same: the person's stored entries are gone.
    page.context.set_offline(False)
    page.goto(f"{live_server.url}/")
    assert page.evaluate(DATABASES) == []


def test_the_manifest_passes_chromiums_installability_checks(
    phone_app_page, live_server, weeks_visits, browser_sign_in
):
    page = phone_app_page
    browser_sign_in(page, DEMO_TEACHER_EMAIL, DEMO_PASSWORD)
    _wait_ready_offline(page)
    cdp = page.context.new_cdp_session(page)
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["url"].endswith("/manifest.webmanifest")
    assert manifest.get("errors") == []
    # Chromium's reading of it: full-screen, opening at the teacher's home.
    parsed = manifest["manifest"]
    assert parsed["display"].lower().endswith("standalone")
    assert parsed["startUrl"] == f"{live_server.url}/"
    assert len(parsed["icons"]) == 4  # 192 and 512 px, plain and maskable
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    print("\ninstallability errors:", errors)
    # A Playwright context is an off-the-record profile, where Chromium never
    # offers to install; every other check must pass.
    assert [e for e in errors if e["errorId"] != "in-incognito"] == []


def test_the_offline_page_reads_well_on_a_desktop(
    desktop_page, live_server, screenshot, axe_violations
):
    page = desktop_page
    page.goto(f"{live_server.url}/offline/")
    assert page.get_by_role("heading", name="Offline").is_visible()
    assert page.get_by_text("Kept on this phone at").is_visible()
    screenshot(page, "offline-page-desktop")
    assert axe_violations(page) == []


def test_a_new_release_takes_over_on_the_next_visit_and_drops_the_old_copies(
    phone_app_page, live_server, weeks_visits, browser_sign_in, settings
):
    from jel import pwa

    visit, _later = weeks_visits
    page = phone_app_page
    context = page.context
    browser_sign_in(page, DEMO_TEACHER_EMAIL, DEMO_PASSWORD)
    _wait_ready_offline(page)
    first = pwa.release_version()
    assert any(f"-{first}-" in name for name in page.evaluate(CACHE_NAMES))

    pwa.release_version.cache_clear()
    settings.JEL_RELEASE = "nextrelease"
    try:
        # A capture in progress: the new worker installs but waits.
        page.goto(f"{live_server.url}/visits/{visit.pk}/observe/")
        page.wait_for_function(
            "() => navigator.serviceWorker.getRegistration()"
            ".then((r) => Boolean(r && r.waiting))"
        )
        names = page.evaluate(CACHE_NAMES)
        assert any(f"-{first}-" in name for name in names)
        assert not any("-nextrelease-" in name for name in names)

        # The next visit: the new release answers, the old copies are gone.
        page.close()
        page = context.new_page()
        page.goto(f"{live_server.url}/")
        page.wait_for_function(
            "() => caches.keys().then((names) => "
            "names.some((n) => n.includes('-nextrelease-')))"
        )
        _wait_ready_offline(page)
        page.wait_for_function(
            f"() => caches.keys().then((names) => "
            f"!names.some((n) => n.includes('-{first}-')))"
        )
    finally:
        pwa.release_version.cache_clear()
