"""A visit planned through "Plan a visit": a one-visit micro-observation.

One model of a visit: what the planner books is a scheduled micro-observation
cycle (the planner its facilitator) with one Visit and its Booking, so capture,
the 24-hour debrief, reminders, dashboards and feeds treat it like every
other cycle's visit. The booking is made first, with the cover the planner
chose, so a clash refuses the plan as scheduling.services.BookingConflict
(the page shows it with its free slots); a rule of the micro-observation (one
look-for, 10-15 minutes) refuses it as ValidationError. Nothing is half-saved.
"""

from django.db import transaction
from django.utils import timezone

from cycles.models import CYCLE_TITLE_MAX, Cycle
from cycles.services.planning import cycle_create
from cycles.services.transitions import cycle_schedule
from scheduling import services as booking_services
from scheduling.booking_request import BookingRequest
from scheduling.models import Booking


def quick_visit_title(host, date) -> str:
    """A planner visit's default title: whose class and which day.

    Capped like every cycle title (a name may be 150 characters): a long name
    is shortened, so the title still fits what reminders build from it.
    """
    name = getattr(host, "full_name", None) or str(host)
    day = f", {date:%a} {date.day} {date:%b}"
    room = CYCLE_TITLE_MAX - len("Visit to ") - len(day)
    if len(name) > room:
        name = name[: room - 1].rstrip() + "…"
    return f"Visit to {name}{day}"


def quick_visit_request(
    *,
    school,
    by,
    host,
    observers,
    date,
    period,
    minutes,
    coverage=None,
    title="",
    window_override_reason="",
) -> BookingRequest:
    """The booking such a visit asks the schedule for (also for the live check)."""
    return BookingRequest(
        school=school,
        by=by,
        kind=Booking.Kind.VISIT,
        title=(title or "").strip() or quick_visit_title(host, date),
        date=date,
        period=period,
        minutes=minutes,
        host=host,
        observers=tuple(observers),
        coverage=coverage or {},
        window_override_reason=window_override_reason or "",
    )


@transaction.atomic
def quick_visit_plan(*, look_for, **fields):
    """Book the visit and make it a scheduled one-visit micro-observation.

    Returns the cycle's Visit (its .booking and .cycle set). fields are those of
    quick_visit_request.
    """
    wanted = quick_visit_request(**fields)
    booking = booking_services.booking_plan(wanted)
    local = timezone.localtime(booking.starts_at, wanted.school.tz)
    cycle = cycle_create(
        school=wanted.school,
        by=wanted.by,
        kind=Cycle.Kind.MICRO,
        title=wanted.title,
        facilitator=wanted.by,
        hosts=[wanted.host],
        observers=list(fields["observers"]),
        look_fors=[look_for] if look_for is not None else [],
        visit_date=booking.date,
        start_time=local.time().replace(tzinfo=None),
        minutes=wanted.minutes,
        period=booking.period,
        arrange_cover=bool(wanted.coverage),
        window_override_reason=wanted.window_override_reason,
        starts_on=booking.date,
        ends_on=booking.date,
    )
    visit = cycle.visits.get()
    visit.booking = booking
    visit.period = booking.period
    visit.room = booking.room
    visit.starts_at = booking.starts_at
    visit.save(update_fields=["booking", "period", "room", "starts_at"])
    cycle_schedule(cycle=cycle, by=wanted.by)
    visit.refresh_from_db()
    return visit
