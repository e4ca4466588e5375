"""OneRoster 1.1 / 1.2 CSV import: read, check everything, then write in bulk.

    result = import_roster(path, district_name=None, school=None, dry_run=False)

`path` is a folder or a .zip. With `school`, only that school's rows are
written (a principal's upload); with `district`, only that district's (a
district administrator's upload); with neither, the district the export
names (the command). Nothing is
written when the export has any problem, or on a dry run (the import runs in a
transaction that is rolled back, so its counts are exactly what would change).
"""

from dataclasses import dataclass, field

from django.db import transaction
from django_scopes import scopes_disabled

from scheduling.roster.plan import check
from scheduling.roster.reader import NotAnExport, Problem, Source
from scheduling.roster.write import Writer

KINDS = (
    "districts",
    "schools",
    "years",
    "terms",
    "day types",
    "periods",
    "school days",
    "rooms",
    "staff",
    "sections",
    "assignments",
)


@dataclass
class Result:
    version: str = ""
    counts: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def rows(self):
        """(kind, {add, update, deactivate}) of each kind that changes."""
        return [(k, self.counts[k]) for k in KINDS if self.counts.get(k)]

    def lines(self) -> list[str]:
        """The report as text: counts per kind, then every problem."""
        out = []
        if self.ok:
            out.append(
                f"OneRoster {self.version}: "
                + ("would change:" if self.dry_run else "changed:")
            )
            if not any(self.counts.values()):
                out.append("  nothing (JEL already matches this export)")
            for kind, row in self.rows():
                out.append(
                    f"  {kind}: {row['add']} to add, {row['update']} to update, "
                    f"{row['deactivate']} to deactivate"
                )
        else:
            out.append(
                f"The export was refused ({len(self.problems)} problem"
                f"{'s' if len(self.problems) != 1 else ''}); nothing was written:"
            )
            out.extend(f"  {p}" for p in self.problems)
        out.extend(f"  warning: {w}" for w in self.warnings)
        return out


class _DryRun(Exception):
    pass


def import_roster(
    path,
    *,
    district_name=None,
    school=None,
    district=None,
    dry_run=False,
    progress=None,
) -> Result:
    """Check the export and, when it has no problem, apply it (see the module)."""
    result = Result(dry_run=dry_run)
    try:
        source = Source(path)
    except NotAnExport as error:
        result.problems = [
            Problem(getattr(path, "name", "") or str(path), 0, "", str(error))
        ]
        return result
    try:
        with scopes_disabled():
            plan = check(
                source,
                district_name=district_name,
                school=school,
                district=district,
                progress=progress,
            )
            result.version = plan.version
            result.warnings = plan.warnings
            if plan.problems:
                result.problems = plan.problems
                return result
            try:
                if progress:
                    progress(50, "Writing (all or nothing)")
                with transaction.atomic():
                    result.counts = Writer(plan).run()
                    if dry_run:
                        raise _DryRun
            except _DryRun:
                pass
    finally:
        source.close()
    return result
