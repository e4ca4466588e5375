"""`make bench`: JEL's pages under load, each beside the floor, on PostgreSQL.

Builds the district with `seed_district` if its database does not have it yet
(264 schools, about 1 M observations; `QUICK=1`: 2 schools), starts gunicorn with
2 sync workers and production settings (DEBUG off) on loopback, and drives each
page with wrk at 1 and 8 clients. Beside every page it measures, in the same run,
the floor: a trivial signed-in view behind the same middleware (bench/urls.py).
It prints one table (p50 and p95 at 1 and 8 clients, requests per second at 8,
queries per request, worker CPU per request, the ratios to the floor) and pass or
fail for each target, then the workers' peak memory.

    make bench              # the whole district (seeding it takes minutes, once)
    make bench QUICK=1      # 2 schools, the same table in under 2 minutes

Settings from the environment: BENCH_PG (server, default
postgres://postgres@127.0.0.1:5432), BENCH_SCHOOLS (default 264), BENCH_SECONDS
(per wrk run; default 10, QUICK 2), REDIS_URL (passed on to the server).
"""

import datetime as dt
import json
import logging
import math
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
QUICK = os.environ.get("QUICK", "") not in ("", "0")
SCHOOLS = 2 if QUICK else int(os.environ.get("BENCH_SCHOOLS", "264"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "2" if QUICK else "10"))
SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DB_NAME = f"jel_bench_{SCHOOLS}"
DISTRICT = "Bench District"
CSRF = secrets.token_hex(16)  # 32 characters: Django takes it as the secret

os.environ.update(
    DATABASE_URL=f"{SERVER}/{DB_NAME}",
    DJANGO_SETTINGS_MODULE="bench.bench_settings",
    DEBUG="0",
    SECRET_KEY=os.environ.get("SECRET_KEY") or secrets.token_urlsafe(40),
    SECURE_SSL_REDIRECT="0",
    ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
    LOG_LEVEL="ERROR",
)
os.environ.setdefault("JEL_VAR_DIR", tempfile.mkdtemp(prefix="jel-bench-"))


def _database():
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        found = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]
        ).fetchone()
        if not found:
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')


_database()

import django  # noqa: E402

django.setup()
logging.disable(logging.WARNING)  # refused requests are in the table, not the log

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_scopes import scopes_disabled  # noqa: E402

from cycles.models import Cycle, Debrief, Visit  # noqa: E402
from jel.models import District, Membership, Role  # noqa: E402
from scheduling.models import CalendarToken  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def seed():
    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    with scopes_disabled():
        if District.objects.filter(name=DISTRICT).exists():
            print(f"District found in {DB_NAME}: not seeded again")
            return
    print(f"Seeding {SCHOOLS} schools into {DB_NAME} (once)...", flush=True)
    call_command("seed_district", "--schools", str(SCHOOLS), "--name", DISTRICT)


def cast():
    """The people whose pages are measured, and what they open."""
    with scopes_disabled():
        district = District.objects.get(name=DISTRICT)
        school = district.schools.order_by("pk").first()
        members = Membership.objects.filter(school=school, is_active=True)
        office = Membership.objects.get(school=school, role=Role.DISTRICT).user
        coach = members.filter(role=Role.COACH).order_by("pk").first().user
        principal = members.filter(role=Role.PRINCIPAL).order_by("pk").first().user
        # A visit of the last days: observed, its debrief still to come, so
        # its entries are open (the capture page and the save measure it).
        visit = (
            Visit.objects.filter(
                school=school,
                cycle__status=Cycle.Status.IN_PROGRESS,
                observations__isnull=False,
            )
            .order_by("-date", "-pk")
            .select_related("cycle")
            .first()
        )
        teacher = visit.observers.order_by("pk").first()
        look_for = visit.cycle.look_fors.order_by("pk").first()
        debrief = Debrief.objects.filter(cycle=visit.cycle).first()
        token, _ = CalendarToken.objects.get_or_create(
            school=school, user=teacher, revoked_at=None
        )
    return {
        "school": school,
        "teacher": teacher,
        "coach": coach,
        "principal": principal,
        "office": office,
        "visit": visit,
        "look_for": look_for,
        "debrief": debrief,
        "token": token.token,
    }


