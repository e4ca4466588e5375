"""A school's whole data as one .zip: a CSV and a JSON file per table, a README.

The tables and their columns are declared once (TABLES); the writer, the
README and the restore (school_export.restore) all read that one list,
so the README cannot drift from the files.

Everything is read as the person downloading it: evidence through the
observations selectors and jel.permissions.evidence_disclosure (a principal is
an evaluator: others' evidence comes without its visit, observer, time or id,
and in look-for then keyed-shuffle order), reflections through reflections_for,
goals through goals_for (only their own). Ids are the export's own, 1..n per
table, so rows refer to each other without database ids; evidence ids follow
its reading order, never the order of writing.
"""

from observations.school_export.tables import (
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    TABLE_BY_NAME,
    TABLES,
    Column,
    Table,
)
from observations.school_export.write import build, new_file_name, readme

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "MANIFEST",
    "TABLES",
    "TABLE_BY_NAME",
    "Column",
    "Table",
    "build",
    "new_file_name",
    "readme",
]
