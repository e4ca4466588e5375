"""No flood: a block of visits is one notice of each kind, a day has a cap, and
folding keeps every notice exactly once (issue 15, item 7)."""

import datetime as dt
from collections import Counter

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from cycles import services as cycle_services
from cycles.reminders import cycle_reminders_sync
from cycles.tests import conftest as cycles_fixtures
from jel import services
from jel.models import Reminder, ReminderKind, ReminderState, ReminderTimings
from jel.services import ReminderSpec, reminders_sync, school_time

teachers = cycles_fixtures.teachers
ready_problem = cycles_fixtures.ready_problem
THURSDAY = dt.date(2026, 12, 3)


def run_reminders_until(end: dt.datetime) -> list[str]:
    """The worker's claim-and-deliver at each moment something falls due."""
    outcomes = []
    with scopes_disabled():
        while True:
            due = (
                Reminder.objects.filter(state=ReminderState.PENDING)
                .order_by("send_after")
                .values_list("send_after", flat=True)
                .first()
            )
            if due is None or due > end:
                return outcomes
            for pk in services.reminders_claim_due(now=due):
                outcomes.append(services.reminder_deliver(reminder_id=pk, now=due))


def received(user) -> Counter:
    """The notices a person got, by kind: what the notifications page lists."""
    with scopes_disabled():
        return Counter(
            Reminder.objects.filter(
                recipient=user, state=ReminderState.SENT
            ).values_list("kind", flat=True)
        )


@pytest.fixture
def rounds(cast, teachers, ready_problem):  # noqa: F811
    """A rounds block: two observers visit three classrooms in one period."""
    with scope(school=cast.school):
        return cycle_services.cycle_create(
            school=cast.school,
            by=cast.principal,
            kind="rounds",
            title="Writing rounds",
            problem_of_practice=ready_problem,
            facilitator=cast.coach,
            hosts=[teachers["old_math"], teachers["old_ela"], teachers["mid_ss"]],
            observers=[teachers["new_math"], teachers["new_ela"]],
            look_fors=list(ready_problem.look_fors.all()),
            visit_date=THURSDAY,
            start_time=dt.time(9, 0),
            minutes=10,
            debrief_at=dt.datetime(2026, 12, 3, 15, 0, tzinfo=cast.school.tz),
            schedule=True,
        )


def test_an_observer_gets_one_notice_of_each_kind_for_a_block(
    rounds, cast, teachers, django_capture_on_commit_callbacks
):
    end = dt.datetime(2026, 12, 3, 18, 0, tzinfo=cast.school.tz)
    with django_capture_on_commit_callbacks(execute=True):
        run_reminders_until(end)
    for observer in (teachers["new_math"], teachers["new_ela"]):
        got = received(observer)
        # Before folding: three of each (a tomorrow, a soon, a prompt a visit).
        assert got[ReminderKind.VISIT_TOMORROW] == 1
        assert got[ReminderKind.VISIT_SOON] == 1
        assert got[ReminderKind.REFLECTION_PROMPT] == 1
        with scopes_disabled():
            soon = Reminder.objects.get(
                recipient=observer,
                kind=ReminderKind.VISIT_SOON,
                state=ReminderState.SENT,
            )
        assert (
            soon.subject == "In 15 minutes: Instructional rounds: Writing rounds"
            " (3 visits)"
        )
        assert len(soon.items) == 3
        assert all(item["link"].endswith("/observe/") for item in soon.items)
        assert len({item["link"] for item in soon.items}) == 3
        # One e-mail each, with every visit's link in it.
        (email,) = [
            m for m in mail.outbox if m.to == [observer.email] and "In 15" in m.subject
        ]
        for item in soon.items:
            assert item["link"] in email.body


def test_deriving_again_after_delivery_sends_nothing_again(
    rounds, cast, django_capture_on_commit_callbacks
):
    end = dt.datetime(2026, 12, 3, 18, 0, tzinfo=cast.school.tz)
    with django_capture_on_commit_callbacks(execute=True):
        run_reminders_until(dt.datetime(2026, 12, 3, 8, 50, tzinfo=cast.school.tz))
        sent = len(mail.outbox)
        with scope(school=cast.school):
            # The same times saved again, and the cycle derived again.
            services.reminder_timings_save(
                timings=ReminderTimings.for_school(cast.school)
            )
            cycle_reminders_sync(rounds)
        with scopes_disabled():
            assert not Reminder.objects.filter(
                state=ReminderState.PENDING,
                due_at__lte=dt.datetime(2026, 12, 3, 8, 50, tzinfo=cast.school.tz),
            ).exists()
        run_reminders_until(dt.datetime(2026, 12, 3, 8, 50, tzinfo=cast.school.tz))
        assert len(mail.outbox) == sent
        run_reminders_until(end)
    with scopes_disabled():
        kinds = Counter(
            (r.recipient_id, r.kind, r.fold_key)
            for r in Reminder.objects.filter(state=ReminderState.SENT)
            if r.fold_key
        )
    assert set(kinds.values()) == {1}


