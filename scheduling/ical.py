"""iCalendar (RFC 5545) for bookings: personal feeds and single-event downloads."""

import datetime as dt

from django.utils import timezone
from icalendar import Calendar, Event, Timezone

PRODID = "-//JEL//Job-embedded learning//EN"


def _event(booking, *, stamp: dt.datetime) -> Event:
    tz = booking.school.tz
    event = Event()
    # The uuid never changes, so a moved or cancelled booking replaces the
    # calendar entry people already have instead of adding a second one.
    event.add("uid", f"{booking.uid}@jel")
    event.add("sequence", booking.sequence)
    event.add("dtstamp", stamp)
    event.add("last-modified", booking.updated_at)
    event.add("summary", booking.title)
    event.add("dtstart", timezone.localtime(booking.starts_at, tz))
    event.add("dtend", timezone.localtime(booking.ends_at, tz))
    if booking.room_id:
        event.add("location", booking.room.name)
    lines = [booking.get_kind_display()]
    if booking.host_id:
        lines.append(f"Host: {booking.host}")
    people = [p for p in booking.people.all() if p.role != "host"]
    if people:
        lines.append(
            "With: " + ", ".join(f"{p.user} ({p.get_role_display()})" for p in people)
        )
    for cover in booking.coverages.all():
        who = cover.covered_by or "a substitute"
        lines.append(f"Coverage: {who} covers {cover.observer}'s class")
    if booking.description:
        lines.append(booking.description)
    event.add("description", "\n".join(lines))
    if booking.is_cancelled:
        event.add("status", "CANCELLED")
    else:
        event.add("status", "CONFIRMED")
    return event


def _cover_event(booking, cover, *, stamp: dt.datetime) -> Event:
    """A cover duty: the whole class period, in the class's room."""
    tz = booking.school.tz
    event = Event()
    # Keyed by the observer, not the coverage row, so a move keeps the entry.
    event.add("uid", f"{booking.uid}-cover-{cover.observer_id}@jel")
    event.add("sequence", booking.sequence)
    event.add("dtstamp", stamp)
    event.add("last-modified", booking.updated_at)
    course = cover.section.course if cover.section_id else "a class"
    event.add("summary", f"Cover {course} for {cover.observer}")
    start, end = booking.starts_at, booking.ends_at
    period = booking.period
    if cover.section_id and period and cover.section.period.number == period.number:
        start = dt.datetime.combine(booking.date, period.starts_at, tzinfo=tz)
        end = dt.datetime.combine(booking.date, period.ends_at, tzinfo=tz)
    event.add("dtstart", timezone.localtime(start, tz))
    event.add("dtend", timezone.localtime(end, tz))
    if cover.section_id and cover.section.room_id:
        event.add("location", cover.section.room.name)
    event.add(
        "description",
        f"{cover.observer} is at {booking.title}; you teach their class.",
    )
    event.add("status", "CANCELLED" if booking.is_cancelled else "CONFIRMED")
    return event


def calendar_for(bookings, *, school, name: str, user=None) -> bytes:
    """A VCALENDAR with one VEVENT per booking and the school's VTIMEZONE."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", school.time_zone)
    stamp = timezone.now()
    bookings = list(bookings)
    for booking in bookings:
        people = {p.user_id for p in booking.people.all()} | {booking.host_id}
        if user is None or user.pk in people:
            calendar.add_component(_event(booking, stamp=stamp))
        if user is not None:
            for cover in booking.coverages.all():
                if cover.covered_by_id == user.pk:
                    calendar.add_component(_cover_event(booking, cover, stamp=stamp))
    # Transitions only around the bookings keep the feed small.
    today = timezone.localdate()
    dates = [b.date for b in bookings] or [today]
    first = min(dates) - dt.timedelta(days=366)
    last = max(dates) + dt.timedelta(days=366)
    if bookings:
        calendar.add_missing_timezones(first_date=first, last_date=last)
    else:
        # An empty feed still names its zone, so clients show it correctly.
        calendar.add_component(
            Timezone.from_tzinfo(school.tz, first_date=first, last_date=last)
        )
    return calendar.to_ical()
