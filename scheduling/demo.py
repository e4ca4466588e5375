"""The demo school's 2026-27 master schedule, seeded idempotently.

Every row is found by a natural key (name, date, SIS-style code) so a second
run changes nothing.
"""

import datetime as dt
import itertools

from django.db import transaction

from jel.demo import DEMO_DOMAIN, demo_people
from jel.models import Membership, Role, User
from scheduling.models import (
    AcademicYear,
    Booking,
    DayType,
    ObservationWindow,
    Period,
    Room,
    SchoolDay,
    Section,
    Team,
    Term,
)

YEAR = ("2026-27", dt.date(2026, 8, 24), dt.date(2027, 6, 11))
TERMS = [
    ("Semester 1", Term.Kind.SEMESTER, dt.date(2026, 8, 24), dt.date(2027, 1, 15)),
    ("Semester 2", Term.Kind.SEMESTER, dt.date(2027, 1, 19), dt.date(2027, 6, 11)),
    ("Quarter 1", Term.Kind.QUARTER, dt.date(2026, 8, 24), dt.date(2026, 10, 23)),
    ("Quarter 2", Term.Kind.QUARTER, dt.date(2026, 10, 26), dt.date(2027, 1, 15)),
    ("Quarter 3", Term.Kind.QUARTER, dt.date(2027, 1, 19), dt.date(2027, 3, 26)),
    ("Quarter 4", Term.Kind.QUARTER, dt.date(2027, 4, 5), dt.date(2027, 6, 11)),
]


def _days(first: dt.date, last: dt.date):
    day = first
    while day <= last:
        yield day
        day += dt.timedelta(days=1)


