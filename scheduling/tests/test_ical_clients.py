"""Feeds, .ics downloads and e-mailed invites read by Mozilla's ical.js.

ical.js (Thunderbird, Nextcloud) reads every file at the same instants as
Python's icalendar, for visits and cover duties on each school day of the two
weeks around the daylight saving changes of 2026-11-01, 2027-03-14 and
2027-11-07 in New York.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django_scopes import scope
from icalendar import Calendar, Event, Timezone

from jel.models import Reminder
from scheduling.models import Booking
from scheduling.services import booking_plan, calendar_token_issue
from scheduling.tests.factories import (
    AcademicYearFactory,
    SectionFactory,
    TermFactory,
)
from scheduling.tests.icaljs import read_with_ical_js

DST_CHANGES = (dt.date(2026, 11, 1), dt.date(2027, 3, 14), dt.date(2027, 11, 7))


def _school_days_around(sunday: dt.date) -> list[dt.date]:
    """Monday to Friday of the week before a Sunday's change and the week after."""
    days = []
    for first in (sunday - dt.timedelta(days=6), sunday + dt.timedelta(days=1)):
        days += [first + dt.timedelta(days=n) for n in range(5)]
    return days


DAYS = [day for sunday in DST_CHANGES for day in _school_days_around(sunday)]


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


@pytest.fixture
def dst_visits(sched, cast):
    """A period 3 visit (observer covered by Ann) on each of the days, and an
    after-school meeting, so feeds hold visits, cover duties and meetings."""
    school = sched.school
    with scope(school=school):
        # The next school year, with the same timetable, for November 2027.
        year = AcademicYearFactory(
            school=school,
            name="2027-28",
            starts_on=dt.date(2027, 8, 23),
            ends_on=dt.date(2028, 6, 9),
        )
        term = TermFactory(year=year, school=school, name="Fall 2027")
        for teacher in (sched.host, sched.observer):
            SectionFactory(
                school=school,
                period=sched.periods[3],
                term=term,
                teacher=teacher,
                room=sched.sections[(teacher.pk, 3)].room,
                course=f"{teacher.full_name.split()[-1]} class P3",
            )
        bookings = []
        for day in DAYS:
            bookings.append(
                booking_plan(
                    school=school,
                    by=cast.principal,
                    kind=Booking.Kind.VISIT,
                    title=f"Visit on {day}",
                    date=day,
                    period=sched.periods[3],
                    host=sched.host,
                    observers=[sched.observer],
                    coverage={sched.observer: sched.ann},
                )
            )
            bookings.append(
                booking_plan(
                    school=school,
                    by=cast.principal,
                    kind=Booking.Kind.MEETING,
                    title=f"Meeting on {day}",
                    date=day,
                    start_time=dt.time(15, 30),
                    minutes=45,
                    facilitator=cast.coach,
                    attendees=[sched.host],
                )
            )
    return bookings


def _write_files(tmp_path, client, login, sched, cast, bookings):
    """Every feed, every single .ics and every e-mailed invite, as files."""
    files = []
    with scope(school=sched.school):
        people = (sched.host, sched.observer, sched.ann, cast.coach)
        tokens = {p: calendar_token_issue(school=sched.school, user=p) for p in people}
        invites = list(Reminder.objects.exclude(ics="").values_list("pk", "ics"))
    for person, token in tokens.items():
        response = client.get(reverse("scheduling:feed", args=[token.token]))
        assert response.status_code == 200
        files.append(tmp_path / f"feed-{person.pk}.ics")
        files[-1].write_bytes(response.content)
    downloader = login(sched.host)
    for booking in bookings:
        response = downloader.get(reverse("scheduling:booking_ics", args=[booking.pk]))
        assert response.status_code == 200
        files.append(tmp_path / f"booking-{booking.pk}.ics")
        files[-1].write_bytes(response.content)
    for pk, ics in invites:
        files.append(tmp_path / f"invite-{pk}.ics")
        files[-1].write_text(ics)
    return files


def _read_with_icalendar(path) -> list[dict]:
    """What Python's icalendar reads: by the TZID (zoneinfo) and by the file's
    own VTIMEZONE, which must agree."""
    calendar = Calendar.from_ical(path.read_bytes())
    own = {tz.tz_name: tz.to_tz(lookup_tzid=False) for tz in calendar.timezones}
    rows = []
    for event in calendar.walk("VEVENT"):
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        zone = own[event["DTSTART"].params["TZID"]]
        assert _utc(start.replace(tzinfo=zone)) == _utc(start), (path.name, start)
        assert _utc(end.replace(tzinfo=zone)) == _utc(end), (path.name, end)
        rows.append(
            {
                "file": str(path),
                "uid": str(event["UID"]),
                "status": str(event.get("STATUS", "")),
                "sequence": int(event.get("SEQUENCE", 0)),
                "start": _utc(start),
                "end": _utc(end),
            }
        )
    return rows


