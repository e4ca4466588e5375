"""The demo school's master schedule for the year around today, seeded idempotently.

The calendar follows rules (scheduling.demo_calendar), never literal dates.
Every row is found by a natural key (name, date, term/teacher/period) so a
second run on the same day changes nothing; a later day only adds what the
present needs (its year, a window for this week, this week's visits).
"""

import datetime as dt
import itertools

from django.db import transaction
from django.utils import timezone

from jel.demo import demo_people
from jel.models import Membership, Role, User
from scheduling import demo_calendar as rules
from scheduling.demo_calendar import LATE_START_WEEKDAY
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

REGULAR = [
    (1, "Period 1", "08:00", "08:50", Period.Kind.CLASS),
    (2, "Period 2", "08:55", "09:45", Period.Kind.CLASS),
    (3, "Period 3", "09:50", "10:40", Period.Kind.CLASS),
    (4, "Period 4", "10:45", "11:35", Period.Kind.CLASS),
    (0, "Lunch", "11:35", "12:10", Period.Kind.LUNCH),
    (5, "Period 5", "12:15", "13:05", Period.Kind.CLASS),
    (6, "Period 6", "13:10", "14:00", Period.Kind.CLASS),
    (7, "Period 7", "14:05", "14:55", Period.Kind.CLASS),
]
LATE_START = [
    (1, "Period 1", "09:00", "09:40", Period.Kind.CLASS),
    (2, "Period 2", "09:45", "10:25", Period.Kind.CLASS),
    (3, "Period 3", "10:30", "11:10", Period.Kind.CLASS),
    (4, "Period 4", "11:15", "11:55", Period.Kind.CLASS),
    (0, "Lunch", "11:55", "12:30", Period.Kind.LUNCH),
    (5, "Period 5", "12:35", "13:15", Period.Kind.CLASS),
    (6, "Period 6", "13:20", "14:00", Period.Kind.CLASS),
    (7, "Period 7", "14:05", "14:55", Period.Kind.CLASS),
]
# Four long morning blocks, Monday to Thursday.
SUMMER = [
    (1, "Period 1", "08:00", "09:15", Period.Kind.CLASS),
    (2, "Period 2", "09:25", "10:40", Period.Kind.CLASS),
    (3, "Period 3", "10:50", "12:05", Period.Kind.CLASS),
    (0, "Lunch", "12:05", "12:35", Period.Kind.LUNCH),
    (4, "Period 4", "12:35", "13:50", Period.Kind.CLASS),
]
# Who teaches the summer session: core subjects and support.
SUMMER_DEPARTMENTS = {
    "English Language Arts",
    "Mathematics",
    "Science",
    "Special Education",
    "English Learner Support",
}
HALF_DAY = [
    (number, f"Period {number}", start, end, Period.Kind.CLASS)
    for number, start, end in [
        (1, "08:00", "08:30"),
        (2, "08:35", "09:05"),
        (3, "09:10", "09:40"),
        (4, "09:45", "10:15"),
        (5, "10:20", "10:50"),
        (6, "10:55", "11:25"),
        (7, "11:30", "12:00"),
    ]
]
COURSES = {
    "English Language Arts": "English",
    "Mathematics": "Math",
    "Science": "Science",
    "Social Studies": "Social Studies",
    "Special Education": "Learning Support",
    "World Languages": "Spanish",
    "Visual and Performing Arts": "Art",
    "Physical Education": "PE",
    "English Learner Support": "ELD",
}
# Department PLCs meet after school, spread over the week.
DEPARTMENT_PLC_DAY = {
    "English Language Arts": 0,
    "Mathematics": 1,
    "Science": 3,
    "Social Studies": 0,
    "Special Education": 1,
    "World Languages": 3,
    "Visual and Performing Arts": 4,
    "Physical Education": 4,
    "English Learner Support": 1,
}
PLC_AFTER_SCHOOL = (dt.time(15, 10), dt.time(16, 0))


def _clock(text: str) -> dt.time:
    hour, minute = text.split(":")
    return dt.time(int(hour), int(minute))


# Every pair of the seven periods, visited in a fixed order that jumps about
# (8 and 21 share no factor), so neighbours in the list rarely plan together.
PLANNING_PAIRS = list(itertools.combinations(range(1, 8), 2))


def planning_numbers(index: int) -> set[int]:
    """Two planning periods per teacher, spread so every period has free staff."""
    return set(PLANNING_PAIRS[(index * 8) % len(PLANNING_PAIRS)])


