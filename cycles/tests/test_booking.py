"""Scheduling a cycle books its visits and debrief through the master schedule."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from cycles import services
from cycles.tests.test_services import T, micro, rounds
from scheduling.models import Booking, Coverage
from scheduling.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db


def test_scheduled_rounds_are_booked_with_host_observers_and_facilitator(
    scoped, teachers, ready_problem, visit_day
):
    cycle = rounds(scoped, teachers, ready_problem, visit_day, schedule=True)
    visit = cycle.visits.order_by("starts_at").first()
    assert visit.booking.status == Booking.Status.SCHEDULED
    assert visit.booking.host == teachers["old_math"]
    assert visit.period.name == "Period 2"
    people = {p.user for p in visit.booking.people.all()}
    assert {teachers["new_math"], scoped.coach} <= people


def test_host_not_teaching_then_refuses_the_plan_and_names_them(
    scoped, teachers, ready_problem, visit_day
):
    cycle = rounds(
        scoped,
        teachers,
        ready_problem,
        visit_day,
        hosts=[teachers["old_math"], teachers["new_ela"]],  # Ned plans in period 2
        observers=[teachers["mid_sci"]],
    )
    with pytest.raises(ValidationError) as excinfo:
        services.cycle_schedule(cycle=cycle, by=scoped.principal)
    message = " ".join(excinfo.value.message_dict["visit_date"])
    assert "Ned Novice does not teach" in message
    cycle.refresh_from_db()
    assert cycle.status == "draft"
    assert Booking.objects.count() == 0  # nothing half-booked


def test_observer_who_teaches_then_gets_cover(
    scoped, teachers, ready_problem, visit_day
):
    cycle = rounds(
        scoped,
        teachers,
        ready_problem,
        visit_day,
        hosts=[teachers["old_math"], teachers["old_ela"]],
        observers=[teachers["mid_ss"], teachers["new_math"]],  # Sia teaches p2
        schedule=True,
    )
    covers = Coverage.objects.filter(observer=teachers["mid_ss"])
    assert covers.exists()
    assert cycle.status == "scheduled"


def test_cover_can_be_left_to_the_planner(scoped, teachers, ready_problem, visit_day):
    cycle = rounds(
        scoped,
        teachers,
        ready_problem,
        visit_day,
        observers=[teachers["mid_ss"]],
        arrange_cover=False,
    )
    with pytest.raises(ValidationError) as excinfo:
        services.cycle_schedule(cycle=cycle, by=scoped.principal)
    assert "Sia Social teaches" in " ".join(excinfo.value.message_dict["visit_date"])


def test_cancelling_a_scheduled_cycle_cancels_its_bookings(
    scoped, teachers, ready_problem, visit_day
):
    cycle = rounds(scoped, teachers, ready_problem, visit_day, schedule=True)
    services.cycle_transition(cycle=cycle, to_status="cancelled", by=scoped.principal)
    assert set(Booking.objects.values_list("status", flat=True)) == {"cancelled"}


def test_micro_observer_who_teaches_then_gets_cover(
    scoped, teachers, ready_problem, visit_day
):
    # Usually in the observer's planning period; when not, their class is
    # covered (as "Plan a visit" offers), not refused.
    look_for = ready_problem.look_fors.first()
    cycle = micro(
        scoped,
        teachers,
        visit_day,
        [look_for],
        hosts=[teachers["old_ela"]],
        observers=[teachers["mid_ss"]],  # teaches period 2
    )
    services.cycle_schedule(cycle=cycle, by=scoped.coach)
    cycle.refresh_from_db()
    assert cycle.status == "scheduled"
    visit = cycle.visits.get()
    cover = Coverage.objects.get(booking=visit.booking)
    assert cover.observer == teachers["mid_ss"]
    assert cover.section is not None  # the class they teach then
    assert cover.covered_by is not None or cover.needs_substitute


def test_debrief_goes_into_the_teams_next_plc_time(
    scoped, teachers, ready_problem, visit_day
):
    periods = teachers["_schedule"]["periods"]
    team = TeamFactory(
        school=scoped.school,
        name="Grade 7",
        plc_day_of_week=1,  # Tuesdays
        plc_period=periods[7],
    )
    cycle = rounds(
        scoped,
        teachers,
        ready_problem,
        visit_day,
        team=team,
        observers=[teachers["new_math"]],  # everyone in it is free in period 7
        schedule=True,
    )
    debrief = cycle.debriefs.get()
    assert debrief.booking.date == dt.date(2026, 12, 8)  # the Tuesday after
    assert debrief.booking.period == periods[7]
    assert debrief.due_at == debrief.booking.starts_at


def test_visit_on_a_weekend_is_refused_without_booking(scoped, teachers, ready_problem):
    saturday = dt.date(2026, 12, 5)
    cycle = rounds(scoped, teachers, ready_problem, saturday)
    with pytest.raises(ValidationError) as excinfo:
        services.cycle_schedule(cycle=cycle, by=scoped.principal)
    assert "not a school day" in excinfo.value.message_dict["visit_date"][0]


def test_rescheduling_a_scheduled_cycle_moves_its_bookings(
    scoped, teachers, ready_problem, visit_day
):
    cycle = rounds(scoped, teachers, ready_problem, visit_day, schedule=True)
    services.cycle_update(
        cycle=cycle,
        by=scoped.principal,
        visit_date=visit_day + dt.timedelta(days=1),
        start_time=T,
    )
    live = Booking.objects.filter(status="scheduled", kind="visit")
    assert {b.date for b in live} == {visit_day + dt.timedelta(days=1)}
    # The two visits and the debrief (booked after them, there being no team).
    assert Booking.objects.filter(status="cancelled").count() == 3
    debrief = cycle.debriefs.get().booking
    assert debrief.status == "scheduled"
    assert debrief.date == visit_day + dt.timedelta(days=1)


def test_editing_only_the_title_keeps_the_bookings(
    scoped, teachers, ready_problem, visit_day
):
    cycle = rounds(scoped, teachers, ready_problem, visit_day, schedule=True)
    before = set(Booking.objects.values_list("uid", flat=True))
    services.cycle_update(
        cycle=cycle,
        by=scoped.principal,
        title="Renamed",
        visit_date=visit_day,
        start_time=T,
        minutes=15,
        # The edit page sends the debrief's time back as it was.
        debrief_at=cycle.debriefs.get().due_at,
    )
    assert (
        set(Booking.objects.filter(status="scheduled").values_list("uid", flat=True))
        == before
    )


def test_lab_prebrief_is_booked_before_the_lesson(scoped, teachers, visit_day):
    from cycles.tests.test_services import lab

    # 07:30 the day before: before the first bell, so everyone is free.
    before = dt.datetime.combine(visit_day, dt.time(7, 30), tzinfo=scoped.school.tz)
    cycle = lab(scoped, teachers, visit_day, prebrief_at=before - dt.timedelta(days=1))
    services.host_respond(cycle=cycle, user=teachers["old_ela"], accept=True)
    cycle = services.cycle_schedule(cycle=cycle, by=scoped.coach)
    assert cycle.prebrief_booking.kind == "prebrief"
    people = {p.user for p in cycle.prebrief_booking.people.all()}
    assert teachers["old_ela"] in people and teachers["new_ela"] in people


def test_lab_prebrief_after_the_lesson_is_refused(scoped, teachers, visit_day):
    from cycles.tests.test_services import lab

    after = dt.datetime.combine(visit_day, dt.time(15, 0), tzinfo=scoped.school.tz)
    cycle = lab(scoped, teachers, visit_day, prebrief_at=after)
    services.host_respond(cycle=cycle, user=teachers["old_ela"], accept=True)
    with pytest.raises(ValidationError) as excinfo:
        services.cycle_schedule(cycle=cycle, by=scoped.coach)
    assert "before the lesson" in excinfo.value.message_dict["prebrief_at"][0]
