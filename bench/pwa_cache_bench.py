"""What the installable app keeps on a phone for a teacher with a week of visits.

Seeds the demo school into a throwaway SQLite database (or the database in
DATABASE_URL: use a scratch one), gives the demo teacher one visit to observe
on each of the next five days (on top of the demo's own), asks /offline/pages/
as she would, and sums what the service worker would keep: each page as the
server sends it (capture pages as their offline copy) and each static file.

    .venv/bin/python bench/pwa_cache_bench.py
"""

import datetime
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("JEL_VAR_DIR", tempfile.mkdtemp(prefix="jel-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jel.settings")
os.environ["LOG_LEVEL"] = "ERROR"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.staticfiles import finders  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_scopes import scopes_disabled  # noqa: E402

from jel.demo import DEMO_TEACHER_EMAIL  # noqa: E402
from jel.models import User  # noqa: E402
from observations.offline_views import DAYS_AHEAD  # noqa: E402
from observations.tests.factories import cycle_with_visit  # noqa: E402


def main():
    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)
    with scopes_disabled():
        tara = User.objects.get(email=DEMO_TEACHER_EMAIL)
        school = tara.memberships.first().school
        host = (
            User.objects.filter(memberships__school=school).exclude(pk=tara.pk).first()
        )
        today = timezone.localdate()
        for days in range(1, 6):
            cycle_with_visit(
                school,
                host=host,
                observers=[tara],
                day=today + datetime.timedelta(days=days),
                at=datetime.time(10, 0),
                title=f"Bench rounds, day {days}",
                look_fors=(f"Bench look-for {days}a", f"Bench look-for {days}b"),
            )
    client = Client()
    client.force_login(tara)
    listing = client.get("/offline/pages/")
    assert listing.status_code == 200, listing.status_code
    body = listing.json()
    page_bytes = 0
    for url in body["pages"]:
        copy = f"{url}?offline=1" if url.endswith("/observe/") else url
        response = client.get(copy)
        assert response.status_code == 200, (copy, response.status_code)
        page_bytes += len(response.content)
    static_bytes = 0
    offline_page = 0
    for url in body["shell"]:
        if url.startswith(settings.STATIC_URL):
            path = finders.find(url.removeprefix(settings.STATIC_URL))
            static_bytes += Path(path).stat().st_size
        else:
            offline_page += len(client.get(url).content)
    captures = len(body["pages"]) - 1
    print(f"days kept: today and {DAYS_AHEAD} more; capture pages: {captures}")
    print(
        f"pages: {len(body['pages'])} answers, {page_bytes / 1000:.1f} kB "
        f"(home and capture pages, about {page_bytes / len(body['pages']) / 1000:.1f}"
        " kB each)"
    )
    print(
        f"shell: {len(body['shell'])} answers, "
        f"{(static_bytes + offline_page) / 1000:.1f} kB"
    )
    total = page_bytes + static_bytes + offline_page
    print(f"total kept for the teacher: {total / 1000:.1f} kB")


if __name__ == "__main__":
    main()
