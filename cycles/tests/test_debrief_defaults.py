"""Defaults never make a valid plan fail: a debrief without a chosen time takes
the team's next free PLC time, and a lab's reflection is booked right after the
lesson with its people."""

import datetime as dt

import pytest

from cycles import services
from cycles.tests.test_services import lab, rounds
from scheduling.models import Booking, BookingPerson
from scheduling.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def math_team(scoped, teachers):
    periods = teachers["_schedule"]["periods"]
    return TeamFactory(
        school=scoped.school,
        name="Math",
        plc_day_of_week=1,  # Tuesdays
        plc_period=periods[7],
    )


def test_a_second_cycle_takes_the_teams_next_free_plc_time(
    scoped, teachers, ready_problem, visit_day, math_team
):
    first = rounds(
        scoped,
        teachers,
        ready_problem,
        visit_day,
        team=math_team,
        observers=[teachers["new_math"]],
        schedule=True,
    )
    second = rounds(
        scoped,
        teachers,
        ready_problem,
        visit_day + dt.timedelta(days=1),
        title="Second rounds",
        team=math_team,
        observers=[teachers["new_math"]],
        schedule=True,
    )
    assert second.status == "scheduled"
    taken = first.debriefs.get().booking
    moved = second.debriefs.get().booking
    assert taken.date == dt.date(2026, 12, 8)
    # The coach facilitates both: the second debrief is the Tuesday after.
    assert moved.date == dt.date(2026, 12, 15)
    assert moved.kind == Booking.Kind.DEBRIEF
    assert moved.period == taken.period


def test_a_labs_reflection_is_booked_right_after_the_lesson(
    scoped, teachers, visit_day
):
    # Vera teaches periods 1-4 and 6: a lesson in period 4 (10:45-11:35) is
    # followed by lunch, when everyone is free.
    cycle = lab(
        scoped,
        teachers,
        visit_day,
        start_time=dt.time(10, 45),
        minutes=50,
        hosts=[teachers["old_ela"]],
        observers=[teachers["new_ela"]],
    )
    services.host_respond(cycle=cycle, user=teachers["old_ela"], accept=True)
    services.cycle_schedule(cycle=cycle, by=scoped.coach)
    booking = cycle.debriefs.get().booking
    assert booking is not None and booking.kind == Booking.Kind.DEBRIEF
    local = booking.starts_at.astimezone(scoped.school.tz)
    assert (local.date(), local.time()) == (visit_day, dt.time(11, 35))
    people = {(p.user, p.role) for p in booking.people.all()}
    assert (scoped.coach, BookingPerson.Role.FACILITATOR) in people
    assert {u for u, _ in people} >= {teachers["old_ela"], teachers["new_ela"]}


def test_a_labs_reflection_waits_for_a_time_everyone_is_free(
    scoped, teachers, visit_day
):
    # A lesson in period 2 (08:55-09:45): Vera and Ned both teach period 3,
    # and Ned teaches 4, 5 and 7; after school (14:55) they are free.
    cycle = lab(
        scoped,
        teachers,
        visit_day,
        start_time=dt.time(8, 55),
        minutes=50,
        hosts=[teachers["old_ela"]],
        observers=[teachers["new_ela"]],
    )
    services.host_respond(cycle=cycle, user=teachers["old_ela"], accept=True)
    services.cycle_schedule(cycle=cycle, by=scoped.coach)
    booking = cycle.debriefs.get().booking
    local = booking.starts_at.astimezone(scoped.school.tz)
    assert local.time() == dt.time(14, 55)


def test_a_cycle_without_a_team_books_its_debrief_at_the_first_shared_free_time(
    scoped, teachers, ready_problem, visit_day
):
    from scheduling import selectors as schedule

    cycle = rounds(scoped, teachers, ready_problem, visit_day, schedule=True)
    assert cycle.team is None
    debrief = cycle.debriefs.get()
    # Before: no team, no PLC time, so no booking and "not booked yet".
    booking = debrief.booking
    assert booking is not None and booking.kind == Booking.Kind.DEBRIEF
    assert booking.date == visit_day
    last_end = max(v.ends_at for v in cycle.visits.all())
    assert booking.starts_at >= last_end
    assert debrief.due_at == booking.starts_at
    people = set(
        BookingPerson.objects.filter(booking=booking).values_list("user_id", flat=True)
    )
    everyone = {m.user_id for m in cycle.memberships.all()} | {cycle.facilitator_id}
    assert everyone <= people
    # Nobody teaches then: the first class period after the visits where
    # everyone is free (here, after school).
    for user in (teachers["old_math"], teachers["new_math"], teachers["mid_sci"]):
        taught = schedule.teaching_periods(
            user=user, day=visit_day, school=scoped.school
        )
        local = booking.starts_at.astimezone(scoped.school.tz).time()
        assert not any(p.starts_at <= local < p.ends_at for p in taught)
