"""Reminders a cycle derives: debriefs due and overdue, and reflection prompts.

Derived afresh from the cycle each time it is scheduled, edited, moved along or
its debrief recorded, and kept in step through the core's reminders_sync in the
same transaction. Visit-tomorrow and visit-soon reminders come from the
bookings (scheduling.reminders), so they are not repeated here.
"""

import datetime as dt

from django.urls import reverse

from cycles.models import Cycle, Debrief, Visit
from jel.models import ReminderKind, ReminderTimings
from jel.services import ReminderSpec, reminders_sync, school_time
from scheduling.selectors import day_infos

ACTIVE = (Cycle.Status.SCHEDULED, Cycle.Status.IN_PROGRESS)
# Times come from the school's ReminderTimings: a micro-observation's debrief
# nudge (default 20 hours after the visit; overdue at 24), and the reflection
# prompt in the afternoon of the visit (default 15:30, after the last bell).


def _visit_end(visit: Visit) -> dt.datetime:
    if visit.booking_id and visit.booking.ends_at:
        return visit.booking.ends_at
    if visit.ends_at:
        return visit.ends_at
    return school_time(visit.school, visit.date, dt.time(15, 0))


def debrief_reminders(debrief: Debrief) -> list[ReminderSpec]:
    """What a debrief not yet held should remind, and to whom."""
    cycle = debrief.cycle
    if cycle.status not in ACTIVE or debrief.held_at:
        return []
    link = reverse("cycles:debrief", args=[debrief.pk])
    if cycle.kind == Cycle.Kind.MICRO and debrief.visit_id and debrief.due_at:
        hours = ReminderTimings.for_school(cycle.school).micro_debrief_nudge_hours
        nudge_before_due = dt.timedelta(hours=24 - hours)
        observers = list(debrief.visit.observers.all())
        nudge_at = debrief.due_at - nudge_before_due
        nudge_day = nudge_at.astimezone(cycle.school.tz).date()
        # No nudge on a day without school; the overdue notice is a deadline
        # and comes regardless.
        if not day_infos(school=cycle.school, start=nudge_day, end=nudge_day)[
            nudge_day
        ].is_school_day:
            nudge_at = None
        nudge = [
            ReminderSpec(
                kind=ReminderKind.DEBRIEF_DUE,
                recipient=person,
                due_at=nudge_at,
                subject=f"Debrief due within 4 hours: {cycle.title}",
                body="A micro-observation's debrief is due within 24 hours of the "
                "visit. A few minutes together on what students did is enough.",
                link=link,
            )
            for person in {*observers, cycle.facilitator} - {None}
            if nudge_at is not None
        ]
        overdue = [
            ReminderSpec(
                kind=ReminderKind.DEBRIEF_OVERDUE,
                recipient=person,
                due_at=debrief.due_at,
                subject=f"Debrief overdue: {cycle.title}",
                body="The 24 hours for this micro-observation's debrief have "
                "passed. Meet when you can and record it.",
                link=link,
                is_deadline=True,
            )
            for person in observers
        ]
        return nudge + overdue
    if cycle.facilitator is None:
        return []
    visits = list(cycle.visits.select_related("booking", "school"))
    when = max((_visit_end(v) for v in visits), default=None)
    if when is None:
        return []
    return [
        ReminderSpec(
            kind=ReminderKind.DEBRIEF_DUE,
            recipient=cycle.facilitator,
            due_at=when,
            subject=f"Visits done, debrief next: {cycle.title}",
            body="The visits of this cycle have ended. The debrief page has the "
            "evidence grouped by look-for and the protocol for this type.",
            link=link,
        )
    ]


def reflection_reminders(visit: Visit) -> list[ReminderSpec]:
    """A prompt to reflect, the afternoon of a visit, for its host and observers."""
    if visit.cycle.status not in ACTIVE:
        return []
    due = max(
        school_time(
            visit.school,
            visit.date,
            ReminderTimings.for_school(visit.school).reflection_prompt_at,
        ),
        _visit_end(visit),
    )
    link = reverse("observations:reflection_create") + f"?visit={visit.pk}"
    people = {visit.host, *visit.observers.all()}
    return [
        ReminderSpec(
            kind=ReminderKind.REFLECTION_PROMPT,
            recipient=person,
            due_at=due,
            subject=f"A few minutes to reflect: {visit.cycle.title}",
            body="What did students do, say or make today that you want to remember? "
            "Your reflection is private unless you choose to share it.",
            link=link,
        )
        for person in people
    ]


def cycle_reminders_sync(cycle: Cycle) -> None:
    """Bring every reminder a cycle derives in step with it."""
    for debrief in cycle.debriefs.select_related("visit", "cycle__facilitator"):
        reminders_sync(
            school=cycle.school,
            about=f"debrief:{debrief.pk}",
            wanted=debrief_reminders(debrief),
        )
    for visit in cycle.visits.select_related("booking", "host", "school", "cycle"):
        reminders_sync(
            school=cycle.school,
            about=f"visit-reflection:{visit.pk}",
            wanted=reflection_reminders(visit),
        )
