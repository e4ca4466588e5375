"""Factories for the master schedule; build_week() makes a small real schedule."""

import datetime as dt

import factory

from jel.tests.factories import SchoolFactory
from scheduling.models import (
    AcademicYear,
    DayType,
    ObservationWindow,
    Period,
    Room,
    SchoolDay,
    Section,
    Team,
    Term,
)


class AcademicYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AcademicYear

    school = factory.SubFactory(SchoolFactory)
    name = "2026-27"
    starts_on = dt.date(2026, 8, 24)
    ends_on = dt.date(2027, 6, 11)


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term

    year = factory.SubFactory(AcademicYearFactory)
    school = factory.SelfAttribute("year.school")
    name = factory.Sequence(lambda n: f"Term {n}")
    kind = Term.Kind.SEMESTER
    starts_on = factory.SelfAttribute("year.starts_on")
    ends_on = factory.SelfAttribute("year.ends_on")


class DayTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DayType

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"Day type {n}")
    is_default = False


class PeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Period

    day_type = factory.SubFactory(DayTypeFactory)
    school = factory.SelfAttribute("day_type.school")
    number = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda p: f"Period {p.number}")
    starts_at = dt.time(8, 0)
    ends_at = dt.time(8, 50)
    kind = Period.Kind.CLASS


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"Room {100 + n}")


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        skip_postgeneration_save = True

    period = factory.SubFactory(PeriodFactory)
    school = factory.SelfAttribute("period.school")
    course = factory.Sequence(lambda n: f"Course {n}")
    room = factory.SubFactory(RoomFactory, school=factory.SelfAttribute("..school"))
    term = factory.SubFactory(TermFactory, school=factory.SelfAttribute("..school"))
    teacher = None


class SchoolDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolDay

    school = factory.SubFactory(SchoolFactory)
    date = dt.date(2026, 12, 1)
    is_school_day = True
    day_type = None


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"Team {n}")
    kind = Team.Kind.DEPARTMENT


class ObservationWindowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ObservationWindow

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"Window {n}")
    starts_on = dt.date(2026, 11, 30)
    ends_on = dt.date(2026, 12, 11)


# Seven 50-minute class periods from 08:00 with lunch after period 4.
REGULAR_TIMES = [
    (1, "08:00", "08:50"),
    (2, "08:55", "09:45"),
    (3, "09:50", "10:40"),
    (4, "10:45", "11:35"),
    (5, "12:15", "13:05"),
    (6, "13:10", "14:00"),
    (7, "14:05", "14:55"),
]


def _clock(text):
    hour, minute = text.split(":")
    return dt.time(int(hour), int(minute))


def build_schedule(school, *, teaching=None):
    """A school year with a Regular day type, lunch, rooms and sections.

    teaching maps a teacher to the period numbers they teach.
    """
    year = AcademicYearFactory(school=school)
    term = TermFactory(year=year, school=school, name="Fall", kind=Term.Kind.SEMESTER)
    regular = DayTypeFactory(school=school, name="Regular", is_default=True)
    periods = {}
    for number, start, end in REGULAR_TIMES:
        periods[number] = PeriodFactory(
            day_type=regular,
            school=school,
            number=number,
            name=f"Period {number}",
            starts_at=_clock(start),
            ends_at=_clock(end),
        )
    PeriodFactory(
        day_type=regular,
        school=school,
        number=1,
        name="Lunch",
        kind=Period.Kind.LUNCH,
        starts_at=dt.time(11, 35),
        ends_at=dt.time(12, 10),
    )
    sections = {}
    for teacher, numbers in (teaching or {}).items():
        room = RoomFactory(school=school, name=f"Room of {teacher.full_name}")
        for number in numbers:
            sections[(teacher.pk, number)] = SectionFactory(
                school=school,
                period=periods[number],
                term=term,
                room=room,
                teacher=teacher,
                course=f"{teacher.full_name.split()[-1]} class P{number}",
            )
    return {
        "year": year,
        "term": term,
        "regular": regular,
        "periods": periods,
        "sections": sections,
    }


# The demo's late-start bell schedule: every class period later and shorter.
LATE_START_TIMES = [
    (1, "09:00", "09:40"),
    (2, "09:45", "10:25"),
    (3, "10:30", "11:10"),
    (4, "11:15", "11:55"),
    (5, "12:35", "13:15"),
    (6, "13:20", "14:00"),
    (7, "14:05", "14:55"),
]


def add_late_start(school, day: dt.date):
    """A Late start day type (the demo's times) and day its school day; returns
    {number: Period} of the late-start class periods."""
    late = DayTypeFactory(school=school, name="Late start")
    periods = {
        number: PeriodFactory(
            day_type=late,
            school=school,
            number=number,
            name=f"Period {number}",
            starts_at=_clock(start),
            ends_at=_clock(end),
        )
        for number, start, end in LATE_START_TIMES
    }
    SchoolDayFactory(school=school, date=day, day_type=late)
    return periods
