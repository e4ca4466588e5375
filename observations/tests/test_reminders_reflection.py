"""The reflection prompt after a visit: derived by observations, kept in step by
the cycle (moved from cycles/tests/test_reminders.py)."""

import datetime as dt

from cycles import services
from cycles.tests import conftest as cycle_fixtures
from cycles.tests.test_services import rounds
from jel.models import Reminder, ReminderKind, ReminderState

# The cycles tests' cast: six teachers with a timetable, a sound problem.
scoped = cycle_fixtures.scoped
teachers = cycle_fixtures.teachers
ready_problem = cycle_fixtures.ready_problem
visit_day = cycle_fixtures.visit_day

EVERYONE = {"Olga Old", "Vera Veteran", "Nia New", "Ned Novice", "Sam Science"}


def _pending(kind):
    return {
        (r.recipient.full_name, r.due_at)
        for r in Reminder.objects.filter(kind=kind, state=ReminderState.PENDING)
    }


def test_rounds_prompt_everyone_to_reflect_in_the_afternoon(
    scoped, teachers, ready_problem, visit_day
):
    rounds(scoped, teachers, ready_problem, visit_day, schedule=True)
    prompts = _pending(ReminderKind.REFLECTION_PROMPT)
    afternoon = dt.datetime.combine(visit_day, dt.time(15, 30), tzinfo=scoped.school.tz)
    names = {name for name, due in prompts if due == afternoon}
    assert names >= EVERYONE


def test_the_prompt_is_about_the_visit_and_links_to_a_reflection_on_it(
    scoped, teachers, ready_problem, visit_day
):
    cycle = rounds(scoped, teachers, ready_problem, visit_day, schedule=True)
    visit = cycle.visits.order_by("starts_at").first()
    prompt = Reminder.objects.filter(
        kind=ReminderKind.REFLECTION_PROMPT, recipient=teachers["old_math"]
    ).get(about=f"visit-reflection:{visit.pk}")
    assert prompt.subject == "A few minutes to reflect: Writing rounds"
    assert prompt.link.endswith(f"?visit={visit.pk}")


def test_a_draft_prompts_nobody_and_cancelling_withdraws_the_prompts(
    scoped, teachers, ready_problem, visit_day
):
    draft = rounds(scoped, teachers, ready_problem, visit_day)
    assert not Reminder.objects.filter(about__startswith="visit-reflection:").exists()
    services.cycle_schedule(cycle=draft, by=scoped.principal)
    assert _pending(ReminderKind.REFLECTION_PROMPT)
    services.cycle_transition(cycle=draft, to_status="cancelled", by=scoped.principal)
    assert not _pending(ReminderKind.REFLECTION_PROMPT)
