"""How long scheduling takes on the demo school, and its queries.

Seeds the demo school (seed_demo) into a throwaway SQLite database, or the
database in DATABASE_URL (use a scratch one), then times, median of 5 runs:

- creating and scheduling a cycle of each of the five kinds (rolled back
  after each run, so every run books into the same schedule);
- the cycle form's live check (POST /cycles/check/) and its availability
  panel (the htmx GET that fills #slot-suggestions);
- the free-slot search of a refused visit (booking_suggestions, ten days);
- My week and the iCal feed of the demo's busiest teacher.

    .venv/bin/python bench/schedule_bench.py
"""

import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("JEL_VAR_DIR", tempfile.mkdtemp(prefix="jel-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jel.settings")
os.environ["EMAIL_URL"] = "locmem://"
os.environ["LOG_LEVEL"] = "ERROR"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django_scopes import scope, scopes_disabled  # noqa: E402

from cycles import services as cycle_services  # noqa: E402
from cycles.models import LookFor, ProblemOfPractice  # noqa: E402
from cycles.services.transitions import cycle_schedule, host_respond  # noqa: E402
from jel.models import Membership, Role, School  # noqa: E402
from scheduling import services as schedule_services  # noqa: E402
from scheduling.booking_request import BookingRequest  # noqa: E402
from scheduling.day_facts import day_info, sections_meeting  # noqa: E402
from scheduling.forms import default_class_periods  # noqa: E402
from scheduling.models import Booking, BookingPerson  # noqa: E402
from scheduling.suggestions import booking_suggestions  # noqa: E402

RUNS = 5


class Rollback(Exception):
    pass


def _report(label, times, cpu, queries):
    print(
        f"{label:<36} {statistics.median(times):7.1f} ms "
        f"(cpu {statistics.median(cpu):6.1f} ms, median of {len(times)}), "
        f"{queries:4d} queries ({connection.vendor})",
        flush=True,
    )


def measure(label, run, *, runs=RUNS):
    """Time run() (after one warm-up), printing the median and its queries."""
    run()
    times, cpu, queries = [], [], 0
    for _ in range(runs):
        reset_queries()  # a long run overflows the query log
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            run()
            times.append((time.perf_counter() - started) * 1000)
            # CPU time too: on a shared machine the wall clock waits for others.
            cpu.append((time.process_time() - started_cpu) * 1000)
        queries = len(captured)
    if os.environ.get("BENCH_TRACE") and label.startswith(
        os.environ.get("BENCH_QUERIES", "-")
    ):
        with connection.execute_wrapper(_where):
            run()
    if os.environ.get("BENCH_PROFILE") and label.startswith(
        os.environ["BENCH_PROFILE"]
    ):
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(run)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    if os.environ.get("BENCH_QUERIES") and label.startswith(
        os.environ["BENCH_QUERIES"]
    ):
        for query in captured.captured_queries:
            print("SQL", query["sql"][:300])
    _report(label, times, cpu, queries)


def _where(execute, sql, params, many, context):
    """BENCH_TRACE=table: print where each query of that table comes from."""
    if f'FROM "{os.environ["BENCH_TRACE"]}"' in sql.split(" WHERE ")[0]:
        import traceback

        ours = [
            f"{Path(f.filename).relative_to(ROOT)}:{f.lineno} {f.name}"
            for f in traceback.extract_stack()
            if str(ROOT) in f.filename and ".venv" not in f.filename
        ]
        print("TRACE", " < ".join(reversed(ours[-6:-1])))
    return execute(sql, params, many, context)


def rolled_back(work):
    def run():
        try:
            with transaction.atomic():
                work()
                raise Rollback
        except Rollback:
            pass

    return run


def _visit_day(school):
    """The first school day from a week ahead with nothing booked yet."""
    day = dt.date.today() + dt.timedelta(days=7)
    while not (
        day_info(school=school, day=day).is_school_day
        and not Booking.objects.filter(school=school, date=day).exists()
    ):
        day += dt.timedelta(days=1)
    return day


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    with scopes_disabled():
        school = School.objects.order_by("pk").first()
        principal = (
            Membership.objects.filter(school=school, role=Role.PRINCIPAL).first().user
        )
        teachers = [
            m.user
            for m in Membership.objects.filter(school=school, role=Role.TEACHER)
            .select_related("user")
            .order_by("user__full_name")
        ]
        busiest_id = (
            BookingPerson.objects.filter(school=school, user__in=teachers)
            .values("user")
            .annotate(n=Count("id"))
            .order_by("-n")
            .first()["user"]
        )
        busiest = next(t for t in teachers if t.pk == busiest_id)
        # The week of the busiest teacher's most bookings.
        busy_dates = Counter(
            d - dt.timedelta(days=d.weekday())
            for d in Booking.objects.filter(
                school=school, people__user=busiest
            ).values_list("date", flat=True)
        )
        busy_monday = busy_dates.most_common(1)[0][0]
        periods = list(default_class_periods(school))
        problem = next(
            p
            for p in ProblemOfPractice.objects.filter(school=school)
            if p.passes_all_checks
        )
        look_fors = list(LookFor.objects.filter(school=school, problem=problem)[:3])
        day = _visit_day(school)
        period = periods[2]
        info = day_info(school=school, day=day)
        teaching_then = {
            s.teacher_id
            for s in sections_meeting(school=school, day=day, day_type=info.day_type)
            if s.period.number == period.number
        }
    # Hosts teach then; observers teach too (their classes need cover).
    teach = [t for t in teachers if t.pk in teaching_then]
    client = Client()
    client.force_login(principal)

    def post(url, data):
        def run():
            response = client.post(url, data, HTTP_HX_REQUEST="true")
            assert response.status_code == 200, response.status_code

        return run

    def get(url, data=None, c=client):
        def run():
            response = c.get(url, data or {}, HTTP_HX_REQUEST="true")
            assert response.status_code == 200, response.status_code

        return run

    # --- create and schedule a cycle of each kind ------------------------------
    hosts, observers = teach[:3], teach[3:5]
    plans = {
        "rounds": {
            "hosts": hosts,
            "observers": observers,
            "period": period,
            "minutes": 10,
            "arrange_cover": True,
        },
        "lab": {
            "hosts": hosts[:1],
            "observers": observers,
            "period": period,
            "arrange_cover": True,
            "prebrief_goal": "Students build on each other's ideas",
        },
        "swap": {"hosts": teach[5:9], "period": period},
        "micro": {
            "hosts": hosts[:1],
            "observers": observers[:1],
            "period": period,
            "look_fors": look_fors[:1],
        },
        "walk": {
            "hosts": hosts,
            "observers": teach[5:9],
            "period": period,
            "minutes": 10,
            "arrange_cover": True,
            "initiative": "Student discourse",
            "group_size": 2,
        },
    }
    for kind, plan in plans.items():

        def create(kind=kind, plan=plan):
            with scope(school=school):
                cycle = cycle_services.cycle_create(
                    school=school,
                    by=principal,
                    kind=kind,
                    title=f"Bench {kind}",
                    facilitator=principal,
                    visit_date=day,
                    problem_of_practice=problem,
                    schedule=kind != "lab",
                    **{"look_fors": look_fors, **plan},
                )
                if kind == "lab":  # hosting a lab is opt-in: the host agrees
                    for host in plan["hosts"]:
                        host_respond(cycle=cycle, user=host, accept=True)
                    cycle = cycle_schedule(cycle=cycle, by=principal)
                assert cycle.visits.exclude(booking=None).exists(), kind

        measure(f"Create and schedule: {kind}", rolled_back(create))

    # --- the cycle form's live requests ------------------------------------------
    rounds_form = {
        "kind": "rounds",
        "visit_date": day.isoformat(),
        "period": period.pk,
        "minutes": 10,
        "hosts": [t.pk for t in hosts],
        "observers": [o.pk for o in observers],
        "arrange_cover": "on",
    }
    measure(
        "Cycle form check (rounds, 3 hosts)", post(reverse("cycles:check"), rounds_form)
    )
    lab_form = {**rounds_form, "kind": "lab", "minutes": "", "hosts": [hosts[0].pk]}
    measure("Cycle form check (lab)", post(reverse("cycles:check"), lab_form))
    measure(
        "Availability panel",
        get(
            reverse("cycles:availability"),
            {"kind": "lab", "visit_date": day.isoformat(), "period": period.pk},
        ),
    )

    # --- the free-slot search: a visit whose observer teaches then -------------
    def search():
        with scope(school=school):
            booking_suggestions(
                BookingRequest(
                    school=school,
                    date=day,
                    period=period,
                    minutes=15,
                    host=hosts[0],
                    observers=observers,
                ),
                limit=50,
            )

    measure("Free-slot search (10 school days)", search)

    # --- a busy teacher's week and feed ------------------------------------------
    teacher_client = Client()
    teacher_client.force_login(busiest)
    with scope(school=school):
        token = schedule_services.calendar_token_issue(school=school, user=busiest)
    measure(
        "My week (busiest teacher)",
        get(
            reverse("scheduling:my_week"),
            {"week": busy_monday.isoformat()},
            teacher_client,
        ),
    )
    measure(
        "iCal feed (busiest teacher)",
        get(reverse("scheduling:feed", args=[token.token]), c=Client()),
    )


if __name__ == "__main__":
    main()
