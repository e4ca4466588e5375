"""iCalendar (RFC 5545) for bookings: personal feeds and single-event downloads.

The VTIMEZONE is written here, not by icalendar's Timezone.from_tzinfo: that one
writes each observance as a DTSTART plus RDATEs, and Mozilla's ical.js (the
parser of Thunderbird and Nextcloud) reads only the RDATEs of such an
observance and drops its DTSTART, so the first change of each kind in the file
goes missing and visits show an hour off for a season. Here each kind of change
is a yearly RRULE from its first change in the window, as Outlook and Google
write them, when the rule reproduces every change of that kind in the window
(checked with dateutil); otherwise each change is its own observance with a
DTSTART alone. Both forms are plain RFC 5545 and every client reads them.
"""

import calendar as month_calendar
import datetime as dt
import functools
import re

from dateutil import rrule
from django.utils import timezone
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

from scheduling.actions import action_for, cover_action
from scheduling.models import cover_duty_span

PRODID = "-//JEL//Job-embedded learning//EN"

# How far around the events a feed's VTIMEZONE reaches: every event then lies
# after a change of each kind, whatever the season.
ZONE_MARGIN = dt.timedelta(days=366)

_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")

# Every text in a calendar comes from people (a title, a room, a name) and may
# hold what no client expects: a line break in a SUMMARY, a NUL, a vertical tab.
# icalendar escapes a plain line break, but passes control characters through
# into the file; some clients then drop the event, or the whole feed. So
# summaries and locations are made one line, descriptions keep their line
# breaks as plain "\n", and every other control character goes.
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")


def one_line(text) -> str:
    """A calendar text that must stay on one line (SUMMARY, LOCATION, a name)."""
    text = _CONTROL.sub("", str(text or "")).replace("\t", " ")
    return " ".join(_LINE_BREAKS.sub(" ", text).split())


def safe_text(text) -> str:
    """A calendar text of several lines (DESCRIPTION): line breaks become "\n"."""
    text = _CONTROL.sub("", str(text or "")).replace("\t", " ")
    return _LINE_BREAKS.sub("\n", text).strip()


def _state(tz, moment: dt.datetime):
    local = moment.astimezone(tz)
    return local.utcoffset(), local.dst() or dt.timedelta(0), local.tzname()


def zone_changes(tz, start: dt.datetime, end: dt.datetime) -> list[tuple]:
    """(UTC instant, state before, state after) of each change of a zone's offset,
    daylight saving or name between two instants; a state is (offset, dst, name)."""
    changes = []
    step = dt.timedelta(hours=12)
    moment = start.astimezone(dt.UTC)
    end = end.astimezone(dt.UTC)
    state = _state(tz, moment)
    while moment < end:
        later = min(moment + step, end)
        after = _state(tz, later)
        if after != state:
            low, high = moment, later
            while high - low > dt.timedelta(seconds=1):
                middle = low + (high - low) / 2
                if _state(tz, middle) == state:
                    low = middle
                else:
                    high = middle
            changes.append((high.replace(microsecond=0), state, after))
        moment, state = later, after
    return changes


