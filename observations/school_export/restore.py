"""Rebuild a school from its export (observations.school_export), or refuse it.

Two passes. The first reads the zip and checks everything it can without the
database: the manifest, every file's SHA-256 (a file changed after export is
refused), each JSON row's columns, kinds and references. The second writes the
school in one transaction, checking each row with the model's own validation;
any problem and nothing is written. Every problem names the file, the line
and the reason.

Users are matched by e-mail: a person who already has an account keeps it
(and their password); anyone else gets an account with an unusable password
and resets it.
"""

import datetime as dt
import hashlib
import json
import uuid
import zipfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django_scopes import scope, scopes_disabled

from jel.models import District, Membership, Role, School, StaffProfile, User
from observations.models import Evidence, ImportedEvidence, Observation
from observations.school_export.tables import (
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    TABLE_BY_NAME,
    TABLES,
    Column,
    Table,
)


class ImportRefused(Exception):
    """The export cannot be imported; `problems` says where and why."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


class _Row:
    __slots__ = ("line", "values")

    def __init__(self, line: int, values: dict):
        self.line = line
        self.values = values


def _json_file(table: Table) -> str:
    return f"json/{table.name}.json"


# --- First pass: the zip, the manifest, each row ----------------------------


def read(path: Path) -> dict[str, list[_Row]]:
    """Every table's rows, checked; raises ImportRefused listing every problem."""
    name = Path(path).name
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise ImportRefused([f"{name}: not a JEL school export ({error})."]) from None
    with archive:
        try:
            manifest = json.loads(archive.read(MANIFEST))
        except KeyError:
            raise ImportRefused([f"{name}: {MANIFEST} is missing."]) from None
        except ValueError as error:
            raise ImportRefused([f"{MANIFEST}: not JSON ({error})."]) from None
        problems = _check_manifest(manifest, archive)
        if problems:
            raise ImportRefused(problems)
        tables = {}
        for table in TABLES:
            body = archive.read(_json_file(table))
            tables[table.name] = _rows(table, body, problems)
    if not problems:
        _check_references(tables, problems)
    if problems:
        raise ImportRefused(problems)
    return tables


def _check_manifest(manifest, archive) -> list[str]:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        return [f"{MANIFEST} line 1: not a JEL school export manifest."]
    if manifest.get("version") != FORMAT_VERSION:
        return [
            f"{MANIFEST}: export format version {manifest.get('version')!r} is "
            f"not supported (this JEL reads version {FORMAT_VERSION})."
        ]
    listed = manifest.get("files")
    if not isinstance(listed, dict):
        return [f"{MANIFEST}: it lists no files."]
    problems = []
    present = set(archive.namelist()) - {MANIFEST}
    for table in TABLES:
        if _json_file(table) not in listed:
            problems.append(f"{MANIFEST}: {_json_file(table)} is not listed.")
    for file_name in sorted(present - set(listed)):
        problems.append(f"{file_name}: not part of this export (not in {MANIFEST}).")
    for file_name, digest in sorted(listed.items()):
        if file_name not in present:
            problems.append(f"{file_name}: listed in {MANIFEST} but missing.")
        elif hashlib.sha256(archive.read(file_name)).hexdigest() != digest:
            problems.append(
                f"{file_name}: its content does not match its SHA-256 in "
                f"{MANIFEST} (the file was changed after the export)."
            )
    return problems


def _rows(table: Table, body: bytes, problems: list) -> list[_Row]:
    """The rows of one table's JSON, one row per line as the export writes it."""
    where = _json_file(table)
    try:
        lines = body.decode("utf-8").split("\n")
    except UnicodeDecodeError:
        problems.append(f"{where}: not UTF-8 text.")
        return []
    if lines and lines[-1] == "":
        lines.pop()
    if lines == ["[]"]:
        return []
    if len(lines) < 2 or lines[0] != "[" or lines[-1] != "]":
        problems.append(
            f"{where} line 1: not a JSON array with one row per line as exported."
        )
        return []
    rows, seen = [], set()
    for number, text in enumerate(lines[1:-1], start=2):
        text = text.removesuffix(",") if number < len(lines) - 1 else text
        try:
            data = json.loads(text)
        except ValueError as error:
            problems.append(f"{where} line {number}: not a JSON object ({error}).")
            continue
        if not isinstance(data, dict):
            problems.append(f"{where} line {number}: not a JSON object.")
            continue
        missing = [n for n in table.column_names if n not in data]
        unknown = [n for n in data if n not in table.column_names]
        if missing or unknown:
            said = [f"missing column {n}" for n in missing]
            said += [f"unknown column {n}" for n in unknown]
            problems.append(f"{where} line {number}: {'; '.join(said)}.")
            continue
        values, bad = {}, []
        for column in table.columns:
            try:
                values[column.name] = parse(column, data[column.name])
            except ValueError as error:
                bad.append(f"column {column.name}: {error}")
        if bad:
            problems.append(f"{where} line {number}: {'; '.join(bad)}.")
            continue
        if values["id"] in seen:
            problems.append(f"{where} line {number}: id {values['id']} appears twice.")
            continue
        seen.add(values["id"])
        rows.append(_Row(number, values))
    return rows


