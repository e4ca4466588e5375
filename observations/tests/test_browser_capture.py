"""The demo teacher observes on a phone; a dropped connection loses nothing."""

import pytest
from django_scopes import scopes_disabled

from jel.demo import DEMO_PASSWORD, DEMO_TEACHER_EMAIL, seed_core
from jel.models import User
from observations.models import Evidence, Goal, Reflection
from observations.tests.factories import cycle_with_visit
from observations.tests.offline import kept_entries

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ENTRIES = [
    "Two students explained the target to each other",
    "A student asked which sentence was the claim",
    "Pairs rewrote their topic sentence without being asked",
]


@pytest.fixture
def todays_visit():
    school = seed_core()
    with scopes_disabled():
        tara = User.objects.get(email=DEMO_TEACHER_EMAIL)
        host = User.objects.get(email="lena.fischer@jefferson.example.org")
    return cycle_with_visit(school, host=host, observers=[tara])


def _wait_all_saved(page):
    page.get_by_text("All entries saved.").wait_for(timeout=15_000)


def test_teacher_observes_offline_and_every_entry_arrives_once(
    phone_page, live_server, todays_visit, browser_sign_in, screenshot, axe_violations
):
    page = phone_page
    browser_sign_in(page, DEMO_TEACHER_EMAIL, DEMO_PASSWORD)
    page.get_by_role("link", name="Observe Lena Fischer’s class").click()
    page.get_by_role("heading", name="Writing rounds").wait_for()

    page.get_by_role("button", name="Start").click()
    page.get_by_role("button", name="Stop").wait_for()
    page.wait_for_function(
        "() => document.getElementById('timer').textContent.trim() !== '0:00'",
        timeout=5_000,
    )

    tallies = page.locator(".tally-button")
    tallies.nth(0).click()
    tallies.nth(1).click()
    text_box = page.get_by_label("What did students do, say or make?")
    for text in ENTRIES[:2]:
        text_box.fill(text)
        page.get_by_text("Saying", exact=True).click()
        page.get_by_role("button", name="Save entry").click()
    _wait_all_saved(page)
    screenshot(page, "capture-phone")
    assert axe_violations(page) == []

    # Halfway through the third entry the words are a draft on the phone,
    # not an entry: nothing reaches the server until Save entry, and a reload
    # puts them back in the form. Then the Wi-Fi drops.
    first_half, second_half = ENTRIES[2][:20], ENTRIES[2][20:]
    text_box.fill(first_half)
    page.get_by_text("Draft kept on this phone").wait_for()
    page.wait_for_timeout(1_000)
    with scopes_disabled():
        assert not Evidence.objects.filter(text__startswith=first_half.strip()).exists()
    page.reload()
    page.get_by_text("Draft kept on this phone").wait_for()
    assert text_box.input_value() == first_half
    page.wait_for_load_state("networkidle")
    page.context.set_offline(True)
    text_box.press_sequentially(second_half)
    page.get_by_role("button", name="Save entry").click()
    page.get_by_text("kept on this phone").wait_for()
    screenshot(page, "capture-phone-offline")
    kept = [item["payload"].get("text") for item in kept_entries(page)]
    assert ENTRIES[2] in kept

    page.context.set_offline(False)
    _wait_all_saved(page)

    with scopes_disabled():
        texts = list(Evidence.objects.exclude(text="").values_list("text", flat=True))
        assert sorted(texts) == sorted(ENTRIES)
        assert Evidence.objects.filter(is_tally=True).count() == 2

    # Later the same day: a private reflection and a goal.
    page.goto(f"{live_server.url}/reflections/new/")
    page.get_by_label("Your reflection").fill("Talk moves worked for pairs.")
    page.get_by_role("button", name="Save reflection").click()
    page.get_by_text("Your reflection is saved.").wait_for()
    page.goto(f"{live_server.url}/goals/new/")
    page.get_by_label("What I will try in my classroom").fill(
        "Post sentence stems for partner talk"
    )
    page.get_by_role("button", name="Save goal").click()
    page.get_by_text("Your goal is set.").wait_for()
    screenshot(page, "goals-phone")

    with scopes_disabled():
        private = Reflection.objects.get(body="Talk moves worked for pairs.")
        assert private.visibility == "private"
        assert Goal.objects.filter(text__startswith="Post sentence stems").exists()

    page.context.clear_cookies()
    browser_sign_in(page, "samuel.okafor@jefferson.example.org", DEMO_PASSWORD)
    response = page.goto(f"{live_server.url}/reflections/{private.pk}/")
    assert response.status == 404  # not shared: as if it did not exist
    assert "Talk moves worked" not in page.content()


