"""Read a school export back, and compare two exports modulo their ids."""

import io
import json
import zipfile
from collections import Counter

from observations.school_export import TABLES


def tables_of(body: bytes) -> dict[str, list[dict]]:
    """Every table's rows from the export's JSON files."""
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return {t.name: json.loads(archive.read(f"json/{t.name}.json")) for t in TABLES}


def canonical(tables: dict[str, list[dict]]) -> dict[str, Counter]:
    """Each table as a multiset of rows whose ids are replaced by what they
    point at, recursively: two exports of the same data compare equal however
    their ids were numbered."""
    by_id = {name: {row["id"]: row for row in rows} for name, rows in tables.items()}
    refs = {t.name: {c.name: c for c in t.columns if c.ref} for t in TABLES}
    memo: dict = {}

    def key(table: str, row_id):
        if row_id is None:
            return None
        if (table, row_id) not in memo:
            row = by_id[table][row_id]
            parts = []
            for name, value in row.items():
                if name == "id":
                    continue
                column = refs[table].get(name)
                if column is None:
                    parts.append((name, json.dumps(value, sort_keys=True)))
                elif column.kind == "refs":
                    parts.append(
                        (name, tuple(sorted(repr(key(column.ref, v)) for v in value)))
                    )
                else:
                    parts.append((name, key(column.ref, value)))
            memo[(table, row_id)] = tuple(parts)
        return memo[(table, row_id)]

    return {
        name: Counter(key(name, row["id"]) for row in rows)
        for name, rows in tables.items()
    }