HOLIDAYS = {
    dt.date(2026, 9, 7): "Labor Day",
    dt.date(2026, 11, 26): "Thanksgiving",
    dt.date(2026, 11, 27): "Thanksgiving",
    **dict.fromkeys(_days(dt.date(2026, 12, 21), dt.date(2027, 1, 1)), "Winter break"),
    dt.date(2027, 1, 18): "Martin Luther King Jr. Day",
    dt.date(2027, 2, 15): "Presidents Day",
    **dict.fromkeys(_days(dt.date(2027, 3, 29), dt.date(2027, 4, 2)), "Spring break"),
    dt.date(2027, 5, 31): "Memorial Day",
}
# Wednesdays start late for staff collaboration.
LATE_START_WEEKDAY = 2

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
HALF_DAYS = {dt.date(2026, 11, 25), dt.date(2026, 12, 18), dt.date(2027, 6, 11)}
WINDOWS = [
    ("Quarter 1 visits", "Quarter 1", dt.date(2026, 9, 28), dt.date(2026, 10, 9)),
    ("Quarter 2 visits", "Quarter 2", dt.date(2026, 11, 30), dt.date(2026, 12, 11)),
    ("Quarter 3 visits", "Quarter 3", dt.date(2027, 2, 22), dt.date(2027, 3, 5)),
    ("Quarter 4 visits", "Quarter 4", dt.date(2027, 5, 3), dt.date(2027, 5, 14)),
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


def _school_days(school, regular, late_start, half_day):
    _, first, last = YEAR
    known = set(SchoolDay.objects.filter(school=school).values_list("date", flat=True))
    rows = []
    for day in _days(first, last):
        if day.weekday() >= 5 or day in known:
            continue
        if day in HOLIDAYS:
            rows.append(
                SchoolDay(
                    school=school, date=day, is_school_day=False, note=HOLIDAYS[day]
                )
            )
        elif day in HALF_DAYS:
            rows.append(
                SchoolDay(school=school, date=day, day_type=half_day, note="Half day")
            )
        else:
            kind = late_start if day.weekday() == LATE_START_WEEKDAY else regular
            rows.append(SchoolDay(school=school, date=day, day_type=kind))
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


def _sections(school, semesters, periods, staff):
    existing = set(
        Section.objects.filter(school=school, code__startswith="demo-").values_list(
            "code", flat=True
        )
    )
    rows, planning_of = [], {}
    for index, (person, user) in enumerate(staff):
        room, _ = Room.objects.get_or_create(school=school, name=f"Room {101 + index}")
        grade = person.grades[0]
        course = f"{COURSES.get(person.department, person.department)} {grade}"
        planning = planning_numbers(index)
        planning_of[user.pk] = planning
        for semester in semesters:
            for number in range(1, 8):
                code = f"demo-{user.email}-{semester.name}-{number}"
                if number in planning or code in existing:
                    continue
                rows.append(
                    Section(
                        school=school,
                        code=code,
                        course=course,
                        room=room,
                        period=periods[(number, Period.Kind.CLASS)],
                        term=semester,
                        teacher=user,
                        grade_level=grade,
                    )
                )
    Section.objects.bulk_create(rows)
    # A section an earlier seed put into what is now a planning period goes.
    stale = [
        section.pk
        for section in Section.objects.filter(
            school=school, code__startswith="demo-"
        ).select_related("period")
        if section.period.number in planning_of.get(section.teacher_id, set())
    ]
    Section.objects.filter(pk__in=stale).delete()
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


# (date, host, observer): plain visits in the Quarter 2 window so the weeks
# and feeds have something to show; the second needs cover for Omar's class.
DEMO_VISITS = [
    (dt.date(2026, 12, 1), "samuel.okafor", "tara.nguyen"),
    (dt.date(2026, 12, 3), "grace.kim", "omar.haddad"),
]


def _demo_visits(school) -> int:
    from scheduling import selectors, services

    principal = User.objects.get(email=f"principal@{DEMO_DOMAIN}")
    made = 0
    for day, host_name, observer_name in DEMO_VISITS:
        host = User.objects.get(email=f"{host_name}@{DEMO_DOMAIN}")
        observer = User.objects.get(email=f"{observer_name}@{DEMO_DOMAIN}")
        title = f"Visit to {host.full_name}"
        if Booking.objects.filter(school=school, date=day, title=title).exists():
            continue
        taught = selectors.teaching_periods(user=host, day=day, school=school)
        busy = {
            p.number
            for p in selectors.teaching_periods(user=observer, day=day, school=school)
        }
        # The first seeded visit fits a planning period; the second is
        # deliberately in a period the observer teaches, to show cover.
        wants_cover = observer_name == "omar.haddad"
        period = next(
            (p for p in taught if (p.number in busy) == wants_cover), taught[0]
        )
        coverage = None
        if period.number in busy:
            options = services.coverage_suggestions(
                school=school, date=day, period=period, observer=observer
            )
            others = [o.user for o in options if o.user != host]
            coverage = {observer: others[0] if others else services.SUBSTITUTE}
        services.booking_plan(
            school=school,
            by=principal,
            kind=Booking.Kind.VISIT,
            title=title,
            date=day,
            period=period,
            host=host,
            observers=[observer],
            coverage=coverage,
        )
        made += 1
    return made


@transaction.atomic
def seed_schedule(*, school, stdout=None) -> None:
    """The 2026-27 year, bell schedules, holidays, rooms, sections, teams, windows."""
    name, first, last = YEAR
    year, _ = AcademicYear.objects.get_or_create(
        school=school, name=name, defaults={"starts_on": first, "ends_on": last}
    )
    terms = {}
    for term_name, kind, starts_on, ends_on in TERMS:
        terms[term_name], _ = Term.objects.get_or_create(
            school=school,
            year=year,
            name=term_name,
            defaults={"kind": kind, "starts_on": starts_on, "ends_on": ends_on},
        )
    regular, _ = DayType.objects.get_or_create(
        school=school, name="Regular", defaults={"is_default": True}
    )
    late_start, _ = DayType.objects.get_or_create(school=school, name="Late start")
    half_day, _ = DayType.objects.get_or_create(school=school, name="Half day")
    regular_periods = _bell_schedule(school, regular, REGULAR)
    _bell_schedule(school, late_start, LATE_START)
    _bell_schedule(school, half_day, HALF_DAY)
    days = _school_days(school, regular, late_start, half_day)
    for room_name in ("Library", "Conference room"):
        Room.objects.get_or_create(school=school, name=room_name)
    staff = _teaching_staff(school)
    sections = _sections(
        school,
        [terms["Semester 1"], terms["Semester 2"]],
        regular_periods,
        staff,
    )
    _teams(school, staff)
    for window_name, term_name, starts_on, ends_on in WINDOWS:
        ObservationWindow.objects.get_or_create(
            school=school,
            name=window_name,
            defaults={
                "term": terms[term_name],
                "starts_on": starts_on,
                "ends_on": ends_on,
            },
        )
    visits = _demo_visits(school)
    if stdout is not None:
        stdout.write(
            f"Schedule: {name}, {days} new school days, {sections} new sections, "
            f"{len(staff)} teachers, {visits} new visits."
        )