def _goal_notices(cast, count, *, due, deadline_at=None):
    with scope(school=cast.school):
        for n in range(count):
            reminders_sync(
                school=cast.school,
                about=f"test-goal:{n}",
                wanted=[
                    ReminderSpec(
                        kind=ReminderKind.GOAL_FOLLOW_UP,
                        recipient=cast.teacher,
                        due_at=due + dt.timedelta(minutes=n),
                        subject=f"How did goal {n} go?",
                        body="Check in.",
                        link=reverse("observations:goals"),
                    )
                ],
            )
        if deadline_at:
            reminders_sync(
                school=cast.school,
                about="test-deadline",
                wanted=[
                    ReminderSpec(
                        kind=ReminderKind.DEBRIEF_OVERDUE,
                        recipient=cast.teacher,
                        due_at=deadline_at,
                        subject="Debrief overdue",
                        body="Meet and record it.",
                        is_deadline=True,
                    )
                ],
            )


def test_past_the_daily_cap_notices_wait_in_one_more_today(cast, login):
    ReminderTimings.objects.create(school=cast.school, daily_cap=3)
    morning = school_time(cast.school, dt.date(2026, 11, 30), dt.time(8, 0))
    _goal_notices(cast, 6, due=morning, deadline_at=morning + dt.timedelta(hours=1))
    outcomes = run_reminders_until(morning + dt.timedelta(hours=12))
    assert outcomes.count("folded into more today") == 4
    got = received(cast.teacher)
    # Two on their own, the deadline on its own, and one "more today".
    assert got == {
        ReminderKind.GOAL_FOLLOW_UP: 2,
        ReminderKind.DEBRIEF_OVERDUE: 1,
        ReminderKind.MORE_TODAY: 1,
    }
    with scopes_disabled():
        more = Reminder.objects.get(kind=ReminderKind.MORE_TODAY)
        folded = Reminder.objects.filter(folded_into=more)
        assert folded.count() == 4
    assert more.due_at == school_time(cast.school, dt.date(2026, 11, 30), dt.time(17))
    assert [item["text"] for item in more.items] == [
        f"How did goal {n} go?" for n in (2, 3, 4, 5)
    ]
    with time_machine.travel(morning + dt.timedelta(hours=10)):
        page = login(cast.teacher).get(reverse("notifications")).content.decode()
    # Two on their own (subject and the Open button's name), four inside.
    assert page.count("How did goal") == 2 * 2 + 4
    assert "here are 4 more" in page


def test_the_cap_is_a_school_setting_with_a_clear_error(cast, login):
    client = login(cast.principal)
    response = client.post(
        reverse("reminder_timings"),
        {
            "visit_tomorrow_at": "16:00",
            "visit_soon_minutes": "15",
            "reflection_prompt_at": "15:30",
            "micro_debrief_nudge_hours": "20",
            "follow_up_at": "07:30",
            "follow_up_again_days": "3",
            "digest_at": "07:00",
            "daily_cap": "1",
            "more_today_at": "17:00",
        },
    )
    assert response.status_code == 200
    assert "Nothing was saved" in response.content.decode()
    with scopes_disabled():
        assert not ReminderTimings.objects.filter(school=cast.school).exists()


def test_a_walker_gets_one_notice_of_each_kind_for_a_walk(
    cast,
    teachers,
    ready_problem,
    django_capture_on_commit_callbacks,  # noqa: F811
):
    walkers = [teachers["new_math"], teachers["new_ela"], teachers["mid_sci"]]
    with scope(school=cast.school):
        walk = cycle_services.cycle_create(
            school=cast.school,
            by=cast.principal,
            kind="walk",
            title="Discourse walk",
            facilitator=cast.coach,
            hosts=[teachers["old_math"], teachers["old_ela"], teachers["mid_ss"]],
            observers=walkers,
            initiative="Student discourse",
            group_size=3,
            visit_date=THURSDAY,
            start_time=dt.time(9, 0),
            minutes=10,
            debrief_at=dt.datetime(2026, 12, 3, 15, 0, tzinfo=cast.school.tz),
            schedule=True,
        )
    with scopes_disabled():
        before = Counter(
            r.recipient_id
            for r in Reminder.objects.filter(recipient__in=walkers)
            if r.kind in FOLDED_KINDS
        )
    end = dt.datetime(2026, 12, 3, 18, 0, tzinfo=cast.school.tz)
    with django_capture_on_commit_callbacks(execute=True):
        run_reminders_until(end)
    with scopes_disabled():
        assert walk.visits.count() >= 3
    for walker in walkers:
        got = received(walker)
        assert before[walker.pk] >= 6  # two or more visits: a pair of each before
        assert all(got[kind] == 1 for kind in FOLDED_KINDS), got


FOLDED_KINDS = (
    ReminderKind.VISIT_TOMORROW,
    ReminderKind.VISIT_SOON,
    ReminderKind.REFLECTION_PROMPT,
)


def test_minutes_and_hours_agree_with_their_number():
    from scheduling.reminders import _minutes_text

    assert _minutes_text(1) == "1 minute"
    assert _minutes_text(15) == "15 minutes"
    assert _minutes_text(60) == "1 hour"
    assert _minutes_text(120) == "2 hours"