def _yearly_rule(onsets: list[dt.datetime]) -> tuple | None:
    """(month, weekday number, weekday) of a yearly rule giving exactly these local
    onsets, one a year (2SU: second Sunday; -1SU: last Sunday), or None."""
    first = onsets[0]
    if [o.year for o in onsets] != list(range(first.year, first.year + len(onsets))):
        return None
    if any(
        (o.month, o.weekday(), o.time()) != (first.month, first.weekday(), first.time())
        for o in onsets
    ):
        return None
    numbers = {(o.day - 1) // 7 + 1 for o in onsets}
    if len(numbers) == 1 and numbers <= {1, 2, 3, 4}:
        return first.month, numbers.pop(), first.weekday()
    if all(o.day + 7 > month_calendar.monthrange(o.year, o.month)[1] for o in onsets):
        return first.month, -1, first.weekday()
    return None


def _rule_dates(rule: tuple, first: dt.datetime, until: dt.datetime) -> list:
    month, number, weekday = rule
    return list(
        rrule.rrule(
            rrule.YEARLY,
            dtstart=first,
            bymonth=month,
            byweekday=rrule.weekday(weekday, number),
            until=until,
        )
    )


def _observance(before, after, onset: dt.datetime):
    offset, dst, name = after
    part = TimezoneDaylight() if dst else TimezoneStandard()
    part.add("dtstart", onset)
    part.add("tzoffsetfrom", before[0])
    part.add("tzoffsetto", offset)
    part.add("tzname", name)
    return part


@functools.lru_cache(maxsize=256)
def _vtimezone_ical(tz, tzid: str, first: dt.date, last: dt.date) -> bytes:
    return vtimezone(tz, tzid, first=first, last=last).to_ical()


def vtimezone(tz, tzid: str, *, first: dt.date, last: dt.date) -> Timezone:
    """A VTIMEZONE for the zone, right from one date to another in every client."""
    start = dt.datetime.combine(first, dt.time(), tzinfo=tz)
    end = dt.datetime.combine(last, dt.time(), tzinfo=tz)
    component = Timezone()
    component.add("tzid", tzid)
    # The state in force when the window opens, so no event falls before
    # every observance.
    initial = _state(tz, start)
    component.add_component(_observance(initial, initial, start.replace(tzinfo=None)))
    kinds: dict[tuple, list] = {}
    for moment, before, after in zone_changes(tz, start, end):
        # The onset is the local time just before the change (RFC 5545 3.6.5).
        onset = (moment + before[0]).replace(tzinfo=None)
        kinds.setdefault((before, after), []).append((onset, moment))
    for (before, after), changes in kinds.items():
        onsets = [onset for onset, _moment in changes]
        rule = _yearly_rule(onsets)
        local_end = end.replace(tzinfo=None)
        if rule is None or _rule_dates(rule, onsets[0], onsets[-1]) != onsets:
            for onset in onsets:
                component.add_component(_observance(before, after, onset))
            continue
        part = _observance(before, after, onsets[0])
        month, number, weekday = rule
        recur = {"freq": "yearly", "bymonth": month}
        recur["byday"] = f"{number}{_WEEKDAYS[weekday]}"
        if len(_rule_dates(rule, onsets[0], local_end)) > len(onsets):
            # The rule stopped inside the window: say when (UTC, RFC 5545).
            recur["until"] = changes[-1][1]
        part.add("rrule", recur)
        component.add_component(part)
    return component


def _action_lines(event, action) -> list[str]:
    """The reader's action: the event's URL and the description's first line."""
    if action is None:
        return []
    event.add("url", action.absolute_url)
    return [f"{action.verb}: {action.absolute_url}"]


def _event(booking, *, stamp: dt.datetime, reader=None) -> Event:
    tz = booking.school.tz
    event = Event()
    # The uuid never changes, so a moved or cancelled booking replaces the
    # calendar entry people already have instead of adding a second one.
    event.add("uid", f"{booking.uid}@jel")
    event.add("sequence", booking.sequence)
    event.add("dtstamp", stamp)
    event.add("last-modified", booking.updated_at)
    event.add("summary", one_line(booking.title))
    event.add("dtstart", timezone.localtime(booking.starts_at, tz))
    event.add("dtend", timezone.localtime(booking.ends_at, tz))
    if booking.room_id:
        event.add("location", one_line(booking.room.name))
    action = action_for(booking, reader) if reader is not None else None
    lines = [*_action_lines(event, action), booking.get_kind_display()]
    if booking.host_id:
        lines.append(f"Host: {one_line(booking.host)}")
    people = [p for p in booking.people.all() if p.role != "host"]
    if people:
        lines.append(
            "With: "
            + ", ".join(f"{one_line(p.user)} ({p.get_role_display()})" for p in people)
        )
    for cover in booking.coverages.all():
        who = one_line(cover.covered_by or "a substitute")
        lines.append(f"Coverage: {who} covers {one_line(cover.observer)}'s class")
    if booking.description:
        lines.append(booking.description)
    event.add("description", safe_text("\n".join(lines)))
    if booking.is_cancelled:
        event.add("status", "CANCELLED")
    else:
        event.add("status", "CONFIRMED")
    return event


def _cover_event(
    booking, cover, *, stamp: dt.datetime, released=False, reader=None
) -> Event:
    """A cover duty: the whole class period, in the class's room.

    cover is a Coverage, or a CoverRelease (released=True): a duty the person
    no longer has, kept under its UID as CANCELLED so calendars drop it.
    """
    tz = booking.school.tz
    event = Event()
    # Keyed by the observer, not the coverage row, so a move keeps the entry.
    event.add("uid", f"{booking.uid}-cover-{cover.observer_id}@jel")
    event.add("sequence", booking.sequence)
    event.add("dtstamp", stamp)
    event.add("last-modified", booking.updated_at)
    course = cover.section.course if cover.section_id else "a class"
    event.add("summary", one_line(f"Cover {course} for {cover.observer}"))
    start, end = cover_duty_span(booking, cover.section if cover.section_id else None)
    event.add("dtstart", timezone.localtime(start, tz))
    event.add("dtend", timezone.localtime(end, tz))
    if cover.section_id and cover.section.room_id:
        event.add("location", one_line(cover.section.room.name))
    observer, title = one_line(cover.observer), one_line(booking.title)
    if released:
        text = f"You no longer cover {observer}'s class at {title}."
    else:
        text = f"{observer} is at {title}; you teach their class."
        if reader is not None:
            action = cover_action(booking, reader) or action_for(booking, reader)
            text = "\n".join([*_action_lines(event, action), text])
    event.add("description", safe_text(text))
    cancelled = released or booking.is_cancelled
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def calendar_for(bookings, *, school, name: str, user=None, reader=None) -> bytes:
    """A VCALENDAR with one VEVENT per booking and the school's VTIMEZONE.

    user: only that person's events (their feed); reader: whose action each
    event's URL and description lead to (scheduling.actions), absolute through
    JEL_BASE_URL. A feed's reader is its user.
    """
    reader = reader or user
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", one_line(name))
    calendar.add("x-wr-timezone", school.time_zone)
    stamp = timezone.now()
    bookings = list(bookings)
    for booking in bookings:
        people = {p.user_id for p in booking.people.all()} | {booking.host_id}
        if user is None or user.pk in people:
            calendar.add_component(_event(booking, stamp=stamp, reader=reader))
        if user is not None:
            covering = set()
            for cover in booking.coverages.all():
                if cover.covered_by_id == user.pk:
                    covering.add(cover.observer_id)
                    calendar.add_component(
                        _cover_event(booking, cover, stamp=stamp, reader=reader)
                    )
            for release in booking.cover_releases.all():
                if release.released_id == user.pk and (
                    release.observer_id not in covering
                ):
                    calendar.add_component(
                        _cover_event(booking, release, stamp=stamp, released=True)
                    )
    # Changes only around the bookings keep the feed small; an empty feed still
    # names its zone, so clients show it correctly.
    dates = [b.date for b in bookings] or [timezone.localdate(timezone=school.tz)]
    # Cached: a feed, and every invite of a booking, asks for the same zone.
    zone = _vtimezone_ical(
        school.tz, school.time_zone, min(dates) - ZONE_MARGIN, max(dates) + ZONE_MARGIN
    )
    calendar.subcomponents.insert(0, Timezone.from_ical(zone))
    return calendar.to_ical()
