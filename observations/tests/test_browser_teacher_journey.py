"""A teacher's whole visit on a phone: from home to the capture page, a timed
observation with a tally and evidence, finished; a private reflection and a
goal; two weeks later the follow-up notice leads to the goal's check-in."""

import datetime as dt

import pytest
from django_scopes import scopes_disabled

from jel import services as jel_services
from jel.demo import DEMO_PASSWORD, DEMO_TEACHER_EMAIL, seed_core
from jel.models import Reminder, ReminderKind, User
from observations.models import Evidence, Goal, GoalCheckIn, Reflection
from observations.tests.factories import cycle_with_visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
EVIDENCE = "Two students explained the target to each other"
GOAL = "Post sentence stems for partner talk"


@pytest.fixture
def todays_visit():
    school = seed_core()
    with scopes_disabled():
        tara = User.objects.get(email=DEMO_TEACHER_EMAIL)
        host = User.objects.get(email="lena.fischer@jefferson.example.org")
    return cycle_with_visit(school, host=host, observers=[tara])


def test_a_teacher_observes_reflects_sets_a_goal_and_checks_in_two_weeks_on(
    phone_page,
    live_server,
    todays_visit,
    suite_clock,
    browser_sign_in,
    screenshot,
    axe_violations,
):
    page = phone_page
    browser_sign_in(page, DEMO_TEACHER_EMAIL, DEMO_PASSWORD)
    page.get_by_role("link", name="Observe Lena Fischer’s class").click()
    page.get_by_role("heading", name="Writing rounds").wait_for()

    page.get_by_role("button", name="Start").click()
    page.get_by_role("button", name="Stop").wait_for()
    tally = page.locator(".tally-button").first
    tally.click()
    tally.locator(".tally-count").get_by_text("1").wait_for()
    page.get_by_label("What did students do, say or make?").fill(EVIDENCE)
    page.get_by_role("button", name="Save entry").click()
    page.get_by_text("All entries saved.").wait_for(timeout=15_000)
    page.get_by_role("button", name="Stop").click()
    finished = page.get_by_role("heading", name="Observation finished")
    finished.wait_for()
    assert page.get_by_role("button", name="Resume").is_visible()
    write = page.get_by_role("link", name="Write a reflection")
    assert write.first.is_visible()
    assert axe_violations(page) == []
    screenshot(page, "journey-capture-finished-phone")
    with scopes_disabled():
        assert Evidence.objects.filter(text=EVIDENCE).count() == 1
        assert Evidence.objects.filter(is_tally=True).count() == 1

    write.first.click()
    page.get_by_label("Your reflection").fill("Partner talk worked once modelled.")
    page.get_by_role("button", name="Save reflection").click()
    page.get_by_text("Your reflection is saved.").wait_for()
    page.goto(f"{live_server.url}/goals/new/")
    page.get_by_label("What I will try in my classroom").fill(GOAL)
    page.get_by_role("button", name="Save goal").click()
    page.get_by_text("Your goal is set.").wait_for()
    with scopes_disabled():
        reflection = Reflection.objects.get(body="Partner talk worked once modelled.")
        assert reflection.visibility == "private"  # nobody else reads it
        assert reflection.visit_id == todays_visit.pk
        goal = Goal.objects.get(text=GOAL)
        assert goal.follow_up_on == todays_visit.date + dt.timedelta(days=14)
        (notice,) = Reminder.objects.filter(
            kind=ReminderKind.GOAL_FOLLOW_UP, recipient=goal.owner
        ).order_by("due_at")[:1]
        assert notice.due_at.date() >= goal.follow_up_on

    # Two weeks on, the follow-up notice is delivered.
    later = notice.due_at + dt.timedelta(minutes=5)
    suite_clock.move_to(later)
    page.clock.set_system_time(later)
    with scopes_disabled():
        for pk in jel_services.reminders_claim_due():
            jel_services.reminder_deliver(reminder_id=pk)
        assert Reminder.objects.get(pk=notice.pk).state == "sent"
    # A session lasts a school day: two weeks on, the teacher signs in again.
    browser_sign_in(page, DEMO_TEACHER_EMAIL, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/notifications/")
    page.get_by_text("How did your goal go?").first.wait_for()
    assert axe_violations(page) == []
    screenshot(page, "journey-notifications-phone")
    page.get_by_role("button", name="Open How did your goal go?").first.click()
    page.get_by_role("button", name="Save check-in").wait_for()
    assert f"/goals/{goal.pk}/" in page.url
    page.get_by_text("Yes", exact=True).first.click()
    page.get_by_text("Partly", exact=True).click()
    page.get_by_label("Why or why not?").fill("Some pairs still needed a prompt")
    page.get_by_role("button", name="Save check-in").click()
    page.get_by_text("Your check-in is saved.").wait_for()
    with scopes_disabled():
        assert GoalCheckIn.objects.filter(
            goal=goal, why="Some pairs still needed a prompt"
        ).exists()