def test_ical_js_reads_every_file_at_the_instants_icalendar_reads(
    tmp_path, client, login, sched, cast, dst_visits
):
    files = _write_files(tmp_path, client, login, sched, cast, dst_visits)
    expected = [row for path in files for row in _read_with_icalendar(path)]
    keys = ("file", "uid", "status", "sequence", "start", "end")
    seen = [{k: row[k] for k in keys} for row in read_with_ical_js(files)]
    key = lambda row: (row["file"], row["uid"])  # noqa: E731
    assert sorted(seen, key=key) == sorted(expected, key=key)
    # Each day's visit, meeting and cover duty, in every file that has them,
    # at the school's wall-clock time.
    tz = sched.school.tz
    wanted = {}
    for booking in dst_visits:
        start = dt.datetime.combine(
            booking.date, booking.starts_at.astimezone(tz).time(), tzinfo=tz
        )
        wanted[f"{booking.uid}@jel"] = _utc(start)
        if booking.kind == Booking.Kind.VISIT:
            wanted[f"{booking.uid}-cover-{sched.observer.pk}@jel"] = _utc(start)
    assert {row["uid"] for row in seen} == set(wanted)
    assert all(row["start"] == wanted[row["uid"]] for row in seen)
    # The Friday before clocks go back in 2027: 09:50 is still daylight time.
    friday = next(
        b
        for b in dst_visits
        if b.date == dt.date(2027, 11, 5) and b.kind == Booking.Kind.VISIT
    )
    on_friday = {row["start"] for row in seen if row["uid"] == f"{friday.uid}@jel"}
    assert on_friday == {"2027-11-05T13:50:00.000Z"}
    assert len(seen) >= 4 * len(DAYS) * 2  # feeds and downloads, at least


def test_visit_on_the_friday_before_the_spring_change_is_at_nine_fifty_in_ical_js(
    tmp_path, login, sched, cast
):
    with scope(school=sched.school):
        visit = booking_plan(
            school=sched.school,
            by=cast.principal,
            kind=Booking.Kind.VISIT,
            title="Friday visit",
            date=dt.date(2027, 3, 12),
            period=sched.periods[3],
            host=sched.host,
        )
    response = login(sched.host).get(reverse("scheduling:booking_ics", args=[visit.pk]))
    path = tmp_path / "visit.ics"
    path.write_bytes(response.content)
    [row] = read_with_ical_js([path])
    # 09:50 Eastern Standard Time, two days before clocks go forward.
    assert row["start"] == "2027-03-12T14:50:00.000Z"
    assert row["end"] == "2027-03-12T15:05:00.000Z"


def test_the_check_catches_a_vtimezone_of_dtstart_and_rdates(tmp_path):
    """icalendar's Timezone.from_tzinfo form, which JEL wrote before: ical.js
    drops each observance's DTSTART and reads a March visit an hour early."""
    import zoneinfo

    tz = zoneinfo.ZoneInfo("America/New_York")
    day = dt.date(2027, 3, 12)
    calendar = Calendar()
    calendar.add("prodid", "-//test//EN")
    calendar.add("version", "2.0")
    calendar.add_component(
        Timezone.from_tzinfo(
            tz,
            first_date=day - dt.timedelta(days=366),
            last_date=day + dt.timedelta(days=366),
        )
    )
    event = Event()
    event.add("uid", "old-form@jel")
    event.add("dtstamp", dt.datetime(2026, 11, 30, tzinfo=dt.UTC))
    event.add("dtstart", dt.datetime.combine(day, dt.time(9, 50), tzinfo=tz))
    event.add("dtend", dt.datetime.combine(day, dt.time(10, 5), tzinfo=tz))
    calendar.add_component(event)
    path = tmp_path / "old.ics"
    path.write_bytes(calendar.to_ical())
    [row] = read_with_ical_js([path])
    [python] = _read_with_icalendar(path)
    assert python["start"] == "2027-03-12T14:50:00.000Z"
    assert row["start"] == "2027-03-12T13:50:00.000Z"  # an hour early
