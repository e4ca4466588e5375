"""A real Celery worker with beat delivers 500 due reminders exactly once, although
its process is SIGKILLed halfway and (with Redis) the broker restarts once.

The filesystem broker variant always runs. The Redis variant runs where
REDIS_URL is set (always in CI) against a redis-server of its own on a free port,
so that restarting it disturbs nothing else.

The worker is another process on the machine's real clock, so this test runs on
that clock too (`wall_clock`) and depends on no particular time of day: its
reminders are due a moment ago and the recipient keeps no quiet hours.
Each run appends its figures to test-artifacts/reminder-delivery.txt.
"""

import datetime
import email
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from django_scopes import scopes_disabled

from jel.models import (
    NotificationSettings,
    OutboundEmail,
    Reminder,
    ReminderState,
    ReminderTimings,
)

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.wall_clock,
    pytest.mark.django_db(transaction=True),
]

ROOT = Path(__file__).resolve().parents[2]
COUNT = 500
CONCURRENCY = 2
REPORT = ROOT / "test-artifacts" / "reminder-delivery.txt"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{auth}@{host}/{db['NAME']}"


class Redis:
    def __init__(self):
        self.port = _free_port()
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            # Under Debian's faketime (CI's far-future run) redis-server's
            # allocator clashes with libfaketime; the broker needs no fake clock.
            env={
                k: v
                for k, v in os.environ.items()
                if k not in ("LD_PRELOAD", "FAKETIME")
            },
        )
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def kill(self):
        self.process.kill()
        self.process.wait()


class Worker:
    def __init__(self, env, log):
        self.env, self.log, self.process = env, log, None
        self.restarts = 0

    def start(self):
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "jel",
                "worker",
                "--beat",
                "--concurrency",
                str(CONCURRENCY),
                "--loglevel",
                "INFO",
                "--without-mingle",
                "--without-gossip",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self):
        # The whole process group: the main process, its pool and embedded beat.
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()


def _messages(mail_dir: Path):
    # Django's file backend appends messages to one file per connection and
    # second; forked pool processes can share a name, so split on its separator.
    for path in mail_dir.iterdir():
        for chunk in path.read_bytes().split(b"-" * 79 + b"\n"):
            if chunk.strip():
                yield email.message_from_bytes(chunk)


def messages_for(mail_dir: Path, key: str):
    return [m for m in _messages(mail_dir) if m["X-JEL-Key"] == key]


def _sent() -> int:
    with scopes_disabled():
        return Reminder.objects.filter(state=ReminderState.SENT).count()


def _wait_for(condition, timeout, what, worker=None):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if condition():
            return
        if worker is not None and worker.process.poll() is not None:
            # Kombu's filesystem transport can read a message file while it is
            # being written and the worker then exits; a supervisor restarts
            # it, and so does this test. Exactly-once must survive that too.
            worker.restarts += 1
            worker.start()
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.parametrize("broker", ["filesystem", "redis"])
def test_worker_killed_and_broker_restarted_still_sends_each_reminder_once(
    broker, cast, tmp_path
):
    if broker == "redis":
        if not os.environ.get("REDIS_URL"):
            pytest.skip("REDIS_URL is not set (CI always sets it)")
        if not shutil.which("redis-server"):
            pytest.fail("REDIS_URL is set but redis-server is not installed")
    now = timezone.now()
    with scopes_disabled():
        # Quiet hours would hold every e-mail until 07:00 school time whenever
        # the test runs at night in New York; the same start and end means none.
        NotificationSettings.objects.create(
            school=cast.school,
            membership=cast.teacher.memberships.get(school=cast.school),
            quiet_start=datetime.time(0, 0),
            quiet_end=datetime.time(0, 0),
        )
        # Delivery under load, not the daily cap: every one comes on its own.
        ReminderTimings.objects.create(school=cast.school, daily_cap=COUNT + 1)
        Reminder.objects.bulk_create(
            Reminder(
                school=cast.school,
                recipient=cast.teacher,
                kind="visit_soon",
                about=f"load:{i}",
                due_at=now - datetime.timedelta(seconds=5),
                send_after=now - datetime.timedelta(seconds=5),
                subject=f"Reminder {i}",
                body="A visit starts soon.",
            )
            for i in range(COUNT)
        )
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PYTEST")},
        "DATABASE_URL": _database_url(),
        "JEL_VAR_DIR": str(tmp_path / "var"),
        "JEL_TESTING": "0",
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "EMAIL_URL": f"file://{mail_dir}",
        "JEL_REMINDER_POLL_SECONDS": "1",
        "JEL_REMINDER_STALE_CLAIM_SECONDS": "8",
        "LOG_LEVEL": "WARNING",
    }
    redis = None
    if broker == "redis":
        redis = Redis()
        redis.start()
        env["REDIS_URL"] = f"redis://127.0.0.1:{redis.port}/0"
    else:
        env.pop("REDIS_URL", None)
    log = open(tmp_path / "worker.log", "w")  # noqa: SIM115 - closed below
    worker = Worker(env, log)
    started = time.time()
    try:
        worker.start()
        _wait_for(
            lambda: _sent() >= COUNT // 5, 180, "the first fifth to be sent", worker
        )
        worker.kill()
        killed_at = _sent()
        if redis is not None:
            redis.kill()  # every queued message is lost: Redis keeps nothing on disk
            redis.start()
        worker.start()
        _wait_for(lambda: _sent() == COUNT, 300, "every reminder to be sent", worker)
        with scopes_disabled():
            _wait_for(
                lambda: not OutboundEmail.objects.filter(shipped_at=None).exists(),
                120,
                "every e-mail to be shipped",
            )
    finally:
        worker.kill() if worker.process and worker.process.poll() is None else None
        if redis is not None:
            redis.kill()
        log.close()
    elapsed = time.time() - started

    with scopes_disabled():
        states = Counter(Reminder.objects.values_list("state", flat=True))
        outbox = list(OutboundEmail.objects.values_list("key", flat=True))
    assert states == {ReminderState.SENT: COUNT}
    # The outbox decides each e-mail once: one row per reminder, by unique key.
    assert len(outbox) == COUNT == len(set(outbox))
    shipped = Counter(message["X-JEL-Key"] for message in _messages(mail_dir))
    assert set(shipped) == set(outbox), "an e-mail was lost"
    duplicates = {key: n - 1 for key, n in shipped.items() if n > 1}
    same_id = all(
        len({m["Message-ID"] for m in messages_for(mail_dir, key)}) == 1
        for key in duplicates
    )
    line = (
        f"{timezone.now():%Y-%m-%d %H:%M:%SZ} {broker} on {connection.vendor}: "
        f"{COUNT} reminders in {elapsed:.1f}s, worker killed at {killed_at} sent, "
        f"{len(outbox)} outbox rows, {sum(shipped.values())} e-mails shipped, "
        f"{sum(duplicates.values())} duplicate(s), crash restarts: {worker.restarts}"
    )
    print(f"\n{line}")
    REPORT.parent.mkdir(exist_ok=True)
    with REPORT.open("a") as report:
        report.write(line + "\n")
    # Shipping to the mail server is at-least-once: only a kill between the
    # server's acceptance and the one-statement mark resends, and then only the
    # messages in that window, at most one per pool process, each with the
    # same Message-ID as the first copy.
    kills = 1 + worker.restarts
    assert sum(duplicates.values()) <= CONCURRENCY * kills, line
    assert same_id, "a resend must carry the first copy's Message-ID"
