"""Writing the export: rows as the downloader may read them, CSV, JSON, README, zip."""

import datetime as dt
import hashlib
import io
import json
import uuid
import zipfile
from collections.abc import Callable

from jel.csv_export import csv_text
from observations.school_export.tables import (
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    NOT_EXPORTED,
    README,
    TABLES,
    Column,
    Context,
    Table,
)

# --- Writing -----------------------------------------------------------------


def _value(obj, column: Column, ctx: Context):
    if isinstance(obj, dict):
        return obj[column.name]
    if column.kind == "ref":
        return ctx.export_id(column.ref, getattr(obj, f"{column.source}_id"))
    if column.kind == "refs":
        pks = sorted(o.pk for o in getattr(obj, column.source).all())
        return sorted(ctx.export_id(column.ref, pk) for pk in pks)
    value = obj
    for part in column.source.split("."):
        value = getattr(value, part)
    return value


def _people_values(m, ctx) -> dict:
    profile = m.export_profile
    return {
        "email": m.user.email,
        "full_name": m.user.full_name,
        "role": m.role,
        "is_active": m.is_active,
        "years_experience": profile.years_experience if profile else None,
        "department": profile.department if profile else None,
        "grade_levels": profile.grade_levels if profile else None,
    }


def table_rows(table: Table, ctx: Context) -> list[dict]:
    """The table's rows as dicts of column values, ids already the export's."""
    if table.rows is not None:
        objects = table.rows(ctx)
    else:
        objects = table.model.objects.order_by("pk")
        if table.prefetch:
            objects = objects.prefetch_related(*table.prefetch)
    ids = ctx.ids.setdefault(table.name, {})
    rows = []
    for number, obj in enumerate(objects, start=1):
        if table.name == "people":
            ids[obj.user_id] = number
            values = _people_values(obj, ctx)
        else:
            if not isinstance(obj, dict):
                ids[obj.pk] = number
            values = {
                c.name: _value(obj, c, ctx) for c in table.columns if c.name != "id"
            }
        rows.append({"id": number, **values})
    return rows


def _extra_people(ctx: Context) -> list[dict]:
    from jel.models import User

    users = User.objects.in_bulk(ctx.extra_people)
    return [
        {
            "id": ctx.ids["people"][pk],
            "email": users[pk].email,
            "full_name": users[pk].full_name,
            **dict.fromkeys(_PROFILE_COLUMNS),
        }
        for pk in ctx.extra_people
    ]


_PROFILE_COLUMNS = (
    "role",
    "is_active",
    "years_experience",
    "department",
    "grade_levels",
)


def json_value(value, kind: str):
    if value is None:
        return None
    if kind in ("date", "time"):
        return value.isoformat()
    if kind == "datetime":
        return value.astimezone(dt.UTC).isoformat()
    if kind == "uuid":
        return str(value)
    return value


def csv_cell(value, kind: str):
    if value is None:
        return None
    if kind == "refs":
        return " ".join(str(v) for v in value)
    if kind == "json":
        return json.dumps(value)
    if kind == "datetime":
        return value.astimezone(dt.UTC)
    return value


def json_document(rows: list[dict]) -> str:
    """A JSON array with one row per line, so an error can name the line."""
    if not rows:
        return "[]\n"
    lines = ",\n".join(json.dumps(row, ensure_ascii=False) for row in rows)
    return f"[\n{lines}\n]\n"


def build(
    *, school, user, role: str, progress: Callable[[int, str], None] | None = None
) -> tuple[bytes, int]:
    """The export as zip bytes, and its number of rows. Run inside scope(school)."""
    ctx = Context(school=school, user=user, role=role)
    tables: dict[str, list[dict]] = {}
    for number, table in enumerate(TABLES):
        if progress:
            progress(int(90 * number / len(TABLES)), f"Reading {table.name}")
        tables[table.name] = table_rows(table, ctx)
    tables["people"].extend(_extra_people(ctx))
    if progress:
        progress(90, "Writing the zip")
    files: dict[str, bytes] = {}
    for table in TABLES:
        rows = tables[table.name]
        kinds = {c.name: c.kind for c in table.columns}
        json_rows = [
            {name: json_value(row[name], kinds[name]) for name in table.column_names}
            for row in rows
        ]
        files[f"json/{table.name}.json"] = json_document(json_rows).encode()
        csv_rows = (
            [csv_cell(row[name], kinds[name]) for name in table.column_names]
            for row in rows
        )
        files[f"csv/{table.name}.csv"] = csv_text(table.column_names, csv_rows).encode(
            "utf-8-sig"
        )
    counts = {name: len(rows) for name, rows in tables.items()}
    files[README] = readme(school=school, user=user, role=role, counts=counts).encode()
    manifest = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "school": school.name,
        "exported_for": {"email": user.email, "role": role},
        "tables": [t.name for t in TABLES],
        "rows": counts,
        "files": {
            name: hashlib.sha256(body).hexdigest() for name, body in files.items()
        },
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, json.dumps(manifest, indent=2) + "\n")
        for name, body in files.items():
            archive.writestr(name, body)
    return buffer.getvalue(), sum(counts.values())


def readme(*, school, user, role: str, counts: dict | None = None) -> str:
    """The zip's README: every file and column, from TABLES."""
    counts = counts or {}
    lines = [
        f"# {school.name}: the school's data from JEL",
        "",
        f"Downloaded by {user.full_name} ({user.email}) as {role}. Every table "
        "is here twice: `csv/<table>.csv` (UTF-8 with a byte order mark; text "
        "that a spreadsheet would run as a formula starts with an apostrophe) "
        "and `json/<table>.json` (a JSON array of objects, one row per line, "
        "exact values). `manifest.json` lists every file with its SHA-256.",
        "",
        "Ids are this export's own (1, 2, ... per table); a column of kind ref "
        "holds the id of a row in the table it names. Times are UTC with their "
        "offset; times of day (periods, PLC times) are the school's wall clock.",
        "",
        "`python manage.py import_school_export PATH.zip` rebuilds the school "
        "from this file in an empty JEL.",
        "",
        "## Evidence and who downloaded this",
        "",
        "The export holds what its downloader may read, as JEL shows it to them. "
        "Evidence never reaches an evaluator (principal, district) attributed to "
        "its host: for an entry written by someone else in someone else's room, "
        "the columns observation, observer, noted_at and client_id are empty, "
        "and the rows are in look-for order, then a keyed shuffle, never the "
        "order of writing. Cycles in fewer classrooms than the privacy threshold "
        "leave their evidence out. On re-import such entries are kept as "
        "imported evidence of the cycle, without a room.",
        "",
        "Not exported: " + "; ".join(NOT_EXPORTED) + ".",
        "",
        "## Files",
        "",
    ]
    for table in TABLES:
        rows = f" ({counts[table.name]} rows)" if table.name in counts else ""
        lines += [
            f"### {table.name}{rows}",
            "",
            f"`csv/{table.name}.csv`, `json/{table.name}.json`: {table.doc}",
            "",
            "| column | kind | meaning |",
            "|---|---|---|",
        ]
        lines += [f"| {c.name} | {c.describe()} | {c.doc} |" for c in table.columns]
        lines.append("")
    return "\n".join(lines)


def new_file_name(*, school_id: int, run_id: int) -> str:
    return f"exports/school-{school_id}/export-{run_id}-{uuid.uuid4().hex}.zip"