def _bell_schedule(school, day_type, rows):
    periods = {}
    for number, name, start, end, kind in rows:
        period, _ = Period.objects.get_or_create(
            school=school,
            day_type=day_type,
            number=number,
            kind=kind,
            defaults={"name": name, "starts_at": _clock(start), "ends_at": _clock(end)},
        )
        periods[(number, kind)] = period
    return periods


def _school_days(school, year, day_types) -> int:
    known = set(
        SchoolDay.objects.filter(
            school=school, date__gte=year.first_day, date__lte=year.ends_on
        ).values_list("date", flat=True)
    )
    rows = []
    for day in rules.days_between(year.first_day, year.ends_on):
        kind = year.day_kind(day)
        if kind is None or day in known:
            continue
        what, note = kind
        if what == "off":
            rows.append(
                SchoolDay(school=school, date=day, is_school_day=False, note=note)
            )
        else:
            note = "Half day" if what == "half" else note
            rows.append(
                SchoolDay(school=school, date=day, day_type=day_types[what], note=note)
            )
    SchoolDay.objects.bulk_create(rows)
    return len(rows)


def _teaching_staff(school):
    teaching_roles = (Role.TEACHER, Role.MENTOR)
    people = {p.email: p for p in demo_people() if p.role in teaching_roles}
    users = {
        u.email: u for u in User.objects.filter(email__in=people).order_by("email")
    }
    members = set(
        Membership.objects.filter(school=school, user__in=users.values()).values_list(
            "user_id", flat=True
        )
    )
    return [
        (people[email], user)
        for email, user in sorted(users.items())
        if user.pk in members
    ]


def teaches_in_summer(person) -> bool:
    return person.department in SUMMER_DEPARTMENTS


def summer_planning_number(index: int) -> int:
    return index % 4 + 1


def _section_code(term, user, number) -> str:
    """A code within Section.code's 60: demo-2026-27-semester-1-ben.carter-3."""
    term_slug = term.name.lower().replace(" ", "-")
    return f"demo-{term.year.name}-{term_slug}-{user.email.split('@')[0]}-{number}"


def _sections(school, terms, periods, summer_periods, staff) -> int:
    """Five sections a semester per teacher, three in the summer session.

    A section is known by its term, teacher and period (not its code), so
    sections an older seed made are found too."""
    existing = set(
        Section.objects.filter(school=school, term__in=terms.values()).values_list(
            "term_id", "teacher_id", "period__number"
        )
    )
    semesters = [terms["Semester 1"], terms["Semester 2"]]
    summer = terms["Summer session"]
    rows = []
    for index, (person, user) in enumerate(staff):
        room, _ = Room.objects.get_or_create(school=school, name=f"Room {101 + index}")
        grade = person.grades[0]
        course = f"{COURSES.get(person.department, person.department)} {grade}"
        plan = [
            (term, range(1, 8), planning_numbers(index), periods) for term in semesters
        ]
        if teaches_in_summer(person):
            plan.append(
                (summer, range(1, 5), {summer_planning_number(index)}, summer_periods)
            )
        for term, numbers, planning, bells in plan:
            for number in numbers:
                if number in planning or (term.pk, user.pk, number) in existing:
                    continue
                rows.append(
                    Section(
                        school=school,
                        code=_section_code(term, user, number),
                        course=f"{course} (summer)" if term is summer else course,
                        room=room,
                        period=bells[(number, Period.Kind.CLASS)],
                        term=term,
                        teacher=user,
                        grade_level=grade,
                    )
                )
    Section.objects.bulk_create(rows)
    return len(rows)


def _teams(school, staff):
    by_grade, by_department = {}, {}
    for person, user in staff:
        for grade in person.grades:
            by_grade.setdefault(grade, []).append(user)
        by_department.setdefault(person.department, []).append(user)
    for grade, members in sorted(by_grade.items()):
        team, _ = Team.objects.get_or_create(
            school=school,
            name=f"Grade {grade}",
            defaults={
                "kind": Team.Kind.GRADE,
                "plc_day_of_week": LATE_START_WEEKDAY,
                "plc_starts_at": dt.time(8, 0),
                "plc_ends_at": dt.time(8, 50),
            },
        )
        team.members.add(*members)
    for department, members in sorted(by_department.items()):
        team, _ = Team.objects.get_or_create(
            school=school,
            name=department,
            defaults={
                "kind": Team.Kind.DEPARTMENT,
                "plc_day_of_week": DEPARTMENT_PLC_DAY.get(department, 0),
                "plc_starts_at": PLC_AFTER_SCHOOL[0],
                "plc_ends_at": PLC_AFTER_SCHOOL[1],
            },
        )
        team.members.add(*members)


