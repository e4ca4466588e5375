"""The term planner against the greedy baseline: solve time and substitutes.

Builds, in a throwaway SQLite database (or DATABASE_URL: use a scratch one),
a generated school of 100 teaching staff with a 9-week term (seven periods,
late-start Wednesdays, one or two planning periods each, windows over the whole
term), and plans it with the school's usual intentions: each teacher observes
2 colleagues and hosts once, new teachers a micro-observation every week, at
most 2 covers per colleague per week. Then the demo school's current term.
Prints, for each, the solver's and the baseline's visits, coverage periods,
substitutes and time.

    .venv/bin/python bench/term_planner_bench.py
"""

import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("JEL_VAR_DIR", tempfile.mkdtemp(prefix="jel-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jel.settings")
os.environ["LOG_LEVEL"] = "ERROR"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_scopes import scope, scopes_disabled  # noqa: E402

from cycles.planner import baseline, solver  # noqa: E402
from cycles.planner.inputs import read_inputs  # noqa: E402
from cycles.planner.proposal import figures_of  # noqa: E402
from jel.models import Role, School  # noqa: E402
from jel.tests.factories import SchoolFactory, staff  # noqa: E402
from scheduling import models as sch  # noqa: E402

INTENTIONS = {
    "observe_at_least": 2,
    "host_at_least": 1,
    "weekly_for_new": True,
    "cover_cap_week": 2,
}
DEPARTMENTS = [
    "Mathematics",
    "English",
    "Science",
    "Social Studies",
    "World Languages",
    "Arts",
    "Physical Education",
]
TIMES = [
    ("08:00", "08:50"),
    ("08:55", "09:45"),
    ("09:50", "10:40"),
    ("10:45", "11:35"),
    ("12:15", "13:05"),
    ("13:10", "14:00"),
    ("14:05", "14:55"),
]
LATE = [
    ("09:00", "09:40"),
    ("09:45", "10:25"),
    ("10:30", "11:10"),
    ("11:15", "11:55"),
    ("12:35", "13:15"),
    ("13:20", "14:00"),
    ("14:05", "14:45"),
]


def _clock(text):
    hour, minute = text.split(":")
    return dt.time(int(hour), int(minute))


@scopes_disabled()
def generated_school(staff_count=100, weeks=9):
    """A school of staff_count teachers and a weeks-long term from next Monday."""
    rng = random.Random(22)
    school = SchoolFactory(name="Generated High")
    today = timezone.localdate()
    start = today + dt.timedelta(days=7 - today.weekday())
    end = start + dt.timedelta(weeks=weeks) - dt.timedelta(days=3)
    year = sch.AcademicYear.objects.create(
        school=school, name="Bench year", starts_on=start, ends_on=end
    )
    term = sch.Term.objects.create(
        school=school,
        year=year,
        name="Bench term",
        kind=sch.Term.Kind.QUARTER,
        starts_on=start,
        ends_on=end,
    )
    regular = sch.DayType.objects.create(school=school, name="Regular", is_default=True)
    late = sch.DayType.objects.create(school=school, name="Late start")
    periods = {}
    for day_type, times in ((regular, TIMES), (late, LATE)):
        for number, (begin, finish) in enumerate(times, start=1):
            periods[(day_type.pk, number)] = sch.Period.objects.create(
                school=school,
                day_type=day_type,
                number=number,
                name=f"Period {number}",
                starts_at=_clock(begin),
                ends_at=_clock(finish),
            )
    day = start
    while day <= end:
        if day.weekday() == 2:
            sch.SchoolDay.objects.create(school=school, date=day, day_type=late)
        day += dt.timedelta(days=1)
    sections = []
    for i in range(staff_count):
        department = DEPARTMENTS[i % len(DEPARTMENTS)]
        years = rng.choice([0, 1, 2, 4, 7, 12, 20])
        user = staff(
            school,
            Role.TEACHER,
            full_name=f"Teacher {i:03d}",
            years=years,
            department=department,
        )
        # A department shares its planning periods (common planning time).
        planning = {2 + (i % len(DEPARTMENTS)) % 5}
        if rng.random() < 0.5:
            planning.add(1 + rng.randrange(7))
        for number in range(1, 8):
            if number in planning:
                continue
            sections.append(
                sch.Section(
                    school=school,
                    course=f"{department} {number}",
                    period=periods[(regular.pk, number)],
                    term=term,
                    teacher=user,
                )
            )
    sch.Section.objects.bulk_create(sections)
    sch.ObservationWindow.objects.create(
        school=school, name="The whole term", term=term, starts_on=start, ends_on=end
    )
    return school, term


def run(label, school, term, intentions=INTENTIONS):
    with scope(school=school):
        began = time.perf_counter()
        inputs = read_inputs(school=school, term=term, intentions=intentions)
        read = time.perf_counter() - began
        began = time.perf_counter()
        by_hand = baseline.baseline_plan(inputs)
        greedy = time.perf_counter() - began
        visits, status, seconds = solver.solve(inputs, hint=by_hand)
    solved, manual = figures_of(inputs, visits), figures_of(inputs, by_hand)
    print(
        f"{label}: {len(inputs.people)} teachers, {len(inputs.slots)} slots, "
        f"{inputs.weeks} weeks; reading the schedule {read:.1f} s"
    )
    for name, figures, took in (
        ("solver", solved, seconds),
        ("baseline", manual, greedy),
    ):
        short = sum(s["short"] for s in figures["shortfalls"])
        print(
            f"  {name:8} {figures['visits']:4} visits, "
            f"{figures['coverage_periods']:4} coverage periods, "
            f"{figures['substitutes']:4} substitutes, {short:3} visits short, "
            f"most covers by one colleague {figures['most_covers_by_one']}, "
            f"{took:.1f} s" + (f" ({status})" if name == "solver" else "")
        )
    return solved, manual, seconds


def main():
    call_command("migrate", verbosity=0)
    school, term = generated_school()
    run("Generated school", school, term)
    call_command("seed_demo", verbosity=0)
    with scopes_disabled():
        demo = School.objects.exclude(pk=school.pk).order_by("pk").first()
        today = timezone.localdate()
        term = (
            sch.Term.objects.filter(school=demo, ends_on__gte=today)
            .order_by("starts_on")
            .first()
        )
    if term is None:
        print("Demo school: no term ahead of today to plan.")
        return
    run(f"Demo school ({term})", demo, term)


if __name__ == "__main__":
    main()
