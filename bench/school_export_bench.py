"""How long a school's whole export and its re-import take, for the demo school.

Seeds the demo school (38 staff, about ten weeks of cycles) into a throwaway
SQLite database (or the database in DATABASE_URL: use a scratch one, it is
migrated, filled and emptied), exports it as its principal, removes the school,
rebuilds it with import_school_export, exports again and says whether the two
exports are equal modulo their ids.

    .venv/bin/python bench/school_export_bench.py
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
os.environ["LOG_LEVEL"] = "ERROR"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django_scopes import scope, scopes_disabled  # noqa: E402

from cycles import models as cyc  # noqa: E402
from jel.models import Membership, School, User  # noqa: E402
from observations import school_export  # noqa: E402
from observations.models import Evidence, ImportedEvidence, Observation  # noqa: E402
from observations.tests.export_compare import canonical, tables_of  # noqa: E402
from scheduling import models as sch  # noqa: E402

PRINCIPAL = "principal@jefferson.example.org"


def export(school, user):
    with scope(school=school), CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        body, rows = school_export.build(school=school, user=user, role="principal")
        seconds = time.perf_counter() - start
    return body, rows, seconds, len(queries)


@scopes_disabled()
def remove(school):
    """The school and its people gone (the import makes them again)."""
    people = list(
        Membership.objects.filter(school=school).values_list("user_id", flat=True)
    )
    for model in (Evidence, ImportedEvidence, Observation, cyc.Debrief, cyc.Visit):
        model.objects.filter(school=school).delete()
    for model in (cyc.CycleLookFor, cyc.Cycle, cyc.LookFor, cyc.ProblemOfPractice):
        model.objects.filter(school=school).delete()
    for model in (sch.Section, sch.SchoolDay, sch.Booking):
        model.objects.filter(school=school).delete()
    school.delete()
    User.objects.filter(pk__in=people).delete()


def main():
    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)
    with scopes_disabled():
        school = School.objects.get(memberships__user__email=PRINCIPAL)
        user = User.objects.get(email=PRINCIPAL)
    first, rows, seconds, queries = export(school, user)
    print(
        f"export: {rows} rows, {len(first) / 1024:.0f} KiB zip, {seconds:.2f} s, "
        f"{queries} queries"
    )
    path = Path(settings.VAR_DIR) / "bench-export.zip"
    path.write_bytes(first)
    remove(school)
    start = time.perf_counter()
    call_command("import_school_export", str(path), verbosity=0)
    print(f"import: {time.perf_counter() - start:.2f} s")
    with scopes_disabled():
        school = School.objects.get(memberships__user__email=PRINCIPAL)
        user = User.objects.get(email=PRINCIPAL)
    second, rows, seconds, queries = export(school, user)
    same = canonical(tables_of(first)) == canonical(tables_of(second))
    print(f"second export: {rows} rows, {seconds:.2f} s; equal modulo ids: {same}")


if __name__ == "__main__":
    main()