def test_home_reflection_and_goal_pages_read_well_on_a_phone(
    phone_page, live_server, todays_visit, browser_sign_in, screenshot, axe_violations
):
    import datetime

    from django.utils import timezone

    from observations.tests.factories import goal

    with scopes_disabled():
        tara = User.objects.get(email=DEMO_TEACHER_EMAIL)
    overdue = goal(
        tara,
        todays_visit.school,
        text="Exit tickets every day",
        follow_up_on=timezone.localdate() - datetime.timedelta(days=2),
    )
    page = phone_page
    browser_sign_in(page, DEMO_TEACHER_EMAIL, DEMO_PASSWORD)
    assert page.get_by_role("heading", name="Your visits this week").is_visible()
    assert page.get_by_text("Follow-up overdue since").is_visible()
    screenshot(page, "home-teacher-phone")
    assert axe_violations(page) == []
    for path, name in [
        ("/reflections/new/", "reflection-form-phone"),
        (f"/goals/{overdue.pk}/", "goal-check-in-phone"),
    ]:
        page.goto(f"{live_server.url}{path}")
        screenshot(page, name)
        assert axe_violations(page) == [], path
    page.get_by_text("Yes", exact=True).first.click()
    page.get_by_text("Partly", exact=True).click()
    page.get_by_label("Why or why not?").fill("Some days the bell beat me")
    page.get_by_role("button", name="Save check-in").click()
    page.get_by_text("Your check-in is saved.").wait_for()


def test_entries_wait_on_the_phone_when_the_session_has_ended(
    phone_page, live_server, todays_visit, browser_sign_in
):
    page = phone_page
    browser_sign_in(page, DEMO_TEACHER_EMAIL, DEMO_PASSWORD)
    capture_url = f"{live_server.url}/visits/{todays_visit.pk}/observe/"
    page.goto(capture_url)
    page.context.clear_cookies()
    page.get_by_label("What did students do, say or make?").fill(
        "Students timed each other reading aloud"
    )
    page.get_by_role("button", name="Save entry").click()
    page.get_by_text("Sign in again to send").wait_for()
    with scopes_disabled():
        assert not Evidence.objects.exists()

    browser_sign_in(page, DEMO_TEACHER_EMAIL, DEMO_PASSWORD)
    page.goto(capture_url)
    _wait_all_saved(page)
    with scopes_disabled():
        assert list(Evidence.objects.values_list("text", flat=True)) == [
            "Students timed each other reading aloud"
        ]


