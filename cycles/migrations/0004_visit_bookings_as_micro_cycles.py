"""Every visit booking is a cycle's visit, so its observers can capture it.

Visits booked through "Plan a visit" before it made micro-observations had a
Booking and no cycles.Visit: nothing to record evidence in. Each such booking
becomes a one-visit micro-observation (its planner the facilitator, no
look-for needed for these old rows), scheduled, or cancelled with its booking.
"""

import datetime as dt

from django.db import migrations

NOTE = "Planned through Plan a visit, before visits were micro-observations."


def wrap_visit_bookings(apps, schema_editor):
    Booking = apps.get_model("scheduling", "Booking")
    BookingPerson = apps.get_model("scheduling", "BookingPerson")
    Cycle = apps.get_model("cycles", "Cycle")
    CycleParticipant = apps.get_model("cycles", "CycleParticipant")
    CycleTransition = apps.get_model("cycles", "CycleTransition")
    Visit = apps.get_model("cycles", "Visit")
    Debrief = apps.get_model("cycles", "Debrief")
    orphans = Booking._base_manager.filter(kind="visit", visit__isnull=True)
    for booking in orphans.order_by("pk"):
        people = list(BookingPerson._base_manager.filter(booking=booking))
        host_id = booking.host_id or next(
            (p.user_id for p in people if p.role == "host"), None
        )
        if host_id is None:
            continue  # no classroom to visit: nothing anyone could observe
        observers = [p.user_id for p in people if p.role == "observer"]
        cancelled = booking.status == "cancelled"
        cycle = Cycle._base_manager.create(
            school_id=booking.school_id,
            kind="micro",
            title=booking.title[:200],
            focus=booking.description,
            facilitator_id=booking.created_by_id,
            starts_on=booking.date,
            ends_on=booking.date,
            status="cancelled" if cancelled else "scheduled",
            arrange_cover=True,
            window_override_reason=booking.window_override_reason[:300],
            created_by_id=booking.created_by_id,
        )
        parts = [(host_id, "host")] + [(pk, "observer") for pk in observers]
        if booking.created_by_id and booking.created_by_id not in {
            pk for pk, _role in parts
        }:
            parts.append((booking.created_by_id, "facilitator"))
        CycleParticipant._base_manager.bulk_create(
            CycleParticipant(
                school_id=booking.school_id, cycle=cycle, user_id=pk, role=role
            )
            for pk, role in parts
        )
        CycleTransition._base_manager.create(
            school_id=booking.school_id,
            cycle=cycle,
            from_status="draft",
            to_status=cycle.status,
            by_id=booking.created_by_id,
            note=NOTE,
        )
        minutes = int((booking.ends_at - booking.starts_at).total_seconds() // 60)
        visit = Visit._base_manager.create(
            school_id=booking.school_id,
            cycle=cycle,
            host_id=host_id,
            date=booking.date,
            period_id=booking.period_id,
            starts_at=booking.starts_at,
            minutes=max(1, min(minutes, 32767)),
            room_id=booking.room_id,
            booking=booking,
        )
        visit.observers.set(observers)
        Debrief._base_manager.create(
            school_id=booking.school_id,
            cycle=cycle,
            visit=visit,
            due_at=booking.ends_at + dt.timedelta(hours=24),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cycles", "0003_lab_prebrief"),
        ("scheduling", "0002_cover_release"),
    ]

    operations = [
        migrations.RunPython(wrap_visit_bookings, migrations.RunPython.noop),
    ]
