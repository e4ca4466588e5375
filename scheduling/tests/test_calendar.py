"""The one school calendar answers which year, term and semester hold a date."""

import datetime as dt

from scheduling import calendar
from scheduling.models import Term
from scheduling.tests.factories import AcademicYearFactory, TermFactory


def test_the_year_and_terms_come_from_the_master_schedule(cast, in_school):
    school = cast.school
    year = AcademicYearFactory(school=school)  # 2026-08-24 to 2027-06-11
    fall = TermFactory(
        year=year,
        school=school,
        name="Semester 1",
        kind=Term.Kind.SEMESTER,
        starts_on=dt.date(2026, 8, 24),
        ends_on=dt.date(2027, 1, 15),
    )
    q2 = TermFactory(
        year=year,
        school=school,
        name="Quarter 2",
        kind=Term.Kind.QUARTER,
        starts_on=dt.date(2026, 10, 26),
        ends_on=dt.date(2027, 1, 15),
    )
    day = dt.date(2026, 12, 1)
    assert calendar.school_year_for(school=school, day=day) == year
    assert calendar.year_bounds(school=school, day=day) == (
        dt.date(2026, 8, 24),
        dt.date(2027, 6, 11),
    )
    assert calendar.semester_for(school=school, day=day) == fall
    assert calendar.term_for(school=school, day=day, kind="quarter") == q2
    # Without a kind: the shortest term that holds the day.
    assert calendar.term_for(school=school, day=day) == q2
    assert calendar.semester_bounds(school=school, day=day) == (
        dt.date(2026, 8, 24),
        dt.date(2027, 1, 15),
    )


def test_a_school_without_a_year_gets_august_to_july(cast, in_school):
    school = cast.school
    assert calendar.school_year_for(school=school, day=dt.date(2027, 3, 1)) is None
    assert calendar.year_bounds(school=school, day=dt.date(2027, 3, 1)) == (
        dt.date(2026, 8, 1),
        dt.date(2027, 7, 31),
    )
    assert calendar.year_bounds(school=school, day=dt.date(2027, 8, 1)) == (
        dt.date(2027, 8, 1),
        dt.date(2028, 7, 31),
    )
    assert calendar.semester_bounds(school=school, day=dt.date(2026, 9, 9)) == (
        dt.date(2026, 8, 1),
        dt.date(2026, 12, 31),
    )
    assert calendar.semester_bounds(school=school, day=dt.date(2027, 2, 9)) == (
        dt.date(2027, 1, 1),
        dt.date(2027, 7, 31),
    )


def test_another_schools_year_is_not_this_schools(cast, in_school):
    AcademicYearFactory(school=cast.other_school)
    assert (
        calendar.school_year_for(school=cast.school, day=dt.date(2026, 12, 1)) is None
    )
