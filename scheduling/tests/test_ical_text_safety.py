"""Whatever a title, room or name holds, every calendar file stays readable.

The forms refuse a title with a line break, but a title, a room or a person's
name may come from elsewhere (an import, the admin, an older row). The feed, the
.ics download and the e-mailed invite make each text safe on the way out: a
summary and a location on one line, no control characters anywhere, and no
text that could pass for a property of its own. Read with Python's icalendar
and with Mozilla's ical.js (Thunderbird, Nextcloud), as calendar apps read them.
"""

import json
import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django_scopes import scope
from icalendar import Calendar

from jel.models import Reminder, User
from scheduling.ical import one_line, safe_text
from scheduling.models import Booking, Room
from scheduling.services import booking_plan, calendar_token_issue
from scheduling.tests.conftest import TUESDAY
from scheduling.tests.icaljs import require_ical_js

SCRIPT = Path(__file__).parent / "js" / "ical_text.mjs"

# No NUL: PostgreSQL cannot store one (the forms refuse it; see the unit test).
NASTY_TITLE = "Visit to Hope\r\nSTATUS:CANCELLED\x01\x0b\u2028Bcc: all\x7f"
NASTY_ROOM = "Room 12\nB\x1b[31m"
NASTY_NAME = "\x07Omar\nHaddad"
NASTY_DESCRIPTION = "Bring the look-fors.\r\nAnd a pen.\x08\rThanks\u2029"

# Bytes no calendar file of ours may hold: C0 controls other than CR and LF
# (which only end lines, as CRLF), DEL.
FORBIDDEN = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@pytest.fixture
def nasty_visit(sched, cast):
    """A covered visit whose title, description, room and observer's name hold
    line breaks and control characters (stored past the forms)."""
    with scope(school=sched.school):
        visit = booking_plan(
            school=sched.school,
            by=cast.principal,
            kind=Booking.Kind.VISIT,
            title=NASTY_TITLE,
            description=NASTY_DESCRIPTION,
            date=TUESDAY,
            period=sched.periods[3],
            host=sched.host,
            observers=[sched.observer],
            coverage={sched.observer: sched.ann},
        )
        Room.objects.filter(pk=visit.room_id).update(name=NASTY_ROOM)
    User.objects.filter(pk=sched.observer.pk).update(full_name=NASTY_NAME)
    return visit


def _files(tmp_path, client, login, sched, cast, visit) -> list[Path]:
    """The observer's and the coverer's feeds, a download and every invite."""
    files = []
    for person in (sched.observer, sched.ann):
        with scope(school=sched.school):
            token = calendar_token_issue(school=sched.school, user=person)
        response = client.get(reverse("scheduling:feed", args=[token.token]))
        assert response.status_code == 200
        files.append(tmp_path / f"feed-{person.pk}.ics")
        files[-1].write_bytes(response.content)
    response = login(sched.host).get(reverse("scheduling:booking_ics", args=[visit.pk]))
    assert response.status_code == 200
    files.append(tmp_path / "booking.ics")
    files[-1].write_bytes(response.content)
    with scope(school=sched.school):
        invites = list(Reminder.objects.exclude(ics="").values_list("pk", "ics"))
    assert invites
    for pk, ics in invites:
        files.append(tmp_path / f"invite-{pk}.ics")
        files[-1].write_bytes(ics.encode())
    return files


def _events(path: Path) -> list:
    return list(Calendar.from_ical(path.read_bytes()).walk("VEVENT"))


def test_one_line_and_safe_text_remove_what_breaks_a_calendar():
    assert one_line(NASTY_TITLE) == "Visit to Hope STATUS:CANCELLED Bcc: all"
    assert one_line("Visit\x00 to Hope") == "Visit to Hope"
    assert one_line(NASTY_ROOM) == "Room 12 B[31m"
    assert one_line("\tTabbed\t title  ") == "Tabbed title"
    assert safe_text(NASTY_DESCRIPTION) == "Bring the look-fors.\nAnd a pen.\nThanks"


def test_every_file_has_only_crlf_line_ends_and_no_control_characters(
    tmp_path, client, login, sched, cast, nasty_visit
):
    for path in _files(tmp_path, client, login, sched, cast, nasty_visit):
        body = path.read_bytes()
        assert not FORBIDDEN.search(body), path.name
        assert b"\n" not in body.replace(b"\r\n", b""), path.name
        assert b"\r" not in body.replace(b"\r\n", b""), path.name
        assert "\u2028".encode() not in body and "\u2029".encode() not in body


def test_a_title_cannot_add_a_property_of_its_own(
    tmp_path, client, login, sched, cast, nasty_visit
):
    for path in _files(tmp_path, client, login, sched, cast, nasty_visit):
        unfolded = path.read_bytes().replace(b"\r\n ", b"")
        # The only STATUS lines are the events' own, and they say CONFIRMED.
        statuses = re.findall(rb"^STATUS:(.*)\r$", unfolded, re.M)
        assert statuses and set(statuses) == {b"CONFIRMED"}, path.name
        for event in _events(path):
            assert str(event["status"]) == "CONFIRMED"


def test_icalendar_reads_one_line_summaries_and_locations(
    tmp_path, client, login, sched, cast, nasty_visit
):
    summaries, locations, descriptions = set(), set(), []
    for path in _files(tmp_path, client, login, sched, cast, nasty_visit):
        for event in _events(path):
            summaries.add(str(event["summary"]))
            locations.add(str(event.get("location", "")))
            descriptions.append(str(event["description"]))
    assert "Visit to Hope STATUS:CANCELLED Bcc: all" in summaries
    assert any(s.startswith("Cover ") and "Omar Haddad" in s for s in summaries)
    assert "Room 12 B[31m" in locations
    assert all("\n" not in s and "\r" not in s for s in summaries | locations)
    visit_text = next(d for d in descriptions if "Bring the look-fors." in d)
    assert "Bring the look-fors.\nAnd a pen.\nThanks" in visit_text
    assert "Omar Haddad (Observer)" in visit_text


def test_ical_js_reads_every_file_and_the_same_texts(
    tmp_path, client, login, sched, cast, nasty_visit
):
    require_ical_js()
    files = _files(tmp_path, client, login, sched, cast, nasty_visit)
    result = subprocess.run(
        ["node", str(SCRIPT), *map(str, files)],
        cwd=Path(settings.BASE_DIR),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    seen = [json.loads(line) for line in result.stdout.splitlines() if line]
    expected = [
        (path.name, str(e["summary"]), str(e.get("location", "")))
        for path in files
        for e in _events(path)
    ]
    assert [
        (Path(row["file"]).name, row["summary"], row["location"]) for row in seen
    ] == expected
    visit_rows = [r for r in seen if r["summary"].startswith("Visit to Hope")]
    assert visit_rows
    for row in visit_rows:
        assert row["summary"] == "Visit to Hope STATUS:CANCELLED Bcc: all"
        assert "\n" not in row["location"]
        assert "Bring the look-fors.\nAnd a pen.\nThanks" in row["description"]
