"""Hand-offs are heard (issue 15, item 6): whoever a request waits on is told,
with a link to where they answer, and the answer tells whoever asked."""

import datetime as dt

import time_machine
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from cycles import services
from cycles.tests.test_services import lab
from jel import services as jel_services
from jel.models import Reminder, ReminderKind, ReminderState, ReminderTimings
from observations import services as observation_services
from observations.tests import factories as observation_factories
from scheduling.models import Booking
from scheduling.services import booking_plan, coverage_assign
from scheduling.tests.conftest import TUESDAY, sched  # noqa: F401


def _notices(user, kind):
    with scopes_disabled():
        return list(
            Reminder.objects.filter(recipient=user, kind=kind).exclude(
                state=ReminderState.CANCELLED
            )
        )


def test_a_lab_host_is_asked_with_a_link_to_where_they_answer(
    login, cast, teachers, visit_day
):
    with scope(school=cast.school):
        cycle = lab(cast, teachers, visit_day)
    (asked,) = _notices(teachers["old_ela"], ReminderKind.HOST_REQUEST)
    assert asked.subject == "Will you host a lab? Discourse lab"
    assert "Cora Coach asks" in asked.body
    page = login(teachers["old_ela"]).get(asked.link)
    assert page.status_code == 200
    assert "I agree to host" in page.content.decode()
    # Editing the cycle or new reminder times never ask again.
    with scope(school=cast.school):
        services.cycle_update(cycle=cycle, by=cast.coach, title="Discourse lab 2")
        jel_services.reminder_timings_save(
            timings=ReminderTimings.for_school(cast.school)
        )
    assert [r.pk for r in _notices(teachers["old_ela"], ReminderKind.HOST_REQUEST)]


def test_the_hosts_answer_tells_the_planner_once(login, cast, teachers, visit_day):
    with scope(school=cast.school):
        cycle = lab(cast, teachers, visit_day)
    host = login(teachers["old_ela"])
    host.post(reverse("cycles:host_respond", args=[cycle.pk]), {"answer": "decline"})
    (told,) = _notices(cast.coach, ReminderKind.HOST_ANSWER)
    assert told.subject == "Vera Veteran declined to host: Discourse lab"
    assert told.link == reverse("cycles:detail", args=[cycle.pk])
    assert login(cast.coach).get(told.link).status_code == 200
    # Not answered yet when told: the request still to come is dropped.
    with scopes_disabled():
        assert not Reminder.objects.filter(
            kind=ReminderKind.HOST_REQUEST, state=ReminderState.PENDING
        ).exists()
    # Deriving again tells nobody twice; a changed answer is told.
    with scope(school=cast.school):
        services.cycle_update(cycle=cycle, by=cast.coach, title="Discourse lab")
    assert len(_notices(cast.coach, ReminderKind.HOST_ANSWER)) == 1
    with time_machine.travel(dt.timedelta(minutes=5)):
        # The one test client: sign the host in again after the planner.
        login(teachers["old_ela"]).post(
            reverse("cycles:host_respond", args=[cycle.pk]), {"answer": "accept"}
        )
    subjects = {r.subject for r in _notices(cast.coach, ReminderKind.HOST_ANSWER)}
    assert "Vera Veteran agreed to host: Discourse lab" in subjects


def test_a_colleague_asked_to_cover_is_told_at_once(sched, cast):  # noqa: F811
    with scope(school=sched.school):
        booking = booking_plan(
            school=sched.school,
            by=cast.principal,
            kind=Booking.Kind.VISIT,
            title="Visit to Hope",
            date=TUESDAY,
            period=sched.periods[3],
            host=sched.host,
            observers=[sched.observer],
            coverage={sched.observer: sched.ann},
        )
    (asked,) = _notices(sched.ann, ReminderKind.COVER_ASKED)
    assert asked.due_at <= dt.datetime.now(dt.UTC)
    assert asked.link.endswith("#cover")
    assert asked.subject.startswith("You are asked to cover")
    # Handing it to a substitute and back does not ask Ann a second time.
    with scope(school=sched.school):
        cover = booking.coverages.get()
        coverage_assign(coverage=cover, covered_by=None, by=cast.principal)
        coverage_assign(coverage=cover, covered_by=sched.ann, by=cast.principal)
    assert len(_notices(sched.ann, ReminderKind.COVER_ASKED)) == 1


def test_a_shared_reflection_and_its_reply_are_heard(cast, teachers, visit_day):
    with scope(school=cast.school):
        cycle = lab(cast, teachers, visit_day)
        reflection = observation_services.reflection_create(
            school=cast.school,
            body="Students built on each other",
            visibility="cycle_group",
            cycle=cycle,
            by=teachers["new_ela"],
        )
    with scopes_disabled():
        readers = {
            r.recipient.full_name
            for r in Reminder.objects.filter(kind=ReminderKind.REFLECTION_SHARED)
        }
    assert teachers["new_ela"].full_name not in readers
    assert {teachers["old_ela"].full_name, cast.coach.full_name} <= readers
    with scope(school=cast.school):
        observation_services.reflection_reply(
            reflection=reflection, body="Which moment?", by=cast.coach, role="coach"
        )
    (reply,) = _notices(teachers["new_ela"], ReminderKind.REFLECTION_REPLY)
    assert reply.subject == "Cora Coach replied to a reflection"
    # Made private again: its readers' notices still to come are dropped.
    with scope(school=cast.school):
        observation_services.reflection_update(
            reflection=reflection,
            body=reflection.body,
            visibility="private",
            by=teachers["new_ela"],
        )
    assert not _notices(teachers["old_ela"], ReminderKind.REFLECTION_SHARED)


def test_a_bright_spot_tells_its_host_after_the_visit(cast, teachers, visit_day):
    with scope(school=cast.school):
        cycle = lab(cast, teachers, visit_day)
        visit = cycle.visits.get()
    spot = observation_factories.evidence(visit, teachers["new_ela"])
    with scope(school=cast.school):
        observation_services.evidence_mark_bright_spot(
            evidence=spot, bright_spot=True, by=teachers["new_ela"]
        )
    (told,) = _notices(teachers["old_ela"], ReminderKind.BRIGHT_SPOT)
    assert told.due_at >= visit.ends_at
    assert told.link == reverse("observations:my_room")
    with scope(school=cast.school):
        observation_services.evidence_share_on_wall(
            evidence=spot, agreed=True, by=teachers["old_ela"]
        )
    (thanks,) = _notices(teachers["new_ela"], ReminderKind.BRIGHT_SPOT)
    assert thanks.link == reverse("observations:wall")
