"""Reminders a cycle derives: its debriefs due, nudged and overdue.

Derived afresh from the cycle each time it is scheduled, edited, moved along or
its debrief recorded, and kept in step through the core's reminders_sync in the
same transaction. Visit-tomorrow and visit-soon reminders come from the
bookings (scheduling.reminders); the reflection prompt after a visit belongs to
observations (observations/reminders.py), which registers it through
cycles.registry.register_visit_reminders. Which debrief reminders a cycle has
is its type's spec (cycles.kinds: debrief.due).
"""

import datetime as dt

from django.urls import reverse

from cycles import notices, registry
from cycles.kinds import DebriefDue, spec_for
from cycles.models import Cycle, Debrief, Visit
from jel.models import ReminderKind, ReminderTimings
from jel.services import ReminderSpec, reminders_sync, school_time
from scheduling.reminders import booking_reminders_sync
from scheduling.selectors import day_infos

# A cycle in these statuses reminds; any other cancels what it derived.
ACTIVE = (Cycle.Status.SCHEDULED, Cycle.Status.IN_PROGRESS)
# What a reminder is about: its derivations are found and moved by this key.
ABOUT_DEBRIEF = "debrief"
# Times come from the school's ReminderTimings: a per-visit debrief's nudge
# (default 20 hours after the visit; overdue when due, 24 hours after).


def about_debrief(debrief: Debrief) -> str:
    return f"{ABOUT_DEBRIEF}:{debrief.pk}"


def visit_end(visit: Visit) -> dt.datetime:
    """When a visit ends: its booking's end, its own, or 15:00 that day."""
    if visit.booking_id and visit.booking.ends_at:
        return visit.booking.ends_at
    if visit.ends_at:
        return visit.ends_at
    return school_time(visit.school, visit.date, dt.time(15, 0))


def _is_school_day(school, day: dt.date) -> bool:
    return day_infos(school=school, start=day, end=day)[day].is_school_day


def _per_visit_reminders(debrief: Debrief, link: str) -> list[ReminderSpec]:
    """A debrief due some hours after its visit: a nudge, then overdue."""
    cycle = debrief.cycle
    due_hours = spec_for(cycle.kind).debrief.due_hours
    nudge_hours = ReminderTimings.for_school(cycle.school).micro_debrief_nudge_hours
    left = due_hours - nudge_hours
    observers = list(debrief.visit.observers.all())
    nudge_at = debrief.due_at - dt.timedelta(hours=left)
    # No nudge on a day without school; the overdue notice is a deadline
    # and comes regardless.
    if not _is_school_day(cycle.school, nudge_at.astimezone(cycle.school.tz).date()):
        nudge_at = None
    hours = "hour" if left == 1 else "hours"
    nudge = [
        ReminderSpec(
            kind=ReminderKind.MICRO_DEBRIEF_NUDGE,
            recipient=person,
            due_at=nudge_at,
            subject=f"Debrief due within {left} {hours}: {cycle.title}",
            body=f"A micro-observation's debrief is due within {due_hours} hours "
            "of the visit. A few minutes together on what students did is enough.",
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
            body=f"The {due_hours} hours for this micro-observation's debrief have "
            "passed. Meet when you can and record it.",
            link=link,
            is_deadline=True,
        )
        # The facilitator planned it and is the one to chase it up.
        for person in {*observers, cycle.facilitator} - {None}
    ]
    return nudge + overdue


def _after_visits_reminders(debrief: Debrief, link: str) -> list[ReminderSpec]:
    """The facilitator is told when the cycle's visits have ended."""
    cycle = debrief.cycle
    if cycle.facilitator is None:
        return []
    visits = list(cycle.visits.select_related("booking", "school"))
    when = max((visit_end(v) for v in visits), default=None)
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


def debrief_reminders(debrief: Debrief) -> list[ReminderSpec]:
    """What a debrief not yet held should remind, and to whom."""
    cycle = debrief.cycle
    if cycle.status not in ACTIVE or debrief.held_at:
        return []
    link = reverse("cycles:debrief", args=[debrief.pk])
    per_visit = spec_for(cycle.kind).debrief.due == DebriefDue.PER_VISIT
    if per_visit and debrief.visit_id and debrief.due_at:
        return _per_visit_reminders(debrief, link)
    return _after_visits_reminders(debrief, link)


def cycle_reminders_sync(cycle: Cycle) -> None:
    """Bring every reminder a cycle derives (and its visits') in step with it."""
    notices.cycle_notices_sync(cycle)
    for debrief in cycle.debriefs.select_related("visit", "cycle__facilitator"):
        reminders_sync(
            school=cycle.school,
            about=about_debrief(debrief),
            wanted=debrief_reminders(debrief),
        )
    # A booking is planned before its visit, debrief or pre-brief points at it:
    # derived again now, its notices link to the cycle's pages (action_for).
    for booking in _bookings_of(cycle):
        booking_reminders_sync(booking)
    active = cycle.status in ACTIVE
    sources = registry.visit_reminder_sources()
    for visit in cycle.visits.select_related("booking", "host", "school", "cycle"):
        for about, source in sources:
            reminders_sync(
                school=cycle.school,
                about=f"{about}:{visit.pk}",
                wanted=source(visit) if active else [],
            )


def _bookings_of(cycle: Cycle) -> list:
    bookings = [v.booking for v in cycle.visits.select_related("booking")]
    bookings += [d.booking for d in cycle.debriefs.select_related("booking")]
    bookings.append(cycle.prebrief_booking)
    return [b for b in bookings if b is not None and not b.is_cancelled]


def rederive_school(school) -> None:
    """Re-derive the pending reminders of every active cycle of a school."""
    for cycle in Cycle.objects.filter(school=school, status__in=ACTIVE):
        cycle_reminders_sync(cycle)
