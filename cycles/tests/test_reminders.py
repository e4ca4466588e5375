"""A cycle keeps its debrief and reflection reminders in step with it."""

import datetime as dt

import time_machine
from django.utils import timezone

from cycles import services
from cycles.models import Debrief
from cycles.tests.test_services import micro, rounds
from jel import tasks
from jel.models import Reminder, ReminderKind, ReminderState


def _pending(kind):
    return {
        (r.recipient.full_name, r.due_at)
        for r in Reminder.objects.filter(kind=kind, state=ReminderState.PENDING)
    }


def test_a_draft_reminds_nobody(scoped, teachers, ready_problem, visit_day):
    rounds(scoped, teachers, ready_problem, visit_day)
    assert not Reminder.objects.filter(about__startswith="debrief:").exists()


def test_rounds_remind_the_facilitator_when_visits_end_and_everyone_to_reflect(
    scoped, teachers, ready_problem, visit_day
):
    cycle = rounds(scoped, teachers, ready_problem, visit_day, schedule=True)
    last_end = max(v.booking.ends_at for v in cycle.visits.select_related("booking"))
    assert _pending(ReminderKind.DEBRIEF_DUE) >= {("Cora Coach", last_end)}
    prompts = _pending(ReminderKind.REFLECTION_PROMPT)
    afternoon = dt.datetime.combine(visit_day, dt.time(15, 30), tzinfo=scoped.school.tz)
    names = {name for name, due in prompts if due == afternoon}
    assert {"Olga Old", "Vera Veteran", "Nia New", "Ned Novice", "Sam Science"} <= names


def test_micro_debrief_nudges_at_20_hours_then_is_overdue_at_24_to_the_observer(
    scoped, teachers, ready_problem, visit_day
):
    cycle = micro(scoped, teachers, visit_day, [ready_problem.look_fors.first()])
    services.cycle_schedule(cycle=cycle, by=scoped.coach)
    debrief = Debrief.objects.get(cycle=cycle)
    nudge = debrief.due_at - dt.timedelta(hours=4)
    assert _pending(ReminderKind.DEBRIEF_DUE) == {
        ("Nia New", nudge),
        ("Cora Coach", nudge),
    }
    assert _pending(ReminderKind.DEBRIEF_OVERDUE) == {("Nia New", debrief.due_at)}
    overdue = Reminder.objects.get(kind=ReminderKind.DEBRIEF_OVERDUE)
    assert overdue.is_deadline  # not held back by quiet hours


def test_holding_the_debrief_cancels_its_reminders(
    scoped, teachers, ready_problem, visit_day
):
    cycle = micro(scoped, teachers, visit_day, [ready_problem.look_fors.first()])
    services.cycle_schedule(cycle=cycle, by=scoped.coach)
    debrief = Debrief.objects.get(cycle=cycle)
    with time_machine.travel(debrief.due_at - dt.timedelta(hours=6)):
        services.debrief_record(
            debrief=debrief, by=scoped.coach, held_at=timezone.now(), reflection="ok"
        )
    about = f"debrief:{debrief.pk}"
    states = set(Reminder.objects.filter(about=about).values_list("state", flat=True))
    assert states == {ReminderState.CANCELLED}


def test_cancelling_the_cycle_cancels_every_reminder_it_derived(
    scoped, teachers, ready_problem, visit_day
):
    cycle = rounds(scoped, teachers, ready_problem, visit_day, schedule=True)
    services.cycle_transition(cycle=cycle, to_status="cancelled", by=scoped.principal)
    assert not Reminder.objects.filter(state=ReminderState.PENDING).exists()


def test_the_overdue_micro_debrief_is_emailed_to_the_observer(
    scoped,
    teachers,
    ready_problem,
    visit_day,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    cycle = micro(scoped, teachers, visit_day, [ready_problem.look_fors.first()])
    services.cycle_schedule(cycle=cycle, by=scoped.coach)
    debrief = Debrief.objects.get(cycle=cycle)
    Reminder.objects.exclude(kind=ReminderKind.DEBRIEF_OVERDUE).update(
        state=ReminderState.CANCELLED
    )
    with (
        time_machine.travel(debrief.due_at + dt.timedelta(minutes=1)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        tasks.send_due_reminders()
    assert [m.subject for m in mailoutbox] == ["Debrief overdue: Quick look"]
    assert mailoutbox[0].to == [teachers["new_math"].email]


def test_micro_nudge_is_dropped_on_a_day_without_school_but_overdue_still_comes(
    scoped, teachers, ready_problem
):
    friday = dt.date(2026, 12, 4)  # the nudge, 20 hours on, falls on Saturday
    cycle = micro(scoped, teachers, friday, [ready_problem.look_fors.first()])
    services.cycle_schedule(cycle=cycle, by=scoped.coach)
    debrief = Debrief.objects.get(cycle=cycle)
    assert _pending(ReminderKind.DEBRIEF_DUE) == set()
    assert _pending(ReminderKind.DEBRIEF_OVERDUE) == {("Nia New", debrief.due_at)}