def visit_days(today: dt.date) -> list[dt.date]:
    """The days this week's demo visits go on: the school days after today this
    week, else today, else the first school week to come."""
    friday = rules.monday_of(today) + dt.timedelta(days=4)
    days = [
        day
        for day in rules.days_between(today + dt.timedelta(days=1), friday)
        if rules.year_for(day).is_school_day(day)
    ]
    if not days and rules.year_for(today).is_school_day(today):
        days = [today]
    if not days:
        first = rules.next_school_day(today)
        friday = rules.monday_of(first) + dt.timedelta(days=4)
        days = [
            day
            for day in rules.days_between(first, friday)
            if rules.year_for(day).is_school_day(day)
        ]
    return [days[0], days[min(2, len(days) - 1)]]


def _window_for_week(school, days) -> int:
    """Open a window for the visits' week when no quarter window covers it."""
    made = 0
    for day in days:
        if ObservationWindow.objects.filter(
            school=school, starts_on__lte=day, ends_on__gte=day
        ).exists():
            continue
        term = (
            Term.objects.filter(
                school=school,
                kind=Term.Kind.QUARTER,
                starts_on__lte=day,
                ends_on__gte=day,
            )
            .order_by("-starts_on")
            .first()
        )
        monday = rules.monday_of(day)
        ObservationWindow.objects.get_or_create(
            school=school,
            name=f"Open classrooms, week of {monday:%B} {monday.day}, {monday.year}",
            defaults={
                "term": term,
                "starts_on": max(monday, term.starts_on),
                "ends_on": min(monday + dt.timedelta(days=4), term.ends_on),
            },
        )
        made += 1
    return made


def years_to_seed(today: dt.date) -> list:
    """This year, and last year too when the history reaches back into it."""
    current = rules.year_for(today)
    oldest = rules.school_days_before(today, rules.HISTORY_SCHOOL_DAYS)[-1]
    years = [current]
    if oldest < current.first_day:
        years.insert(0, rules.demo_year(current.start_year - 1))
    return years


def _seed_year(school, year, day_types, bells, staff) -> tuple[int, int]:
    academic_year, _ = AcademicYear.objects.get_or_create(
        school=school,
        name=year.name,
        defaults={"starts_on": year.first_day, "ends_on": year.ends_on},
    )
    terms = {}
    for term_name, kind, starts_on, ends_on in year.terms:
        terms[term_name], _ = Term.objects.get_or_create(
            school=school,
            year=academic_year,
            name=term_name,
            defaults={"kind": kind, "starts_on": starts_on, "ends_on": ends_on},
        )
    days = _school_days(school, year, day_types)
    sections = _sections(school, terms, bells["regular"], bells["summer"], staff)
    for window_name, term_name, starts_on, ends_on in year.windows:
        ObservationWindow.objects.get_or_create(
            school=school,
            term=terms[term_name],
            name=window_name,
            defaults={"starts_on": starts_on, "ends_on": ends_on},
        )
    return days, sections


@transaction.atomic
def seed_schedule(*, school, stdout=None) -> None:
    """The year around today (and last year if needed): bell schedules, holidays,
    rooms, sections, teams and windows (this week's visits are cycles')."""
    today = timezone.localdate(timezone=school.tz)
    day_types = {}
    for key, name in [
        ("regular", "Regular"),
        ("late", "Late start"),
        ("half", "Half day"),
        ("summer", "Summer session"),
    ]:
        day_types[key], _ = DayType.objects.get_or_create(
            school=school, name=name, defaults={"is_default": key == "regular"}
        )
    bells = {
        "regular": _bell_schedule(school, day_types["regular"], REGULAR),
        "late": _bell_schedule(school, day_types["late"], LATE_START),
        "half": _bell_schedule(school, day_types["half"], HALF_DAY),
        "summer": _bell_schedule(school, day_types["summer"], SUMMER),
    }
    for room_name in ("Library", "Conference room"):
        Room.objects.get_or_create(school=school, name=room_name)
    staff = _teaching_staff(school)
    days = sections = 0
    years = years_to_seed(today)
    for year in years:
        new_days, new_sections = _seed_year(school, year, day_types, bells, staff)
        days, sections = days + new_days, sections + new_sections
    _teams(school, staff)
    # The week's visits are planned by cycles' seeder (one-visit
    # micro-observations, through the services); their window opens here.
    _window_for_week(school, visit_days(today))
    if stdout is not None:
        stdout.write(
            f"Schedule: {', '.join(y.name for y in years)}, {days} new school days, "
            f"{sections} new sections, {len(staff)} teachers."
        )