def targets(people):
    """(label, user, method, path, body, kind) for each measured request."""
    three_years = {
        "start": (timezone.localdate() - dt.timedelta(days=3 * 365)).isoformat(),
        "end": timezone.localdate().isoformat(),
    }
    span = "?" + "&".join(f"{k}={v}" for k, v in three_years.items())
    visit = people["visit"]
    evidence = json.dumps(
        {
            "visit": visit.pk,
            "client_id": "{uuid}",
            "text": "Students explained their reasoning.",
            "look_for": people["look_for"].pk,
        }
    )
    t, c, p, o = (people[k] for k in ("teacher", "coach", "principal", "office"))
    return [
        ("floor", t, "GET", "/bench/floor/", None, "floor"),
        ("teacher home", t, "GET", reverse("home"), None, "page"),
        ("teacher's week", t, "GET", reverse("scheduling:my_week"), None, "page"),
        (
            "capture page",
            t,
            "GET",
            reverse("observations:capture", args=[visit.pk]),
            None,
            "page",
        ),
        (
            "save one evidence entry",
            t,
            "POST",
            reverse("observations:api_evidence"),
            evidence,
            "page",
        ),
        (
            "cycle plan page",
            p,
            "GET",
            reverse("cycles:new") + "?kind=rounds",
            None,
            "page",
        ),
        (
            "debrief",
            t,  # an observer in the cycle: the debrief is its group's
            "GET",
            reverse("cycles:debrief", args=[people["debrief"].pk]),
            None,
            "page",
        ),
        ("trends, term", c, "GET", reverse("dashboards:trends"), None, "school"),
        (
            "trends, 3 years",
            c,
            "GET",
            reverse("dashboards:trends") + span,
            None,
            "school",
        ),
        (
            "participation, term",
            c,
            "GET",
            reverse("dashboards:participation"),
            None,
            "school",
        ),
        (
            "follow-through, term",
            c,
            "GET",
            reverse("dashboards:follow_through"),
            None,
            "school",
        ),
        ("ESSA, term", c, "GET", reverse("dashboards:essa"), None, "school"),
        ("ESSA, 3 years", c, "GET", reverse("dashboards:essa") + span, None, "school"),
        ("district, term", o, "GET", reverse("dashboards:district"), None, "district"),
        (
            "district, 3 years",
            o,
            "GET",
            reverse("dashboards:district") + span,
            None,
            "district",
        ),
        (
            "iCal feed",
            None,
            "GET",
            reverse("scheduling:feed", args=[people["token"]]),
            None,
            "page",
        ),
        ("API: cycles", c, "GET", reverse("cycles:api_list"), None, "page"),
        ("API: evidence", c, "GET", reverse("observations:api_evidence"), None, "page"),
        (
            "API: my bookings",
            t,
            "GET",
            reverse("scheduling:api_bookings"),
            None,
            "page",
        ),
    ]


def sign_in(user):
    client = Client()
    client.force_login(user)
    client.cookies["csrftoken"] = CSRF
    return client, client.cookies[settings.SESSION_COOKIE_NAME].value


def queries_for(client, method, path, body):
    """The status and query count of one request, and its time in this process."""
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        if method == "POST":
            response = client.post(
                path,
                body.replace("{uuid}", str(uuid.uuid4())),
                content_type="application/json",
                HTTP_X_CSRFTOKEN=CSRF,
            )
        else:
            response = client.get(path)
    return response.status_code, len(captured), time.perf_counter() - started


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port):
    server = subprocess.Popen(  # noqa: S603 - our own command line
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "jel.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--worker-class",
            "sync",
            "--timeout",
            "120",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{reverse('login')}")  # noqa: S310
            return server
        except urllib.error.HTTPError as refused:
            server.kill()
            message = f"gunicorn answers {refused.code} on the sign-in page"
            raise SystemExit(message) from refused
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.3)
    server.kill()
    raise SystemExit("gunicorn did not answer within 60 s")


def workers(master):
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master:
                found.append(int(entry.name))
    return found


def cpu_seconds(pids):
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def peak_mib(pids):
    peak = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peak = max(peak, int(line.split()[1]) / 1024)
    return peak


