"""How long each dashboard takes for a school of 100 staff with 3 years of data.

Builds the school in a throwaway SQLite database (or the database in
DATABASE_URL: use a scratch one, it is migrated and filled), then times each
dashboard selector and each page through Django's test client, with the number
of queries each ran. The issue's target: every page under one second.

    .venv/bin/python bench/dashboard_bench.py [--years 3] [--staff 100]
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("JEL_VAR_DIR", tempfile.mkdtemp(prefix="jel-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jel.settings")
os.environ["LOG_LEVEL"] = "ERROR"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_scopes import scope, scopes_disabled  # noqa: E402

from cycles.models import (  # noqa: E402
    Cycle,
    CycleLookFor,
    CycleParticipant,
    Debrief,
    LookFor,
    Visit,
)
from dashboards import selectors as dashboards  # noqa: E402
from dashboards.management.commands.seed_district import DEPARTMENTS  # noqa: E402
from jel.models import District, Membership, School, StaffProfile, User  # noqa: E402
from observations.models import (  # noqa: E402
    Evidence,
    Goal,
    GoalCheckIn,
    Observation,
    Reflection,
)
from scheduling.models import AcademicYear, Term  # noqa: E402

KINDS = [Cycle.Kind.ROUNDS, Cycle.Kind.MICRO, Cycle.Kind.SWAP, Cycle.Kind.LAB]


def _people(school, count, rng):
    staff = []
    for n in range(count):
        role = "coach" if n < 3 else "principal" if n < 5 else "teacher"
        user = User.objects.create_user(
            f"bench{school.pk}-{n}@bench.example.org", None, full_name=f"Staff {n}"
        )
        membership = Membership.objects.create(user=user, school=school, role=role)
        StaffProfile.objects.create(
            school=school,
            membership=membership,
            years_experience=rng.randint(0, 25),
            department=DEPARTMENTS[n % len(DEPARTMENTS)],
            grade_levels=[6 + n % 3],
        )
        staff.append((role, user))
    return staff


def build_school(district, name, *, staff_count, years, rng, today):
    """A school with `years` school years of weekly cycles, visits and evidence."""
    school = School.objects.create(district=district, name=name, grade_levels=[6, 7, 8])
    staff = _people(school, staff_count, rng)
    teachers = [u for role, u in staff if role == "teacher"]
    coach = next(u for role, u in staff if role == "coach")
    look_fors = [
        LookFor.objects.create(
            school=school,
            text=f"Look-for {n}",
            kind=["oral", "visual", "artifact"][n % 3],
        )
        for n in range(12)
    ]
    first_year = today.year - years if today.month >= 8 else today.year - years - 1
    for y in range(years + 1):
        start = dt.date(first_year + y, 8, 15)
        year = AcademicYear.objects.create(
            school=school,
            name=f"{start.year}-{start.year + 1}",
            starts_on=start,
            ends_on=dt.date(start.year + 1, 6, 30),
        )
        Term.objects.create(
            school=school,
            year=year,
            name="Fall",
            kind="semester",
            starts_on=start,
            ends_on=dt.date(start.year, 12, 31),
        )
        Term.objects.create(
            school=school,
            year=year,
            name="Spring",
            kind="semester",
            starts_on=dt.date(start.year + 1, 1, 1),
            ends_on=year.ends_on,
        )
    day = dt.date(first_year, 8, 20)
    visits, observer_links, observations, evidence, debriefs = [], [], [], [], []
    while day <= today:
        if day.month in (7,) or day.weekday() >= 5:
            day += dt.timedelta(days=1)
            continue
        if day.weekday() in (0, 1, 3):  # three cycles a week, all school year
            kind = rng.choice(KINDS)
            cycle = Cycle.objects.create(
                school=school,
                kind=kind,
                title=f"{kind} {day}",
                facilitator=coach,
                status=Cycle.Status.CLOSED,
                starts_on=day,
            )
            chosen = rng.sample(look_fors, 3)
            CycleLookFor.objects.bulk_create(
                CycleLookFor(school=school, cycle=cycle, look_for=lf, position=i)
                for i, lf in enumerate(chosen)
            )
            people = rng.sample(teachers, 8)
            CycleParticipant.objects.bulk_create(
                CycleParticipant(school=school, cycle=cycle, user=u, role="host")
                for u in people[:4]
            )
            CycleParticipant.objects.bulk_create(
                CycleParticipant(school=school, cycle=cycle, user=u, role="observer")
                for u in people[4:]
            )
            for host in people[:4]:
                visits.append(
                    (
                        cycle,
                        chosen,
                        Visit(
                            school=school, cycle=cycle, host=host, date=day, minutes=15
                        ),
                        people[4:],
                    )
                )
            due = timezone.make_aware(dt.datetime.combine(day, dt.time(16)))
            held = due - dt.timedelta(hours=1) if rng.random() < 0.8 else None
            debriefs.append(
                Debrief(school=school, cycle=cycle, due_at=due, held_at=held)
            )
        day += dt.timedelta(days=1)
    Visit.objects.bulk_create([v for _c, _l, v, _o in visits])
    Through = Visit.observers.through
    for _cycle, chosen, visit, observers in visits:
        for observer in observers[:2]:
            observer_links.append(Through(visit_id=visit.pk, user_id=observer.pk))
            observations.append(
                (chosen, Observation(school=school, visit=visit, observer=observer))
            )
    Through.objects.bulk_create(observer_links, batch_size=2000)
    Observation.objects.bulk_create([o for _c, o in observations], batch_size=2000)
    for chosen, observation in observations:
        for lf in chosen:
            for _entry in range(2 if rng.random() < 0.6 else 0):
                evidence.append(
                    Evidence(
                        school=school,
                        observation=observation,
                        client_id=uuid.uuid4(),
                        look_for=lf,
                        text="Students explained their reasoning.",
                        is_tally=rng.random() < 0.3,
                    )
                )
    Evidence.objects.bulk_create(evidence, batch_size=2000)
    Debrief.objects.bulk_create(debriefs)
    goals = Goal.objects.bulk_create(
        Goal(school=school, owner=rng.choice(teachers), text="Try wait time")
        for _ in range(years * 150)
    )
    GoalCheckIn.objects.bulk_create(
        GoalCheckIn(school=school, goal=g, tried=True) for g in goals[::2]
    )
    Reflection.objects.bulk_create(
        Reflection(school=school, author=rng.choice(teachers), body="Private")
        for _ in range(years * 300)
    )
    return school, coach, len(visits), len(observations), len(evidence)


def timed(label, fn, runs=5):
    # Counted with a wrapper: the test client resets connection.queries per request.
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        fn()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    median = statistics.median(samples) * 1000
    flag = "ok" if median < 1000 else "SLOW"
    print(f"  {label:<48} {median:8.1f} ms  {len(queries):3d} queries  {flag}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--staff", type=int, default=100)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    rng = random.Random(9)
    today = timezone.localdate()
    started = time.perf_counter()
    with scopes_disabled():
        district = District.objects.create(
            name=f"Bench District {uuid.uuid4().hex[:6]}"
        )
        school, coach, n_visits, n_obs, n_evidence = build_school(
            district,
            "Bench Middle",
            staff_count=args.staff,
            years=args.years,
            rng=rng,
            today=today,
        )
        build_school(
            district,
            "Bench Other Middle",
            staff_count=args.staff,
            years=args.years,
            rng=rng,
            today=today,
        )
        district_user = User.objects.create_user(
            f"district-{district.pk}@bench.example.org", None, full_name="District"
        )
        Membership.objects.create(user=district_user, school=school, role="district")
    print(
        f"Built 2 schools of {args.staff} staff, {args.years} years + this one: "
        f"{n_visits} visits, {n_obs} observations, {n_evidence} evidence entries "
        f"per school in {time.perf_counter() - started:.1f} s ({connection.vendor})"
    )
    with scope(school=school), timezone.override(school.tz):
        term = dashboards.resolve_filters(school=school)
        whole = dashboards.resolve_filters(
            school=school, start=today - dt.timedelta(days=3 * 365), end=today
        )
        narrowed = dashboards.resolve_filters(
            school=school, kind="rounds", department="Mathematics"
        )
        print("Selectors")
        for label, filters in (("this term", term), ("three years", whole)):
            timed(
                f"trends, {label}",
                lambda f=filters: dashboards.look_for_trends(school=school, filters=f),
            )
        timed(
            "trends, this term, rounds in Mathematics",
            lambda: dashboards.look_for_trends(school=school, filters=narrowed),
        )
        timed(
            "participation, this term",
            lambda: dashboards.participation(school=school, filters=term),
        )
        timed(
            "follow-through, this term",
            lambda: dashboards.follow_through(school=school, filters=term),
        )
        timed(
            "ESSA for the school, three years",
            lambda: dashboards.essa_for_school(school=school, filters=whole),
        )
        timed(
            "ESSA for one teacher, this term",
            lambda: dashboards.essa_for_teacher(
                school=school, user=coach, filters=term
            ),
        )
        timed(
            "district, three years",
            lambda: dashboards.district_trends(district=district, filters=whole),
        )
    print("Pages (rendered through the test client, signed in)")
    client = Client()
    client.force_login(coach)
    span = {"start": whole.start.isoformat(), "end": whole.end.isoformat()}
    for label, route, query in (
        ("trends page, this term", "dashboards:trends", {}),
        ("trends page, three years", "dashboards:trends", span),
        (
            "trends CSV (heat map), three years",
            "dashboards:trends_csv",
            {**span, "table": "heatmap"},
        ),
        ("participation page", "dashboards:participation", {}),
        ("follow-through page", "dashboards:follow_through", {}),
        ("ESSA page, three years", "dashboards:essa", span),
        ("trends API, this term", "dashboards:api_trends", {}),
    ):
        url = reverse(route)
        timed(label, lambda u=url, q=query: _ok(client.get(u, q)))
    district_client = Client()
    district_client.force_login(district_user)
    timed(
        "district page, three years",
        lambda: _ok(district_client.get(reverse("dashboards:district"), span)),
    )


def _ok(response):
    assert response.status_code == 200, response.status_code


if __name__ == "__main__":
    main()
