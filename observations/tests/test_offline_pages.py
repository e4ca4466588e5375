"""/offline/pages/: the capture pages the installable app keeps on a phone,
and the offline copy of a capture page (?offline=1)."""

import datetime as dt

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from cycles.models import Cycle
from jel.models import Role
from jel.pwa import person_key
from jel.tests.clock import SUITE_NOW
from jel.tests.factories import staff
from observations.tests.factories import cycle_with_visit

pytestmark = pytest.mark.django_db

URL = "/offline/pages/"


def _capture(visit):
    return reverse("observations:capture", args=[visit.pk])


@pytest.fixture
def host(cast):
    return staff(cast.school, Role.TEACHER, full_name="Hana Host")


def _visit(cast, host, days, at=dt.time(9, 15)):
    return cycle_with_visit(
        cast.school,
        host=host,
        observers=[cast.teacher],
        day=SUITE_NOW.date() + dt.timedelta(days=days),
        at=at,
    )


def test_lists_the_capture_pages_of_today_and_the_next_days(cast, host, login):
    today, tomorrow, in_a_week = (_visit(cast, host, days) for days in (0, 1, 7))
    too_late = _visit(cast, host, 8)
    yesterday = _visit(cast, host, -1)
    body = login(cast.teacher).get(URL).json()
    assert body["pages"] == [
        reverse("home"),
        _capture(today),
        _capture(tomorrow),
        _capture(in_a_week),
    ]
    assert _capture(too_late) not in body["pages"]
    assert _capture(yesterday) not in body["pages"]
    assert body["person"] == person_key(cast.teacher)
    assert "/offline/" in body["shell"]
    assert any(url.endswith("capture/main.js") for url in body["shell"])


def test_the_host_keeps_no_capture_page_of_their_own_room(cast, host, login):
    _visit(cast, host, 1)
    body = login(host).get(URL).json()
    assert body["pages"] == [reverse("home")]


def test_a_cancelled_cycles_visit_is_not_kept(cast, host, login):
    visit = _visit(cast, host, 1)
    with scopes_disabled():
        Cycle.objects.filter(pk=visit.cycle_id).update(status=Cycle.Status.CANCELLED)
    assert login(cast.teacher).get(URL).json()["pages"] == [reverse("home")]


def test_the_facilitator_keeps_the_visits_they_record(cast, host, login):
    visit = cycle_with_visit(
        cast.school,
        host=host,
        observers=[cast.outsider],
        facilitator=cast.coach,
        day=SUITE_NOW.date() + dt.timedelta(days=1),
    )
    assert _capture(visit) in login(cast.coach).get(URL).json()["pages"]


def test_never_lists_private_pages(cast, host, login):
    _visit(cast, host, 1)
    body = login(cast.teacher).get(URL).json()
    for url in body["pages"]:
        assert not url.startswith(("/reflections/", "/goals/", "/profile/"))


def test_offline_copy_of_tomorrows_visit_is_ready_to_open_at_the_start(
    cast, host, login
):
    visit = _visit(cast, host, 1)
    client = login(cast.teacher)
    plain = client.get(_capture(visit)).content.decode()
    copy = client.get(_capture(visit) + "?offline=1").content.decode()
    # The page a person reads on-line before the start is unchanged.
    assert 'id="evidence-form"' not in plain
    # The copy holds the form, hidden until the phone's clock reaches 09:15.
    assert "come back then" in copy
    assert 'id="not-started" data-until-open' in copy
    assert 'id="evidence-form"' in copy
    assert 'aria-labelledby="entry-heading" class="mb-3" hidden data-when-open' in copy
    assert '"prepared": true' in copy
    assert '"opensAt": "' in copy


def test_offline_copy_of_a_started_visit_is_the_usual_page(cast, host, login):
    visit = _visit(cast, host, 0, at=dt.time(7, 30))
    copy = login(cast.teacher).get(_capture(visit) + "?offline=1").content.decode()
    assert 'id="evidence-form"' in copy
    assert "data-when-open" not in copy
    assert '"prepared": false' in copy
