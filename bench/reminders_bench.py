"""How long sending 500 and 5,000 due reminders takes, and queries per reminder.

Runs the real services (claim, deliver into the outbox, ship through Django's
locmem mail backend) in this process, against a throwaway SQLite database, or
the database in DATABASE_URL (use a scratch database: it is migrated and filled).

    .venv/bin/python bench/reminders_bench.py
"""

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

from django.core import mail  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_scopes import scopes_disabled  # noqa: E402

from jel import services  # noqa: E402
from jel.models import District, Membership, Reminder, School, User  # noqa: E402


def run(count: int, school, people) -> None:
    mail.outbox = []
    now = timezone.now()
    Reminder.objects.bulk_create(
        Reminder(
            school=school,
            recipient=people[i % len(people)],
            kind="visit_soon",
            about=f"bench-{count}:{i}",
            due_at=now,
            send_after=now,
            subject=f"Reminder {i}",
            body="A visit starts soon.",
        )
        for i in range(count)
    )
    queries = 0

    def count_queries(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    started = time.perf_counter()
    with connection.execute_wrapper(count_queries):
        claimed = services.reminders_claim_due(limit=count)
        for reminder_id in claimed:
            services.reminder_deliver(reminder_id=reminder_id)
    elapsed = time.perf_counter() - started
    assert len(mail.outbox) == count, len(mail.outbox)
    print(
        f"{count:>6} reminders: {elapsed:6.2f} s, {count / elapsed:7.0f} per second, "
        f"{queries / count:5.1f} queries per reminder ({connection.vendor})"
    )


def main() -> None:
    call_command("migrate", verbosity=0)
    from django.conf import settings

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with scopes_disabled():
        district, _ = District.objects.get_or_create(name="Bench District")
        school, _ = School.objects.get_or_create(district=district, name="Bench School")
        people = []
        for i in range(50):
            user, _ = User.objects.get_or_create(
                email=f"bench{i}@bench.example.org", defaults={"full_name": f"B {i}"}
            )
            Membership.objects.get_or_create(user=user, school=school, role="teacher")
            people.append(user)
        for count in (500, 5000):
            run(count, school, people)


if __name__ == "__main__":
    main()
