"""The fixed cast every access test uses.

Jefferson has a principal, a coach, a teacher (who takes part in cycles in later
tests), an outsider teacher who takes part in nothing, and a district user.
Lincoln is another school with its own principal and teacher.
"""

import contextlib
import datetime
import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import time_machine
from django_scopes import scope, scopes_disabled

from jel.models import Role, School, User
from jel.tests.clock import SUITE_NOW
from jel.tests.factories import TEST_PASSWORD, DistrictFactory, SchoolFactory, staff


@pytest.fixture(autouse=True, scope="session")
def flush_by_delete_on_postgresql():
    """After a test that really commits (transactional and browser tests), Django
    empties every table with one TRUNCATE: on PostgreSQL that makes new files for
    ~90 tables and their indexes, 2-3 s a test, and its exclusive locks can
    deadlock with a live-server request still reading. DELETE of the few rows a
    test leaves takes 20 ms and only row locks; the foreign keys are deferred to
    the end of flush's transaction, so the order of the tables does not matter.
    A flush that resets sequences keeps Django's own statements."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    original = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade:
            return original(
                self,
                style,
                tables,
                reset_sequences=reset_sequences,
                allow_cascade=allow_cascade,
            )
        # Table names come from Django's own introspection, quoted.
        return [f"DELETE FROM {self.quote_name(table)};" for table in tables]  # noqa: S608

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = original


@pytest.fixture(autouse=True)
def suite_clock(request):
    """Every test starts at SUITE_NOW (the clock then ticks) unless it is marked
    wall_clock; nothing in the suite reads the machine's date."""
    if request.node.get_closest_marker("wall_clock"):
        yield None
        return
    with time_machine.travel(SUITE_NOW, tick=True) as traveller:
        yield traveller


@dataclass
class Cast:
    school: School
    other_school: School
    principal: User
    coach: User
    teacher: User
    outsider: User
    district: User
    other_principal: User
    other_teacher: User
    objects: dict = field(default_factory=dict)


@pytest.fixture
def cast(db) -> Cast:
    district = DistrictFactory(name="Test District")
    school = SchoolFactory(district=district, name="Jefferson Test Middle")
    other = SchoolFactory(district=district, name="Lincoln Test Middle")
    return Cast(
        school=school,
        other_school=other,
        principal=staff(
            school, Role.PRINCIPAL, full_name="Pat Principal", department=""
        ),
        coach=staff(school, Role.COACH, full_name="Cora Coach"),
        teacher=staff(school, Role.TEACHER, full_name="Terry Teacher", years=1),
        outsider=staff(school, Role.TEACHER, full_name="Olive Outsider", years=12),
        district=staff(school, Role.DISTRICT, full_name="Dee District"),
        other_principal=staff(other, Role.PRINCIPAL, full_name="Otto Otherprincipal"),
        other_teacher=staff(other, Role.TEACHER, full_name="Ona Otherteacher"),
    )


@pytest.fixture
def login(client):
    """login(user) signs the test client in as user and returns it."""

    def _login(user):
        assert client.login(email=user.email, password=TEST_PASSWORD)
        return client

    return _login


@pytest.fixture
def in_school(cast):
    """Run the test body inside the cast school's scope (as a request would)."""
    with scope(school=cast.school):
        yield cast.school


@pytest.fixture
def unscoped():
    with scopes_disabled():
        yield


# --- Browser tests ------------------------------------------------------------
# Playwright for Python drives Debian's Chromium (never a downloaded browser).
# Under CI=true a missing browser fails the run; on a laptop it skips with a hint.

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
ARTIFACTS = Path(__file__).parent / "test-artifacts"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} is missing: apt-get install chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; the ORM calls the
    # tests make around it are still plain synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    # Chromium keeps the machine's real clock even when the suite runs under
    # Debian's faketime (its libraries clash with libfaketime); pages get the
    # suite's clock from Playwright instead (see _page).
    real_clock_env = {
        k: v for k, v in os.environ.items() if k not in ("LD_PRELOAD", "FAKETIME")
    }
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            headless=True,
            env=real_clock_env,
        )
        yield chromium
        chromium.close()


def _page(browser, viewport, **options):
    # Reduced motion: Bootstrap then drops its 0.15 s colour transitions, so axe
    # never measures a button's contrast halfway between hover and rest.
    options.setdefault("reduced_motion", "reduce")
    # The installable app's service worker would keep pages between a test's
    # steps; only the offline tests allow it (phone_app_page).
    options.setdefault("service_workers", "block")
    context = browser.new_context(viewport=viewport, **options)
    # The page's Date starts where the server's clock stands (the suite clock,
    # or wherever the test travelled) and then runs on; timers run as usual.
    context.clock.install(time=datetime.datetime.now(datetime.UTC))
    # Generous: CI runs two test processes and Chromium on two cores.
    context.set_default_timeout(30_000)
    page = context.new_page()
    return context, page


def _close(context, page):
    # Let the page's last requests (an htmx check, a swap) finish first: on
    # PostgreSQL the test's flush of every table would otherwise deadlock with
    # a live-server request still reading them.
    from playwright.sync_api import Error as PlaywrightError

    # A page that never settles (or is already closed) is closed anyway.
    with contextlib.suppress(PlaywrightError):
        page.wait_for_load_state("networkidle", timeout=10_000)
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    context, page = _page(browser, PHONE, is_mobile=True, has_touch=True)
    yield page
    _close(context, page)


@pytest.fixture
def phone_app_page(browser, live_server):
    """A phone with the service worker allowed: the installable, offline app."""
    context, page = _page(
        browser, PHONE, is_mobile=True, has_touch=True, service_workers="allow"
    )
    yield page
    _close(context, page)


@pytest.fixture
def desktop_page(browser, live_server):
    context, page = _page(browser, DESKTOP)
    yield page
    _close(context, page)


@pytest.fixture
def browser_sign_in(live_server):
    """browser_sign_in(page, email, password) signs in through the real form."""

    def _sign_in(page, email, password=TEST_PASSWORD):
        page.goto(f"{live_server.url}/accounts/sign-in/")
        page.get_by_label("School e-mail").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state("networkidle")

    return _sign_in


@pytest.fixture
def screenshot():
    """screenshot(page, name) saves test-artifacts/screenshots/<name>.png to look at."""

    def _shot(page, name):
        folder = ARTIFACTS / "screenshots"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _shot


@pytest.fixture
def axe_violations():
    """axe_violations(page) -> serious or critical axe-core violations on the page."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def _check(page):
        results = axe.run(page)
        return [
            f"{v['id']} ({v['impact']}): {v['help']} at "
            f"{[node['target'] for node in v['nodes']][:3]}"
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]

    return _check
