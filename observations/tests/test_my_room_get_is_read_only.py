"""Opening Evidence from my room changes nothing: new bright spots stay new
until the host presses Mark the new ones as read (a POST)."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from observations.models import Evidence
from observations.tests.factories import evidence

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.I)
MY_ROOM = reverse("observations:my_room")


def _writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if WRITE.match(q["sql"]) and "django_session" not in q["sql"]
    ]


def _unread() -> int:
    with scopes_disabled():
        return Evidence.objects.filter(bright_spot=True, host_thanked_at=None).count()


def test_opening_my_room_twice_writes_nothing_and_keeps_them_new(
    cast, visit, host, login
):
    evidence(visit, cast.teacher, "Every student wrote a claim", bright_spot=True)
    client = login(host)
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            page = client.get(MY_ROOM)
        assert page.status_code == 200
        assert _writes(queries) == []
        body = page.content.decode()
        assert "Every student wrote a claim" in body
        assert ">New</span>" in body
        assert "Mark the new ones as read" in body
    assert _unread() == 1


def test_home_and_the_wall_do_not_mark_them_read_either(cast, visit, host, login):
    evidence(visit, cast.teacher, "Students built on each other", bright_spot=True)
    client = login(host)
    for url in (reverse("home"), reverse("observations:wall")):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        assert _writes(queries) == [], url
    assert _unread() == 1


def test_the_host_marks_them_read_with_the_button(cast, visit, host, login):
    evidence(visit, cast.teacher, "Every student wrote a claim", bright_spot=True)
    client = login(host)
    answer = client.post(reverse("observations:bright_spots_read"), follow=True)
    body = answer.content.decode()
    assert "Marked 1 note of thanks as read." in body
    assert "Every student wrote a claim" in body  # still there, no longer new
    assert ">New</span>" not in body
    assert "Mark the new ones as read" not in body
    assert _unread() == 0


def test_marking_read_is_refused_by_get(cast, host, login):
    answer = login(host).get(reverse("observations:bright_spots_read"))
    assert answer.status_code == 405


def test_marking_read_touches_only_the_hosts_own_room(cast, visit, host, login):
    evidence(visit, cast.teacher, "Hana's room", bright_spot=True)
    login(cast.outsider).post(reverse("observations:bright_spots_read"))
    assert _unread() == 1
