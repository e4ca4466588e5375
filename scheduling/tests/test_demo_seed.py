"""The demo school's schedule: realistic, free colleagues every period, idempotent.

The week's demo visits are planned by cycles' seeder
(cycles/tests/test_seed_upcoming.py).
"""

import datetime as dt
import io

import pytest
from django_scopes import scopes_disabled

from jel.demo import seed_core
from scheduling.demo import seed_schedule
from scheduling.models import (
    DayType,
    ObservationWindow,
    Period,
    SchoolDay,
    Section,
    Team,
    Term,
)
from scheduling.selectors import day_info, planning_periods, teaching_periods


@pytest.fixture
def demo(db):
    school = seed_core()
    with scopes_disabled():
        seed_schedule(school=school, stdout=io.StringIO())
    return school


def _counts():
    with scopes_disabled():
        return {
            model.__name__: model.objects.count()
            for model in (
                Term,
                DayType,
                Period,
                SchoolDay,
                Section,
                Team,
                ObservationWindow,
            )
        }


def test_seed_is_idempotent(demo):
    before = _counts()
    with scopes_disabled():
        seed_schedule(school=demo, stdout=io.StringIO())
    assert _counts() == before
    # Two semesters, four quarters and a summer session; a window a quarter.
    assert before["Term"] == 7 and before["ObservationWindow"] == 5


@scopes_disabled()
def test_holidays_and_late_start(demo):
    assert day_info(school=demo, day=dt.date(2026, 11, 26)).note == "Thanksgiving"
    assert not day_info(school=demo, day=dt.date(2026, 12, 23)).is_school_day
    assert not day_info(school=demo, day=dt.date(2027, 3, 31)).is_school_day
    assert not day_info(school=demo, day=dt.date(2027, 1, 18)).is_school_day
    wednesday = day_info(school=demo, day=dt.date(2026, 12, 2))
    assert wednesday.day_type.name == "Late start"
    first = Period.objects.filter(day_type=wednesday.day_type).order_by("starts_at")[0]
    assert first.starts_at == dt.time(9, 0)


@scopes_disabled()
def test_every_teacher_has_two_planning_periods_and_colleagues_are_free(demo):
    from jel.models import User

    day = dt.date(2026, 12, 1)
    tara = User.objects.get(email="tara.nguyen@jefferson.example.org")
    assert len(teaching_periods(user=tara, day=day, school=demo)) == 5
    assert len(planning_periods(user=tara, day=day, school=demo)) == 2
    teaching = Section.objects.filter(term__name="Semester 1")
    for number in range(1, 8):
        teachers = teaching.values("teacher").distinct().count()
        busy = teaching.filter(period__number=number).count()
        assert teachers - busy >= 5, f"too few free in period {number}"


@scopes_disabled()
def test_teams_have_members_and_plc_times(demo):
    grade7 = Team.objects.get(name="Grade 7")
    assert grade7.members.count() >= 8
    math = Team.objects.get(name="Mathematics")
    assert math.members.filter(full_name="Omar Haddad").exists()
    assert math.plc_starts_at == dt.time(15, 10)


@scopes_disabled()
def test_quarter_two_window_leaves_its_first_and_last_weeks_for_teaching(demo):
    # The suite clock is Monday 30 November 2026, in Quarter 2 (26 Oct-15 Jan).
    window = ObservationWindow.objects.get(name="Quarter 2 visits")
    assert (window.starts_on, window.ends_on) == (
        dt.date(2026, 11, 2),
        dt.date(2027, 1, 8),
    )


@scopes_disabled()
def test_the_year_follows_the_rules(demo):
    from scheduling.models import AcademicYear

    year = AcademicYear.objects.get()
    assert year.name == "2026-27"
    # Monday of the last full week of August; a summer session to mid-July.
    assert (year.starts_on, year.ends_on) == (
        dt.date(2026, 8, 24),
        dt.date(2027, 7, 15),
    )
    last = day_info(school=demo, day=dt.date(2027, 6, 11))
    assert last.day_type.name == "Half day"
    assert day_info(school=demo, day=dt.date(2026, 11, 25)).day_type.name == "Half day"
    assert day_info(school=demo, day=dt.date(2027, 5, 31)).note == "Memorial Day"
    assert day_info(school=demo, day=dt.date(2026, 9, 7)).note == "Labor Day"
    assert day_info(school=demo, day=dt.date(2027, 2, 15)).note == "Presidents Day"
    summer = day_info(school=demo, day=dt.date(2027, 6, 15))
    assert summer.day_type.name == "Summer session"
    assert not day_info(school=demo, day=dt.date(2027, 6, 18)).is_school_day
    assert not day_info(school=demo, day=dt.date(2027, 7, 5)).is_school_day
