"""Reminders for bookings, derived afresh from the booking each time it changes.

Every booking is planned, moved and cancelled through scheduling.services, so
this app (not cycles) keeps its reminders: the core's reminders_sync makes the
pending rows about booking_about(booking) match what is derived here, in the
same transaction. A cancelled booking has none left. When a principal changes
the school's reminder times, rederive_school_reminders (registered in
SchedulingConfig.ready) brings every future booking's reminders in step.

Which reminders exist: the school day before (visit tomorrow, pre-brief, debrief
meeting; to each person and each colleague covering a class) and, for a visit's
observers, the visit soon. Each day-before reminder carries the person's .ics
(a coverer's is the cover duty). A colleague who no longer covers a class is
told at once, with the duty as a CANCELLED event under the same UID.
"""

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from jel.models import Reminder, ReminderKind, ReminderState, ReminderTimings
from jel.services import ReminderSpec, fit_subject, reminders_sync, school_time
from scheduling.actions import action_for
from scheduling.ical import calendar_for
from scheduling.models import Booking, BookingPerson
from scheduling.selectors import day_infos

# The times come from the school's ReminderTimings (defaults: 16:00 on the
# school day before, so plans and cover can be made; 15 minutes before, as
# observers walk over from wherever they are).

KIND_OF_DAY_BEFORE = {
    Booking.Kind.VISIT: ReminderKind.VISIT_TOMORROW,
    Booking.Kind.PREBRIEF: ReminderKind.PREBRIEF,
    Booking.Kind.DEBRIEF: ReminderKind.DEBRIEF_MEETING,
}

# The `about` key of every reminder this app derives: one booking's.
BOOKING_ABOUT = "booking:{pk}"


def booking_about(booking) -> str:
    return BOOKING_ABOUT.format(pk=booking.pk)


def _minutes_text(minutes: int) -> str:
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}


def _block_of(booking) -> str:
    """The fold key of a visit's "starting soon": its day and period (or hour),
    so a block of visits in one period is one notice, sent before the first."""
    if booking.period_id:
        return f"soon:{booking.date.isoformat()}:p{booking.period_id}"
    start = timezone.localtime(booking.starts_at, booking.school.tz)
    return f"soon:{booking.date.isoformat()}:h{start:%H}"


def _duty_text(booking, cover) -> str:
    """A cover duty's times: the whole class period (Coverage.duty_span)."""
    tz = booking.school.tz
    start, end = (timezone.localtime(t, tz) for t in cover.duty_span)
    return f"{start:%H:%M}-{end:%H:%M}"


def _when(booking) -> str:
    start = timezone.localtime(booking.starts_at, booking.school.tz)
    text = f"{booking.date:%A %-d %B} at {start:%H:%M}"
    if booking.period_id:
        text += f" ({booking.period.name})"
    if booking.room_id:
        text += f" in {booking.room.name}"
    return text


def _school_day_before(booking) -> dt.date:
    """The last school day before the booking; the calendar day before if none."""
    start = booking.date - dt.timedelta(days=14)
    days = day_infos(
        school=booking.school, start=start, end=booking.date - dt.timedelta(days=1)
    )
    school_days = [day for day, info in days.items() if info.is_school_day]
    return max(school_days) if school_days else booking.date - dt.timedelta(days=1)