def parse(column: Column, value):
    """One JSON value as the Python value its column's kind says."""
    kind = column.kind
    if value is None:
        if column.optional or kind == "json":
            return None
        raise ValueError("is empty but required")
    if kind in ("id", "int", "ref"):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{value!r} is not a whole number")
        if kind != "int" and value < 1:
            raise ValueError(f"{value!r} is not an id")
        return value
    if kind == "refs":
        if not isinstance(value, list) or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in value
        ):
            raise ValueError(f"{value!r} is not a list of ids")
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise ValueError(f"{value!r} is not true or false")
        return value
    if kind == "json":
        return value
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not text")
    try:
        if kind == "date":
            return dt.date.fromisoformat(value)
        if kind == "time":
            return dt.time.fromisoformat(value)
        if kind == "datetime":
            moment = dt.datetime.fromisoformat(value)
            if moment.tzinfo is None:
                raise ValueError(f"{value!r} has no UTC offset")
            return moment
        if kind == "uuid":
            return uuid.UUID(value)
    except ValueError as error:
        raise ValueError(f"{value!r} is not a valid {kind} ({error})") from None
    return value


def _check_references(tables: dict, problems: list) -> None:
    ids = {name: {row.values["id"] for row in rows} for name, rows in tables.items()}
    if len(tables["school"]) != 1:
        problems.append("json/school.json: needs exactly one row.")
    for table in TABLES:
        for row in tables[table.name]:
            for column in table.columns:
                if column.kind not in ("ref", "refs"):
                    continue
                value = row.values[column.name]
                refs = value if column.kind == "refs" else [value]
                for ref in refs:
                    if ref is not None and ref not in ids[column.ref]:
                        problems.append(
                            f"{_json_file(table)} line {row.line}: column "
                            f"{column.name} refers to id {ref}, which is not in "
                            f"json/{column.ref}.json."
                        )


# --- Second pass: writing ----------------------------------------------------


def rebuild(path: Path, *, school_name: str | None = None) -> School:
    """The school rebuilt from the export at path, in one transaction."""
    tables = read(path)
    with scopes_disabled():
        return _write(tables, school_name=school_name)


@transaction.atomic
def _write(tables: dict, *, school_name: str | None) -> School:
    writer = _Writer(tables)
    school = writer.school(school_name)
    with scope(school=school):
        writer.people()
        for table in TABLES:
            if table.name in ("school", "people"):
                continue
            for row in tables[table.name]:
                if table.name == "evidence":
                    writer.evidence(row)
                else:
                    writer.row(table, row)
    if writer.problems:
        # Raising inside the atomic block writes nothing.
        raise ImportRefused(writer.problems)
    return school


