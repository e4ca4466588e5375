"""Bookings keep their reminders in step: planned, moved, re-covered, cancelled."""

import datetime as dt

import pytest
from icalendar import Calendar

from jel.models import Reminder, ReminderKind, ReminderState
from scheduling.models import Booking
from scheduling.services import (
    booking_cancel,
    booking_move,
    booking_plan,
    coverage_assign,
)
from scheduling.tests.conftest import TUESDAY

pytestmark = pytest.mark.usefixtures("in_school")


def _visit(sched, cast):
    return booking_plan(
        school=sched.school,
        by=cast.principal,
        kind=Booking.Kind.VISIT,
        title="Visit to Hope",
        date=TUESDAY,
        period=sched.periods[3],
        host=sched.host,
        observers=[sched.observer],
        coverage={sched.observer: sched.ann},
    )


def _pending(sched):
    # The colleague asked to cover is also told at once (test_hand_off_notices).
    return {
        (r.kind, r.recipient.full_name, r.due_at.astimezone(sched.school.tz))
        for r in Reminder.objects.filter(state=ReminderState.PENDING)
        .exclude(kind=ReminderKind.COVER_ASKED)
        .select_related("recipient")
    }


def _local(day, hour, minute, sched):
    return dt.datetime(
        day.year, day.month, day.day, hour, minute, tzinfo=sched.school.tz
    )


def test_planning_a_visit_reminds_host_observer_and_coverer(sched, cast):
    _visit(sched, cast)
    monday = dt.date(2026, 11, 30)
    assert _pending(sched) == {
        (ReminderKind.VISIT_TOMORROW, "Hope Host", _local(monday, 16, 0, sched)),
        (ReminderKind.VISIT_TOMORROW, "Omar Haddad", _local(monday, 16, 0, sched)),
        (ReminderKind.VISIT_TOMORROW, "Ann Able", _local(monday, 16, 0, sched)),
        (ReminderKind.VISIT_SOON, "Omar Haddad", _local(TUESDAY, 9, 35, sched)),
    }
    cover = Reminder.objects.get(recipient=sched.ann, kind=ReminderKind.VISIT_TOMORROW)
    assert cover.subject == "Tomorrow: cover Haddad class P3 for Omar Haddad"
    assert "Room of Omar Haddad" in cover.body


def test_visit_reminder_carries_the_calendar_entry(sched, cast):
    visit = _visit(sched, cast)
    reminder = Reminder.objects.get(
        recipient=sched.host, kind=ReminderKind.VISIT_TOMORROW
    )
    [event] = Calendar.from_ical(reminder.ics).walk("VEVENT")
    assert str(event["UID"]) == f"{visit.uid}@jel"


def test_moving_moves_the_reminders(sched, cast):
    visit = _visit(sched, cast)
    booking_move(
        booking=visit,
        by=cast.principal,
        date=dt.date(2026, 12, 3),
        period=sched.periods[3],
    )
    wednesday = dt.date(2026, 12, 2)
    due = {due for _kind, _name, due in _pending(sched)}
    assert due == {
        _local(wednesday, 16, 0, sched),
        _local(dt.date(2026, 12, 3), 9, 35, sched),
    }
    assert Reminder.objects.filter(state=ReminderState.CANCELLED).count() == 4


def test_changing_the_coverer_changes_who_is_reminded(sched, cast):
    visit = _visit(sched, cast)
    coverage_assign(
        coverage=visit.coverages.get(), covered_by=sched.bo, by=cast.principal
    )
    # Ann's cover reminder is gone; what she still gets is the note that she
    # no longer covers (issue 16: the duty is cancelled by e-mail, not just gone).
    reminders = Reminder.objects.filter(state=ReminderState.PENDING)
    names = {
        r.recipient.full_name for r in reminders if r.subject.startswith("Tomorrow")
    }
    assert "Bo Baker" in names and "Ann Able" not in names
    [note] = reminders.filter(recipient=sched.ann)
    assert note.subject == "No longer needed: cover Haddad class P3 for Omar Haddad"


def test_cancelling_cancels_every_reminder(sched, cast):
    visit = _visit(sched, cast)
    booking_cancel(booking=visit, by=cast.principal)
    assert _pending(sched) == set()


def test_debrief_reminds_its_attendees(sched, cast):
    booking_plan(
        school=sched.school,
        by=cast.principal,
        kind=Booking.Kind.DEBRIEF,
        title="Debrief",
        date=TUESDAY,
        start_time=dt.time(15, 10),
        minutes=45,
        facilitator=cast.coach,
        attendees=[sched.host],
    )
    assert {(kind, name) for kind, name, _due in _pending(sched)} == {
        (ReminderKind.DEBRIEF_MEETING, "Cora Coach"),
        (ReminderKind.DEBRIEF_MEETING, "Hope Host"),
    }


def test_monday_visit_is_reminded_at_four_on_the_school_day_before(sched, cast):
    from scheduling.models import SchoolDay

    friday, monday = dt.date(2026, 12, 4), dt.date(2026, 12, 7)
    SchoolDay.objects.create(
        school=sched.school, date=friday, is_school_day=False, note="Staff day"
    )
    booking_plan(
        school=sched.school,
        by=cast.principal,
        kind=Booking.Kind.VISIT,
        title="Visit to Hope",
        date=monday,
        period=sched.periods[3],
        host=sched.host,
        observers=[sched.observer],
        coverage={sched.observer: sched.ann},
        window_override_reason="Testing the reminder day",
    )
    tomorrow = Reminder.objects.filter(kind=ReminderKind.VISIT_TOMORROW)
    thursday = dt.date(2026, 12, 3)  # Friday has no school, the weekend neither
    assert {r.due_at for r in tomorrow} == {_local(thursday, 16, 0, sched)}