def test_host_thanks_wall_and_cycle_evidence_pass_axe(
    desktop_page,
    phone_page,
    live_server,
    todays_visit,
    browser_sign_in,
    screenshot,
    axe_violations,
):
    from observations.tests.factories import evidence

    with scopes_disabled():
        tara = User.objects.get(email=DEMO_TEACHER_EMAIL)
        look_for = todays_visit.cycle.look_fors.order_by("position").first()
    evidence(todays_visit, tara, ENTRIES[0], bright_spot=True, look_for=look_for)
    evidence(todays_visit, tara, ENTRIES[1], student_focus="saying")

    page = phone_page
    browser_sign_in(page, "lena.fischer@jefferson.example.org", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/evidence/my-room/")
    page.get_by_role("button", name="Add to the school’s wall").click()
    page.get_by_text("Added to the school’s wall of bright spots.").wait_for()
    screenshot(page, "my-room-phone")
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/bright-spots/")
    assert page.get_by_text(ENTRIES[0]).is_visible()
    assert axe_violations(page) == []

    browser_sign_in(desktop_page, "principal@jefferson.example.org", DEMO_PASSWORD)
    desktop_page.goto(f"{live_server.url}/evidence/cycle/{todays_visit.cycle_id}/")
    assert desktop_page.get_by_role("heading", name=look_for.text).is_visible()
    assert "Lena Fischer" not in desktop_page.content()
    screenshot(desktop_page, "cycle-evidence-principal-desktop")
    assert axe_violations(desktop_page) == []


def test_the_timer_warns_quietly_at_the_planned_minutes(
    phone_page, live_server, todays_visit, browser_sign_in
):
    page = phone_page  # its clock is Playwright's (conftest._page): run_for drives it
    browser_sign_in(page, DEMO_TEACHER_EMAIL, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/visits/{todays_visit.pk}/observe/")
    page.get_by_role("button", name="Start").click()
    timer = page.locator("#timer")
    page.clock.run_for("14:30")
    assert "timer-over" not in (timer.get_attribute("class") or "")
    page.clock.run_for("00:40")
    assert timer.text_content().strip().startswith("15:")
    assert "timer-over" in timer.get_attribute("class")
    assert page.get_by_text("The planned 15 minutes are up.").is_visible()
    # Typing still works while the timer runs over.
    box = page.get_by_label("What did students do, say or make?")
    box.fill("Students kept writing after the bell")
    assert box.input_value() == "Students kept writing after the bell"


def test_judging_words_get_a_quiet_nudge_while_typing(
    phone_page, live_server, todays_visit, browser_sign_in
):
    page = phone_page
    browser_sign_in(page, DEMO_TEACHER_EMAIL, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/visits/{todays_visit.pk}/observe/")
    box = page.get_by_label("What did students do, say or make?")
    box.fill("Great discussion, the best pairs")
    nudge = page.locator("#nudge")
    nudge.get_by_text("You wrote “great, best”").wait_for()
    assert "describing what students were doing" in nudge.text_content()
    # A nudge, never a block: the entry is saved as written.
    page.get_by_role("button", name="Save entry").click()
    _wait_all_saved(page)
    with scopes_disabled():
        assert Evidence.objects.get().text == "Great discussion, the best pairs"
    box.fill("Pairs compared their claims")
    page.wait_for_function("() => document.getElementById('nudge').hidden")
    assert page.get_by_text("Draft kept on this phone").is_visible()


def test_observer_before_the_start_then_records_edits_deletes_and_loses_nothing(
    phone_page,
    desktop_page,
    live_server,
    suite_clock,
    browser_sign_in,
    screenshot,
    axe_violations,
):
    """Item 8 on a phone: refused kindly before the start; at the start the
    observer records, edits and deletes an entry; offline and a refusal by the
    server lose nothing; Stop says the observation is finished."""
    import datetime as dt

    from jel.tests.clock import NEW_YORK

    school = seed_core()
    with scopes_disabled():
        tara = User.objects.get(email=DEMO_TEACHER_EMAIL)
        host = User.objects.get(email="lena.fischer@jefferson.example.org")
    visit = cycle_with_visit(
        school,
        host=host,
        observers=[tara],
        day=dt.date(2026, 12, 1),
        at=dt.time(9, 15),
    )
    url = f"{live_server.url}/visits/{visit.pk}/observe/"
    page = phone_page
    browser_sign_in(page, DEMO_TEACHER_EMAIL, DEMO_PASSWORD)
    page.goto(url)
    page.get_by_text(
        "This visit starts at 09:15 on Tuesday 1 December; come back then."
    ).wait_for()
    assert page.get_by_text("Students explain their thinking").is_visible()
    assert page.get_by_role("button", name="Save entry").count() == 0
    screenshot(page, "capture-before-start-phone")
    assert axe_violations(page) == []

    start = dt.datetime(2026, 12, 1, 9, 16, tzinfo=NEW_YORK)
    suite_clock.move_to(start)
    page.clock.set_system_time(start)
    # A day on, the session has ended: sign in again, as a person would.
    browser_sign_in(page, DEMO_TEACHER_EMAIL, DEMO_PASSWORD)
    page.goto(url)
    page.get_by_role("button", name="Start").click()
    text_box = page.get_by_label("What did students do, say or make?")
    text_box.fill("Students argueed about the claim")
    page.get_by_role("button", name="Save entry").click()
    page.get_by_text("All entries saved.").wait_for()
    # The new entry shows the school's time (the phone is set to New York too,
    # so compare with what the server writes after a reload).
    shown = page.locator("#entries li time").first.text_content()
    page.get_by_role("link", name="Edit").first.click()
    page.get_by_role("heading", name="Change an entry").wait_for()
    screenshot(page, "capture-edit-phone")
    assert axe_violations(page) == []
    page.get_by_label("What did students do, say or make?").fill(
        "Students argued about the claim"
    )
    page.get_by_role("button", name="Save changes").click()
    page.get_by_text("Entry changed.").wait_for()
    assert page.locator("#entries li time").first.text_content() == shown
    with scopes_disabled():
        assert list(Evidence.objects.values_list("text", flat=True)) == [
            "Students argued about the claim"
        ]
    text_box.fill("A stray entry")
    page.get_by_role("button", name="Save entry").click()
    page.get_by_text("All entries saved.").wait_for()
    page.reload()
    page.get_by_role("link", name="Edit").first.click()
    page.get_by_role("button", name="Delete this entry").click()
    page.get_by_text("Entry deleted.").wait_for()
    with scopes_disabled():
        assert not Evidence.objects.filter(text="A stray entry").exists()

    # Offline: typed and saved, kept on the phone.
    page.wait_for_load_state("networkidle")
    page.context.set_offline(True)
    text_box.fill("Pairs swapped drafts without being asked")
    page.get_by_role("button", name="Save entry").click()
    page.get_by_text("kept on this phone").wait_for()
    # Back online, the server refuses the next entry once (400): it stays,
    # with the server's reason, to copy or put back in the form.
    refusals = []

    def refuse_once(route):
        if refusals:
            route.continue_()
            return
        refusals.append(route.request.post_data)
        route.fulfill(
            status=400,
            content_type="application/json",
            body='{"text": ["Choose one of this cycle\'s look-fors."]}',
        )

    page.route("**/api/v1/evidence/", refuse_once)
    page.context.set_offline(False)
    page.get_by_text("Not saved: Choose one of this cycle").wait_for()
    page.get_by_text("1 entry was not saved").wait_for()
    screenshot(page, "capture-refused-phone")
    assert axe_violations(page) == []
    page.reload()
    page.get_by_text("Not saved: Choose one of this cycle").wait_for()
    page.get_by_role("button", name="Put back in the form to fix").click()
    assert text_box.input_value() == "Pairs swapped drafts without being asked"
    page.get_by_role("button", name="Save entry").click()
    page.get_by_text("All entries saved.").wait_for()
    with scopes_disabled():
        assert (
            Evidence.objects.filter(
                text="Pairs swapped drafts without being asked"
            ).count()
            == 1
        )

    page.get_by_role("button", name="Stop").click()
    page.get_by_role("heading", name="Observation finished at").wait_for()
    assert page.get_by_role("link", name="Write a reflection", exact=True).is_visible()
    screenshot(page, "capture-finished-phone")
    assert axe_violations(page) == []

    desktop = desktop_page
    desktop.clock.set_system_time(start)
    browser_sign_in(desktop, DEMO_TEACHER_EMAIL, DEMO_PASSWORD)
    desktop.goto(url)
    desktop.get_by_role("heading", name="Observation finished at").wait_for()
    screenshot(desktop, "capture-finished-desktop")
    assert axe_violations(desktop) == []