def booking_reminders(booking) -> list[ReminderSpec]:
    """The reminders a scheduled booking should have now."""
    kind = KIND_OF_DAY_BEFORE.get(booking.kind)
    if booking.is_cancelled or kind is None:
        return []
    school = booking.school
    timings = ReminderTimings.for_school(school)
    day_before = school_time(
        school, _school_day_before(booking), timings.visit_tomorrow_at
    )
    soon_before = dt.timedelta(minutes=timings.visit_soon_minutes)
    ics = calendar_for([booking], school=school, name=booking.title).decode()
    when = _when(booking)
    is_visit = booking.kind == Booking.Kind.VISIT
    # A person's visits of one day are one "tomorrow" notice.
    day_fold = f"day:{booking.date.isoformat()}" if is_visit else ""
    wanted = []
    for person in booking.people.select_related("user"):
        link = action_for(booking, person.user).url
        wanted.append(
            ReminderSpec(
                kind=kind,
                recipient=person.user,
                due_at=day_before,
                subject=fit_subject(f"Tomorrow: {booking.title}"),
                body=f"{booking.title}, {when}. You take part as "
                f"{person.get_role_display().lower()}.",
                link=link,
                ics=ics,
                fold=day_fold,
            )
        )
        if (
            booking.kind == Booking.Kind.VISIT
            and person.role == BookingPerson.Role.OBSERVER
        ):
            wanted.append(
                ReminderSpec(
                    kind=ReminderKind.VISIT_SOON,
                    recipient=person.user,
                    due_at=booking.starts_at - soon_before,
                    subject=fit_subject(
                        f"In {_minutes_text(timings.visit_soon_minutes)}: "
                        f"{booking.title}"
                    ),
                    body=f"{booking.title}, {when}.",
                    link=link,
                    fold=_block_of(booking),
                )
            )
    # When each colleague was first asked (once, whenever it is re-derived).
    asked = _first_asked(booking)
    for cover in booking.coverages.select_related(
        "covered_by", "observer", "section", "section__room"
    ):
        if cover.covered_by is None:
            continue
        course = cover.section.course if cover.section_id else "a class"
        room = (
            f" in {cover.section.room.name}"
            if cover.section_id and cover.section.room_id
            else ""
        )
        link = action_for(booking, cover.covered_by).url
        duty = _duty_text(booking, cover)
        wanted.append(
            ReminderSpec(
                kind=kind,
                recipient=cover.covered_by,
                due_at=day_before,
                subject=fit_subject(f"Tomorrow: cover {course} for {cover.observer}"),
                body=f"You cover {cover.observer}'s {course}{room} on "
                f"{booking.date:%A %-d %B}, {duty}, while "
                f"they are at {booking.title}.",
                link=link,
                ics=_ics_for(booking, cover.covered_by),
            )
        )
        asked_at = asked.get(cover.covered_by_id) or timezone.now()
        if cover.covered_by_id not in asked and booking.starts_at <= asked_at:
            continue  # too late to ask: the booking has begun
        wanted.append(
            ReminderSpec(
                kind=ReminderKind.COVER_ASKED,
                recipient=cover.covered_by,
                due_at=asked_at,
                subject=fit_subject(
                    f"You are asked to cover {course} for {cover.observer}"
                ),
                body=f"{cover.observer} is at {booking.title} on {when}. You cover "
                f"their {course}{room}, {duty}; the booking page has the class "
                "and the times.",
                link=link,
                ics=_ics_for(booking, cover.covered_by),
            )
        )
    for release in booking.cover_releases.select_related(
        "released", "observer", "section"
    ):
        course = release.section.course if release.section_id else "a class"
        wanted.append(
            ReminderSpec(
                kind=kind,
                recipient=release.released,
                due_at=release.released_at,
                subject=fit_subject(
                    f"No longer needed: cover {course} for {release.observer}"
                ),
                body=f"You no longer cover {release.observer}'s {course} on {when}; "
                "your calendar drops it.",
                # Their week, not the booking: it is no longer theirs to open.
                link=f"{reverse('scheduling:my_week')}?week={booking.date.isoformat()}",
                ics=_ics_for(booking, release.released),
            )
        )
    return wanted


def _first_asked(booking) -> dict[int, dt.datetime]:
    """{colleague id: when they were first told of a cover duty at this booking}."""
    asked = {}
    for user_id, due_at in (
        Reminder.objects.filter(
            about=booking_about(booking), kind=ReminderKind.COVER_ASKED
        )
        .exclude(state=ReminderState.CANCELLED)
        .order_by("due_at")
        .values_list("recipient_id", "due_at")
    ):
        asked.setdefault(user_id, due_at)
    return asked


def _ics_for(booking, user) -> str:
    """The booking as one person's calendar shows it (their cover duty, if any)."""
    name = f"{booking.title} ({user})"
    return calendar_for([booking], school=booking.school, name=name, user=user).decode()


def booking_reminders_sync(booking) -> dict:
    """Make the booking's pending reminders match what it should have now."""
    return reminders_sync(
        school=booking.school,
        about=booking_about(booking),
        wanted=booking_reminders(booking),
    )


@transaction.atomic
def rederive_school_reminders(school) -> int:
    """Re-derive the pending reminders of every booking of the school from today;
    returns how many bookings were synced."""
    today = timezone.localdate(timezone=school.tz)
    bookings = Booking.objects.filter(
        school=school, date__gte=today, status=Booking.Status.SCHEDULED
    ).select_related("school", "period", "room")
    count = 0
    for booking in bookings:
        booking_reminders_sync(booking)
        count += 1
    return count