class _Writer:
    def __init__(self, tables):
        self.tables = tables
        self.problems: list[str] = []
        self.ids: dict[str, dict[int, int]] = {t.name: {} for t in TABLES}
        self.new_school = None

    def refuse(self, table: Table, row: _Row, reason: str):
        self.problems.append(f"{_json_file(table)} line {row.line}: {reason}")

    def school(self, school_name):
        (row,) = self.tables["school"]
        values = row.values
        name = school_name or values["name"]
        district, _ = District.objects.get_or_create(name=values["district"])
        if School.objects.filter(district=district, name=name).exists():
            raise ImportRefused(
                [
                    f"json/school.json line {row.line}: {district.name} already has "
                    f"a school named {name!r}; import into an empty JEL or give "
                    "another name (--school-name)."
                ]
            )
        school = School(
            district=district,
            name=name,
            time_zone=values["time_zone"],
            privacy_threshold=values["privacy_threshold"],
            grade_levels=values["grade_levels"] or [],
        )
        try:
            school.full_clean()
        except ValidationError as error:
            raise ImportRefused(
                [f"json/school.json line {row.line}: {_said(error)}"]
            ) from None
        school.save()
        self.ids["school"][values["id"]] = school.pk
        self.new_school = school
        return school

    def people(self):
        table = TABLE_BY_NAME["people"]
        emails = set()
        for row in self.tables["people"]:
            values = row.values
            email = (values["email"] or "").strip().lower()
            if email in emails:
                self.refuse(table, row, f"e-mail {email} appears twice.")
                continue
            emails.add(email)
            user = User.objects.filter(email__iexact=email).first()
            if user is None:
                user = User(email=email, full_name=values["full_name"])
                user.set_unusable_password()
                try:
                    user.full_clean(exclude=["password"])
                except ValidationError as error:
                    self.refuse(table, row, _said(error))
                    continue
                user.save()
            self.ids["people"][values["id"]] = user.pk
            if not values["role"]:
                continue
            if values["role"] not in Role.values:
                self.refuse(table, row, f"role {values['role']!r} is not a JEL role.")
                continue
            membership = Membership.objects.create(
                user=user,
                school=self.new_school,
                role=values["role"],
                is_active=values["is_active"] is not False,
            )
            if values["years_experience"] is not None:
                profile = StaffProfile(
                    school=self.new_school,
                    membership=membership,
                    years_experience=values["years_experience"],
                    department=values["department"] or "",
                    grade_levels=values["grade_levels"] or [],
                )
                if self._valid(table, row, profile):
                    profile.save()

    def _valid(self, table, row, obj) -> bool:
        # Field rules here, with their messages; unique and check constraints
        # are left to the database (one query fewer per rule per row), whose
        # refusal is reported for the row just the same (row()).
        # Foreign keys are left out too: each points at a row this import just
        # made (or at the new school), so a query per key would check nothing.
        relations = [f.name for f in obj._meta.concrete_fields if f.is_relation]
        try:
            obj.full_clean(
                exclude=relations, validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            self.refuse(table, row, _said(error))
            return False
        return True

    def _target(self, column: Column, ref):
        # None when the row it points to was refused (already reported).
        return self.ids[column.ref].get(ref)

    def row(self, table: Table, row: _Row):
        kwargs, later, autos = {"school": self.new_school}, {}, {}
        for column in table.columns:
            if column.name == "id":
                continue
            value = row.values[column.name]
            if column.kind == "ref":
                target = None if value is None else self._target(column, value)
                if value is not None and target is None:
                    return
                kwargs[f"{column.source}_id"] = target
            elif column.kind == "refs":
                later[column.source] = [self._target(column, v) for v in value]
                if None in later[column.source]:
                    return
            else:
                field = table.model._meta.get_field(column.source)
                if value is None and not field.null:
                    value = ""  # an optional text column written as empty
                if getattr(field, "auto_now", False) or getattr(
                    field, "auto_now_add", False
                ):
                    autos[column.source] = value
                kwargs[column.source] = value
        obj = table.model(**kwargs)
        if not self._valid(table, row, obj):
            return
        try:
            with transaction.atomic():
                obj.save()
        except IntegrityError as error:
            self.refuse(table, row, f"breaks a rule of the database ({error}).")
            return
        for name, pks in later.items():
            if pks:  # a new row has no links yet: add, and nothing for none
                getattr(obj, name).add(*pks)
        if autos:
            # auto_now(_add) set "now" on save; the export's times are the truth.
            table.model.objects.filter(pk=obj.pk).update(**autos)
        self.ids[table.name][row.values["id"]] = obj.pk

    def evidence(self, row: _Row):
        table = TABLE_BY_NAME["evidence"]
        values = row.values
        refs = {}
        for name in ("cycle", "look_for", "observation", "observer"):
            column = next(c for c in table.columns if c.name == name)
            refs[name] = None
            if values[name] is not None:
                refs[name] = self._target(column, values[name])
                if refs[name] is None:
                    return
        content = {
            name: values[name] if values[name] is not None else ""
            for name in ("student_focus", "text", "what", "so_what", "now_what")
        }
        flags = {name: values[name] for name in ("is_tally", "bright_spot")}
        if refs["observation"] is not None:
            observation = Observation.objects.select_related("visit").get(
                pk=refs["observation"]
            )
            if refs["cycle"] not in (None, observation.visit.cycle_id):
                self.refuse(table, row, "its cycle is not its observation's cycle.")
                return
            if values["noted_at"] is None or values["client_id"] is None:
                self.refuse(
                    table,
                    row,
                    "an entry with its observation needs noted_at and client_id.",
                )
                return
            obj = Evidence(
                school=self.new_school,
                observation=observation,
                look_for_id=refs["look_for"],
                client_id=values["client_id"],
                noted_at=values["noted_at"],
                **content,
                **flags,
            )
        else:
            obj = ImportedEvidence(
                school=self.new_school,
                cycle_id=refs["cycle"],
                look_for_id=refs["look_for"],
                observer_id=refs["observer"],
                noted_at=values["noted_at"],
                client_id=values["client_id"],
                **content,
                **flags,
            )
        if not self._valid(table, row, obj):
            return
        try:
            with transaction.atomic():
                obj.save()
        except IntegrityError as error:
            self.refuse(table, row, f"breaks a rule of the database ({error}).")


def _said(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        parts = [
            f"{field}: {' '.join(messages)}"
            for field, messages in error.message_dict.items()
        ]
        return "; ".join(parts) + "."
    return " ".join(error.messages)