def load(url, cookie, method, body, clients, pids, each):
    """wrk's figures for `clients` clients: at least SECONDS, and long enough for
    about 30 requests a client (QUICK: 10) at the time one took (`each`, s)."""
    wanted, cap = (10, 8) if QUICK else (30, 60)
    seconds = min(cap, max(SECONDS, math.ceil(wanted * each * max(clients / 2, 1))))
    env = dict(os.environ)
    headers = []
    if cookie:
        headers += [
            "-H",
            f"Cookie: {settings.SESSION_COOKIE_NAME}={cookie}; csrftoken={CSRF}",
        ]
    if method == "POST":
        env.update(BENCH_METHOD="POST", BENCH_BODY=body)
        headers += [
            "-H",
            f"X-CSRFToken: {CSRF}",
            "-H",
            "Content-Type: application/json",
        ]
    before = cpu_seconds(pids)
    result = subprocess.run(  # noqa: S603 - our own command line
        [
            "wrk",
            f"-t{min(clients, 2)}",
            f"-c{clients}",
            f"-d{seconds}s",
            "--timeout",
            "30s",
            "-s",
            str(ROOT / "bench/latency.lua"),
            *headers,
            url,
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    figures["cpu_ms"] = (
        1000 * (cpu_seconds(pids) - before) / max(figures["requests"], 1)
    )
    return figures


def main():
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")
    seed()
    people = cast()
    plan = targets(people)
    port = free_port()
    server = start_server(port)
    try:
        pids = workers(server.pid)
        rows = []
        for label, user, method, path, body, kind in plan:
            client, cookie = sign_in(user) if user else (Client(), None)
            queries_for(client, method, path, body)  # warm this process's caches
            status, queries, each = queries_for(client, method, path, body)
            url = f"http://127.0.0.1:{port}{path}"
            one = load(url, cookie, method, body, 1, pids, each)
            eight = load(url, cookie, method, body, 8, pids, each)
            rows.append((label, kind, status, queries, one, eight))
            print(f"  measured {label}", flush=True)
        peak = peak_mib(pids)
    finally:
        server.terminate()
        server.wait(timeout=30)
    report(rows, peak)


def report(rows, peak):
    with scopes_disabled():
        from observations.models import Evidence, Observation

        observations = Observation.objects.count()
        evidence = Evidence.objects.count()
    floor = next(row for row in rows if row[1] == "floor")
    f1, f8 = floor[4], floor[5]
    print()
    print(
        f"{SCHOOLS} schools, {observations:,} observations, {evidence:,} evidence "
        f"entries; gunicorn 2 sync workers, DEBUG off; wrk {SECONDS} s per run"
    )
    head = (
        f"{'':26} {'p50@1':>7} {'p95@1':>7} {'p50@8':>7} {'p95@8':>7} {'rps@8':>6}"
        f" {'qry':>4} {'cpu ms':>6} {'x p50':>6} {'x p95':>6}  target"
    )
    print(head)
    print("-" * len(head))
    failed = 0
    for label, kind, status, queries, one, eight in rows:
        x50 = eight["p50"] / f8["p50"] if f8["p50"] else 0
        x95 = eight["p95"] / f8["p95"] if f8["p95"] else 0
        if kind == "floor":
            verdict = "the floor"
        elif status not in (200, 201) or eight["errors"]:
            verdict, ok = f"FAIL (answered {status}, {eight['errors']} errors)", False
        elif kind == "school":
            ok = eight["p95"] <= 150
            verdict = f"{'pass' if ok else 'FAIL'} p95 <= 150 ms"
        elif kind == "district":
            ok = eight["p95"] <= 500
            verdict = f"{'pass' if ok else 'FAIL'} p95 <= 500 ms"
        else:
            ok = x50 <= 3 and x95 <= 5
            verdict = f"{'pass' if ok else 'FAIL'} <= 3x p50, <= 5x p95"
        if kind != "floor" and not ok:
            failed += 1
        print(
            f"{label:26} {one['p50']:7.1f} {one['p95']:7.1f} {eight['p50']:7.1f}"
            f" {eight['p95']:7.1f} {eight['requests'] / eight['seconds']:6.0f}"
            f" {queries if queries is not None else '-':>4} {eight['cpu_ms']:6.1f}"
            f" {x50:6.1f} {x95:6.1f}  {verdict}"
        )
    ok = peak < 250
    failed += not ok
    print(f"worker peak memory: {peak:.0f} MiB  {'pass' if ok else 'FAIL'} < 250 MiB")
    print(f"floor: p50 {f1['p50']:.1f} ms at 1 client, {f8['p50']:.1f} ms at 8")
    print(f"{failed} target(s) failed" if failed else "every target passed")


if __name__ == "__main__":
    main()
