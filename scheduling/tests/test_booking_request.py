"""One BookingRequest for the check, the suggestions and the service; the rules
one function each; what changed with issue 14 (mentors plan visits, the outbox,
reminder texts and kinds, re-deriving after the school's times change)."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django_scopes import scope

from jel import registry
from jel.models import (
    OutboundEmail,
    Reminder,
    ReminderKind,
    ReminderState,
    ReminderTimings,
    Role,
)
from jel.tests.factories import staff
from scheduling import selectors
from scheduling.booking_request import SUBSTITUTE, BookingRequest
from scheduling.conflict_rules import BOOKING_RULES, Check, resolve_when
from scheduling.day_facts import load_day
from scheduling.models import Booking
from scheduling.services import booking_plan
from scheduling.tests.conftest import TUESDAY


def _request(sched, cast, **changes):
    fields = {
        "school": sched.school,
        "by": cast.principal,
        "title": "Visit to Hope",
        "date": TUESDAY,
        "period": sched.periods[3],
        "host": sched.host,
        "observers": [sched.observer],
    }
    return BookingRequest(**{**fields, **changes})


@pytest.mark.usefixtures("in_school")
def test_one_request_is_checked_suggested_and_booked(sched, cast):
    wanted = _request(sched, cast)
    assert [c.code for c in selectors.booking_check(wanted)] == ["observer_teaching"]
    assert selectors.booking_suggestions(wanted)[0].period.name == "Period 1"
    covered = wanted.but(coverage={sched.observer: sched.ann})
    assert selectors.booking_check(covered) == []
    booking = booking_plan(covered)
    assert booking.coverages.get().covered_by == sched.ann


@pytest.mark.usefixtures("in_school")
def test_request_normalises_its_fields(sched, cast):
    moment = dt.datetime(2026, 12, 1, 14, 50, tzinfo=dt.UTC)  # 09:50 in New York
    wanted = _request(
        sched,
        cast,
        start_time=moment,
        observers=[sched.observer, sched.host],
        coverage={sched.observer: None},
        window_override_reason=None,
    )
    assert wanted.start_time == dt.time(9, 50)
    assert wanted.coverage == {sched.observer.pk: SUBSTITUTE}
    assert wanted.window_override_reason == ""
    # The host is never also an observer.
    assert [u for u, _role in wanted.participants] == [sched.observer]
    assert wanted.but(minutes=20).coverage == wanted.coverage


@pytest.mark.usefixtures("in_school")
def test_each_rule_answers_alone(sched, cast):
    facts = load_day(sched.school, TUESDAY)
    wanted = _request(sched, cast, host=cast.coach, observers=[])
    when, timing = resolve_when(facts, wanted)
    assert timing == []
    found = {
        rule.__name__: list(rule(Check(facts, wanted, when))) for rule in BOOKING_RULES
    }
    assert [c.code for c in found["host_teaches_then"]] == ["host_not_teaching"]
    assert all(
        not conflicts
        for name, conflicts in found.items()
        if name != "host_teaches_then"
    )


@pytest.mark.usefixtures("in_school")
def test_for_booking_rebuilds_people_and_cover(sched, cast):
    booking = booking_plan(
        _request(
            sched, cast, coverage={sched.observer: sched.ann}, facilitator=cast.coach
        )
    )
    again = BookingRequest.for_booking(booking)
    assert (again.host, list(again.observers), again.facilitator) == (
        sched.host,
        [sched.observer],
        cast.coach,
    )
    assert again.coverage == {sched.observer.pk: sched.ann}
    assert again.exclude_booking_id == booking.pk
    # The booking does not conflict with itself.
    assert selectors.booking_check(again) == []


def test_a_mentor_plans_visits_as_in_cycles(login, cast, sched):
    mentor = staff(cast.school, Role.MENTOR, full_name="Mo Mentor")
    client = login(mentor)
    assert client.get(reverse("cycles:visit_plan")).status_code == 200
    assert client.get(reverse("scheduling:school_week")).status_code == 200
    # Editing the schedule and the coverage counts stay with the principal.
    assert client.get(reverse("scheduling:setup")).status_code == 403
    assert client.get(reverse("scheduling:coverage_counts")).status_code == 403


def test_school_week_links_follow_abilities(login, cast, sched):
    coach_page = login(cast.coach).get(reverse("scheduling:school_week")).content
    assert b"Edit the schedule" not in coach_page
    principal_page = login(cast.principal).get(reverse("scheduling:school_week"))
    assert b"Edit the schedule" in principal_page.content
    assert b"Coverage counts" in principal_page.content


def test_coverage_email_is_sent_once_per_version_of_the_plan(
    login, sched, cast, django_capture_on_commit_callbacks
):
    with scope(school=sched.school):
        booking = booking_plan(
            _request(sched, cast, coverage={sched.observer: sched.ann})
        )
    client = login(cast.principal)
    post = {"to": "office@school.example.org", "date": TUESDAY.isoformat()}
    with scope(school=sched.school), django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("scheduling:coverage_email"), post)
        client.post(reverse("scheduling:coverage_email"), post)
    assert len(mail.outbox) == 1
    with scope(school=sched.school):
        assert (
            OutboundEmail.objects.filter(key__startswith="coverage-plan:").count() == 1
        )
        cover = booking.coverages.get()
        cover.covered_by = sched.bo
        cover.save()
        Booking.objects.filter(pk=booking.pk).update(sequence=booking.sequence + 1)
    with scope(school=sched.school), django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("scheduling:coverage_email"), post)
    assert len(mail.outbox) == 2
    assert "Bo Baker covers" in mail.outbox[1].body


def _pending(kind):
    return Reminder.objects.filter(kind=kind, state=ReminderState.PENDING)


@pytest.mark.usefixtures("in_school")
def test_visit_soon_says_the_schools_minutes(sched, cast):
    ReminderTimings.objects.update_or_create(
        school=sched.school, defaults={"visit_soon_minutes": 30}
    )
    booking_plan(_request(sched, cast, coverage={sched.observer: sched.ann}))
    [soon] = _pending(ReminderKind.VISIT_SOON)
    assert soon.subject == "In 30 minutes: Visit to Hope"
    assert soon.due_at.astimezone(sched.school.tz).time() == dt.time(9, 20)


@pytest.mark.usefixtures("in_school")
def test_changed_times_rederive_future_bookings(sched, cast):
    booking_plan(_request(sched, cast, coverage={sched.observer: sched.ann}))
    ReminderTimings.objects.update_or_create(
        school=sched.school,
        defaults={"visit_soon_minutes": 60, "visit_tomorrow_at": dt.time(15, 0)},
    )
    [source] = [s for s in registry.reminder_sources if s.name == "scheduling"]
    source.rederive(sched.school)
    [soon] = _pending(ReminderKind.VISIT_SOON)
    assert soon.subject == "In 1 hour: Visit to Hope"
    tomorrow = {
        r.due_at.astimezone(sched.school.tz).time()
        for r in _pending(ReminderKind.VISIT_TOMORROW)
    }
    assert tomorrow == {dt.time(15, 0)}
