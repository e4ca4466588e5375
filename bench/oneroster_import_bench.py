"""How long the OneRoster import of a 50-school district takes, and its peak memory.

Generates the export of bench/oneroster_export.py (5,000 staff, 30,000 sections,
630,000 enrollments) into a temporary folder, imports it into a throwaway
SQLite database (or the database in DATABASE_URL: use a scratch one, it is
migrated and filled), then imports it again (nothing must change).

    .venv/bin/python bench/oneroster_import_bench.py [--schools 50]

Target (issue 18): under 60 s on this machine, in bounded memory.
"""

import argparse
import os
import resource
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
from django.db import connection  # noqa: E402
from django_scopes import scopes_disabled  # noqa: E402

from bench.oneroster_export import generate  # noqa: E402
from jel.models import Membership  # noqa: E402
from scheduling.models import Section, TeachingAssignment  # noqa: E402
from scheduling.roster import import_roster  # noqa: E402


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--schools", type=int, default=50)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    folder = Path(tempfile.mkdtemp(prefix="oneroster-")) / "export"
    started = time.perf_counter()
    rows = generate(folder, args.schools)
    size = sum(p.stat().st_size for p in folder.iterdir())
    print(f"database: {connection.vendor}")
    print(
        f"export: {rows['users']} users, {rows['classes']} classes, "
        f"{rows['enrollments']} enrollments, {size / 2**20:.0f} MiB of CSV "
        f"(written in {time.perf_counter() - started:.1f} s)"
    )
    print(f"peak RSS before the import: {peak_mib():.0f} MiB")
    for attempt in ("first import", "second import (same export)"):
        started = time.perf_counter()
        result = import_roster(folder)
        seconds = time.perf_counter() - started
        if not result.ok:
            print("\n".join(result.lines()[:20]))
            sys.exit(1)
        print(f"{attempt}: {seconds:.1f} s, peak RSS {peak_mib():.0f} MiB")
        for line in result.lines()[1:]:
            print(f"  {line.strip()}")
    with scopes_disabled():
        print(
            f"in JEL: {Membership.objects.count()} memberships, "
            f"{Section.objects.count()} sections, "
            f"{TeachingAssignment.objects.count()} teaching assignments"
        )


if __name__ == "__main__":
    main()
