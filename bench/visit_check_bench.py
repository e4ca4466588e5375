"""How long the live checks take on the demo school, and their queries.

Seeds the demo school (seed_demo) into a throwaway SQLite database, or the
database in DATABASE_URL (use a scratch one), then posts the form as htmx does
to Plan a visit's check (/schedule/visits/check/) and the cycle form's check
(/cycles/check/), printing milliseconds and queries per request.

    .venv/bin/python bench/visit_check_bench.py
"""

import datetime as dt
import os
import sys
import tempfile
import time
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
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django_scopes import scopes_disabled  # noqa: E402

from jel.models import Membership, Role, School  # noqa: E402
from scheduling.forms import default_class_periods  # noqa: E402


def _next_weekday(day):
    day += dt.timedelta(days=7)
    while day.weekday() != 2:  # a Wednesday next week
        day += dt.timedelta(days=1)
    return day


def measure(client, url, data, label, runs=5):
    client.post(url, data, HTTP_HX_REQUEST="true")  # warm up
    times, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.post(url, data, HTTP_HX_REQUEST="true")
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
        queries = len(captured)
    times.sort()
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(client.post, url, data, HTTP_HX_REQUEST="true")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    print(
        f"{label:<34} {times[len(times) // 2]:7.1f} ms (median of {runs}), "
        f"{queries:4d} queries ({connection.vendor})"
    )


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
        period = list(default_class_periods(school))[3]
    client = Client()
    client.force_login(principal)
    day = _next_weekday(dt.date.today()).isoformat()
    host, *observers = teachers[:3]
    visit = {
        "host": host.pk,
        "observers": [o.pk for o in observers],
        "date": day,
        "period": period.pk,
        "minutes": 15,
    }
    measure(client, reverse("scheduling:visit_check"), visit, "Plan a visit check")
    cycle = {
        "kind": "rounds",
        "visit_date": day,
        "period": period.pk,
        "minutes": 10,
        "hosts": [t.pk for t in teachers[3:6]],
        "observers": [o.pk for o in observers],
        "arrange_cover": "on",
    }
    measure(client, reverse("cycles:check"), cycle, "Cycle form check (3 hosts)")
    lab = {**cycle, "kind": "lab", "minutes": "", "hosts": [teachers[3].pk]}
    measure(client, reverse("cycles:check"), lab, "Cycle form check (lab)")


if __name__ == "__main__":
    main()
