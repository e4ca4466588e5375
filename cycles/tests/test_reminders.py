"""A cycle keeps its debrief reminders in step with it.

(The reflection prompt after a visit is observations': see
observations/tests/test_reminders_reflection.py.)"""

import datetime as dt

import time_machine
from django.utils import timezone

from cycles import services
from cycles.models import Debrief
from cycles.tests.test_services import micro, rounds
from jel import registry, tasks
from jel.models import Reminder, ReminderKind, ReminderState, ReminderTimings


def _pending(kind):
    return {
        (r.recipient.full_name, r.due_at)
        for r in Reminder.objects.filter(kind=kind, state=ReminderState.PENDING)
    }


def test_a_draft_reminds_nobody(scoped, teachers, ready_problem, visit_day):
    rounds(scoped, teachers, ready_problem, visit_day)
    assert not Reminder.objects.filter(about__startswith="debrief:").exists()


def test_rounds_remind_the_facilitator_when_visits_end(
    scoped, teachers, ready_problem, visit_day
):
    cycle = rounds(scoped, teachers, ready_problem, visit_day, schedule=True)
    last_end = max(v.booking.ends_at for v in cycle.visits.select_related("booking"))
    assert _pending(ReminderKind.DEBRIEF_DUE) >= {("Cora Coach", last_end)}


def test_micro_debrief_nudges_at_20_hours_then_is_overdue_at_24_to_both(
    scoped, teachers, ready_problem, visit_day
):
    cycle = micro(scoped, teachers, visit_day, [ready_problem.look_fors.first()])
    services.cycle_schedule(cycle=cycle, by=scoped.coach)
    debrief = Debrief.objects.get(cycle=cycle)
    nudge = debrief.due_at - dt.timedelta(hours=4)
    # Its own kind (issue 14): opting out of one notice no longer silences three.
    assert _pending(ReminderKind.MICRO_DEBRIEF_NUDGE) == {
        ("Nia New", nudge),
        ("Cora Coach", nudge),
    }
    # Overdue reaches the facilitator too: the one who planned it chases it up.
    assert _pending(ReminderKind.DEBRIEF_OVERDUE) == {
        ("Nia New", debrief.due_at),
        ("Cora Coach", debrief.due_at),
    }
    overdue = Reminder.objects.filter(kind=ReminderKind.DEBRIEF_OVERDUE)
    assert all(r.is_deadline for r in overdue)  # not held back by quiet hours


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
    assert [m.subject for m in mailoutbox] == ["Debrief overdue: Quick look"] * 2
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [teachers["new_math"].email, scoped.coach.email]
    )


def test_micro_nudge_is_dropped_on_a_day_without_school_but_overdue_still_comes(
    scoped, teachers, ready_problem
):
    friday = dt.date(2026, 12, 4)  # the nudge, 20 hours on, falls on Saturday
    cycle = micro(scoped, teachers, friday, [ready_problem.look_fors.first()])
    services.cycle_schedule(cycle=cycle, by=scoped.coach)
    debrief = Debrief.objects.get(cycle=cycle)
    assert _pending(ReminderKind.MICRO_DEBRIEF_NUDGE) == set()
    assert _pending(ReminderKind.DEBRIEF_OVERDUE) == {
        ("Nia New", debrief.due_at),
        ("Cora Coach", debrief.due_at),
    }


def test_micro_nudge_says_the_hours_the_school_set(
    scoped, teachers, ready_problem, visit_day
):
    timings = ReminderTimings.for_school(scoped.school)
    timings.micro_debrief_nudge_hours = 18
    timings.save()
    cycle = micro(scoped, teachers, visit_day, [ready_problem.look_fors.first()])
    services.cycle_schedule(cycle=cycle, by=scoped.coach)
    debrief = Debrief.objects.get(cycle=cycle)
    nudges = Reminder.objects.filter(kind=ReminderKind.MICRO_DEBRIEF_NUDGE)
    assert {r.subject for r in nudges} == {"Debrief due within 6 hours: Quick look"}
    assert {r.due_at for r in nudges} == {debrief.due_at - dt.timedelta(hours=6)}


def test_new_reminder_times_move_every_active_cycles_pending_reminders(
    scoped, teachers, ready_problem, visit_day
):
    cycle = micro(scoped, teachers, visit_day, [ready_problem.look_fors.first()])
    services.cycle_schedule(cycle=cycle, by=scoped.coach)
    debrief = Debrief.objects.get(cycle=cycle)
    timings = ReminderTimings.for_school(scoped.school)
    timings.micro_debrief_nudge_hours = 22
    timings.save()
    source = next(s for s in registry.reminder_sources if s.name == "cycles")
    source.rederive(scoped.school)
    assert _pending(ReminderKind.MICRO_DEBRIEF_NUDGE) == {
        ("Nia New", debrief.due_at - dt.timedelta(hours=2)),
        ("Cora Coach", debrief.due_at - dt.timedelta(hours=2)),
    }
