"""A school's whole data out, and back in (issue 18, item 8).

One small school with a row of every kind (the leak probe's cycles plus the
schedule, bookings and cover, a lab the principal hosted, their own goal...):
exported as its principal, read with pandas and json, rebuilt into an empty
school, exported again, and the two exports compared modulo their ids.
"""

import datetime as dt
import hashlib
import io
import json
import zipfile

import pandas as pd
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from cycles import models as cyc
from cycles.tests.factories import problem
from jel.models import Membership, Role, School, User
from jel.tests.factories import staff
from jel.tests.leaks import PROBE_DAY, find_leaks, plant
from observations import school_export
from observations.models import (
    Evidence,
    GoalCheckIn,
    ImportedEvidence,
    Observation,
    Reflection,
    ReflectionReply,
    SchoolExport,
)
from observations.school_export.restore import ImportRefused, rebuild
from observations.tests.export_compare import canonical, tables_of
from observations.tests.factories import cycle_with_visit, evidence, goal
from scheduling import models as sch
from scheduling.tests.factories import build_schedule


def _at(day, hour, minute, school):
    return timezone.make_aware(
        dt.datetime.combine(day, dt.time(hour, minute)), school.tz
    )


@scopes_disabled()
def _every_kind(cast):
    """The probe's school, and one row of every table the probe has none of."""
    planted = plant(cast)
    school = cast.school
    schedule = build_schedule(school, teaching={planted.hosts[0]: [2, 3]})
    period = schedule["periods"][2]
    sch.SchoolDay.objects.create(
        school=school, date=dt.date(2026, 11, 26), is_school_day=False, note="=Thanks"
    )
    sch.SchoolDay.objects.create(
        school=school, date=PROBE_DAY, day_type=schedule["regular"]
    )
    section = next(iter(schedule["sections"].values()))
    section.meets_on.set([schedule["regular"]])
    team = sch.Team.objects.create(
        school=school,
        name="Grade 7",
        kind=sch.Team.Kind.GRADE,
        plc_day_of_week=2,
        plc_period=period,
    )
    team.members.set(planted.hosts)
    window = sch.ObservationWindow.objects.create(
        school=school,
        name="Fall window",
        term=schedule["term"],
        starts_on=PROBE_DAY,
        ends_on=PROBE_DAY + dt.timedelta(days=14),
    )
    window.periods.set([period])
    former = User.objects.create_user(
        "former.teacher@school.example.org", full_name="Fay Former"
    )
    booking = sch.Booking.objects.create(
        school=school,
        kind=sch.Booking.Kind.VISIT,
        title="Swap visit",
        date=PROBE_DAY,
        period=period,
        starts_at=_at(PROBE_DAY, 10, 30, school),
        ends_at=_at(PROBE_DAY, 10, 45, school),
        room=section.room,
        host=planted.hosts[0],
        created_by=former,
    )
    sch.BookingPerson.objects.create(
        school=school, booking=booking, user=planted.observer, role="observer"
    )
    sch.Coverage.objects.create(
        school=school,
        booking=booking,
        observer=planted.observer,
        section=section,
        needs_substitute=True,
        substitute_reason="No colleague is free in Period 2.",
    )
    sch.CoverRelease.objects.create(
        school=school,
        booking=booking,
        observer=planted.observer,
        released=cast.teacher,
        section=section,
        released_at=_at(PROBE_DAY, 8, 0, school),
    )
    pop = problem(school, by=cast.principal)
    planted.rounds.problem_of_practice = pop
    planted.rounds.problem_version = pop.versions.first()
    planted.rounds.team = team
    planted.rounds.save()
    cyc.CycleTransition.objects.create(
        school=school,
        cycle=planted.rounds,
        from_status="scheduled",
        to_status="in_progress",
        by=cast.principal,
    )
    cyc.CycleSettings.objects.create(
        school=school, swap_days_cap_per_teacher_per_year=4
    )
    series = cyc.LabSeries.objects.create(
        school=school, title="Discourse labs", inquiry="How do students argue?"
    )
    planted.debrief.attendees.set(planted.hosts)
    walk = cycle_with_visit(
        school,
        host=planted.hosts[1],
        observers=[cast.coach],
        kind=cyc.Cycle.Kind.WALK,
        title="Walk",
    ).cycle
    walk_debrief = cyc.Debrief.objects.create(school=school, cycle=walk)
    cyc.WalkNextStep.objects.create(
        school=school, debrief=walk_debrief, group_number=1, next_step="+1 try it"
    )
    # A lab the principal hosted: its evidence is theirs to read in full.
    lab = cycle_with_visit(
        school, host=cast.principal, observers=[cast.teacher], title="Open lab"
    )
    lab.cycle.series = series
    lab.cycle.save()
    evidence(lab, cast.teacher, "In the principal's room", bright_spot=True)
    # The principal's own entry in Grace's room (theirs: time and name, no room).
    rounds_visit = planted.rounds.visits.get(host=planted.hosts[1])
    rounds_visit.observers.add(cast.principal)
    own = evidence(rounds_visit, cast.principal, "Principal's own note")
    own.noted_at = _at(PROBE_DAY, 9, 20, school)
    own.save()
    mine = goal(cast.principal, school, text="Visit every room", cycle=planted.rounds)
    GoalCheckIn.objects.create(
        school=school, goal=mine, tried=True, results_as_anticipated="partly"
    )
    shared = Reflection.objects.create(
        school=school,
        author=cast.principal,
        body="What I noticed",
        visibility="cycle_group",
        cycle=planted.rounds,
    )
    ReflectionReply.objects.create(
        school=school, reflection=shared, author=planted.hosts[1], body="Me too"
    )
    return planted


def _export(school, user, role="principal") -> bytes:
    with scope(school=school):
        body, _rows = school_export.build(school=school, user=user, role=role)
    return body


@scopes_disabled()
def _delete_school(school):
    """Remove the school and everyone only it knew (the import then makes them
    again), so the rebuild starts from an empty JEL but for other schools."""
    keep = set(
        Membership.objects.exclude(school=school).values_list("user_id", flat=True)
    )
    people = set(
        Membership.objects.filter(school=school).values_list("user_id", flat=True)
    ) | {User.objects.get(email="former.teacher@school.example.org").pk}
    for model in (Evidence, ImportedEvidence, Observation):
        model.objects.filter(school=school).delete()
    for model in (cyc.Debrief, cyc.Visit, cyc.CycleLookFor, cyc.Cycle):
        model.objects.filter(school=school).delete()
    for model in (cyc.LookFor, cyc.ProblemOfPractice, sch.Section, sch.SchoolDay):
        model.objects.filter(school=school).delete()
    sch.Booking.objects.filter(school=school).delete()
    school.delete()
    User.objects.filter(pk__in=people - keep).delete()


def _write(tmp_path, body, name="export.zip"):
    path = tmp_path / name
    path.write_bytes(body)
    return path


def test_the_export_round_trips_through_an_empty_school(cast, tmp_path):
    _every_kind(cast)
    first = _export(cast.school, cast.principal)
    tables = tables_of(first)
    empty = [name for name, rows in tables.items() if not rows]
    assert empty == [], f"the fixture has no row in {empty}"
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        for table in school_export.TABLES:
            frame = pd.read_csv(
                archive.open(f"csv/{table.name}.csv"), encoding="utf-8-sig"
            )
            assert list(frame.columns) == table.column_names
            assert len(frame) == len(tables[table.name])
            json.loads(archive.read(f"json/{table.name}.json"))
        readme = archive.read("README.md").decode()
    for table in school_export.TABLES:
        assert f"`csv/{table.name}.csv`" in readme
        for column in table.columns:
            assert f"| {column.name} | {column.describe()} |" in readme
    # A spreadsheet shows "=Thanks" as text instead of running it.
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert "'=Thanks" in archive.read("csv/school_days.csv").decode("utf-8-sig")

    _delete_school(cast.school)
    call_command("import_school_export", str(_write(tmp_path, first)))

    with scopes_disabled():
        school = School.objects.get(name=cast.school.name)
        principal = User.objects.get(email=cast.principal.email)
        assert not principal.has_usable_password()
        assert Membership.objects.get(user=principal, school=school).role == "principal"
        # The principal's hosted lab came back as real evidence, the rest of the
        # rounds without a room.
        assert Evidence.objects.filter(school=school).count() == 1
        assert ImportedEvidence.objects.filter(school=school).exists()
    second = _export(school, principal)
    assert canonical(tables_of(second)) == canonical(tables)


def test_the_principals_export_has_no_host_attributable_evidence(cast):
    planted = plant(cast)
    body = _export(cast.school, cast.principal)
    found_canary = False
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        for name in archive.namelist():
            text = archive.read(name).decode("utf-8-sig")
            found_canary |= planted.canaries["evidence"] in text
            kind = "text/csv" if name.endswith(".csv") else "application/json"
            if name.endswith(".md"):
                kind = "text/markdown"
            assert (
                find_leaks(
                    role="principal",
                    where=name,
                    body=text,
                    content_type=kind,
                    planted=planted,
                )
                == []
            )
    assert found_canary  # the evidence is there, only unattributed
    evidence = tables_of(body)["evidence"]
    swap_texts = {text for _o, _h, text in planted.swap_pairs}
    swap_rows = [row for row in evidence if row["text"] in swap_texts]
    assert len(swap_rows) == 3
    for row in evidence:
        assert row["observation"] is None and row["observer"] is None
        assert row["noted_at"] is None and row["client_id"] is None
    # Listed by look-for and keyed shuffle, never in the order written.
    with scopes_disabled():
        written = list(
            Evidence.objects.filter(observation__visit__cycle=planted.rounds)
            .order_by("noted_at", "pk")
            .values_list("text", flat=True)
        )
    exported = [row["text"] for row in evidence if row["text"] in written]
    assert sorted(exported) == sorted(written) and exported != written


# --- Refused imports write nothing ---------------------------------------------


@pytest.fixture
def exported(cast):
    with scopes_disabled():
        visit = cycle_with_visit(
            cast.school, host=cast.teacher, observers=[cast.coach], title="Lab"
        )
        evidence(visit, cast.coach, "Students sorted the cards")
        build_schedule(cast.school)
    return _export(cast.school, cast.principal)


def _changed(body: bytes, name: str, change, *, rehash=True) -> bytes:
    """The export with one file changed (and its checksum updated, or not)."""
    source = zipfile.ZipFile(io.BytesIO(body))
    files = {n: source.read(n) for n in source.namelist()}
    files[name] = change(files[name].decode()).encode()
    if rehash:
        manifest = json.loads(files["manifest.json"])
        manifest["files"][name] = hashlib.sha256(files[name]).hexdigest()
        files["manifest.json"] = json.dumps(manifest).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for file_name, content in files.items():
            archive.writestr(file_name, content)
    return out.getvalue()


def _line(text: str, number: int, old: str, new: str) -> str:
    lines = text.split("\n")
    assert old in lines[number - 1]
    lines[number - 1] = lines[number - 1].replace(old, new, 1)
    return "\n".join(lines)


BAD = {
    "a CSV changed after export": (
        "csv/rooms.csv",
        lambda t: t + "99,Broom cupboard\r\n",
        False,
        "csv/rooms.csv: its content does not match its SHA-256",
    ),
    "a bad date": (
        "json/terms.json",
        lambda t: _line(t, 2, '"starts_on": "', '"starts_on": "2026-13-'),
        True,
        "json/terms.json line 2: column starts_on:",
    ),
    "an unknown reference": (
        "json/periods.json",
        lambda t: _line(t, 3, '"day_type": 1', '"day_type": 77'),
        True,
        "json/periods.json line 3: column day_type refers to id 77, which is not "
        "in json/day_types.json",
    ),
    "a missing column": (
        "json/day_types.json",
        lambda t: _line(t, 2, '"name": ', '"nom": '),
        True,
        "json/day_types.json line 2: missing column name; unknown column nom",
    ),
    "a duplicate id": (
        "json/periods.json",
        lambda t: _line(t, 3, '"id": 2', '"id": 1'),
        True,
        "json/periods.json line 3: id 1 appears twice",
    ),
    "an unsupported version": (
        "manifest.json",
        lambda t: t.replace('"version": 1', '"version": 9'),
        False,
        "export format version 9 is not supported",
    ),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_a_malformed_or_changed_export_is_refused_and_writes_nothing(
    cast, exported, tmp_path, case
):
    name, change, rehash, said = BAD[case]
    path = _write(tmp_path, _changed(exported, name, change, rehash=rehash))
    schools, users = School.objects.count(), User.objects.count()
    with pytest.raises(ImportRefused) as refused:
        rebuild(path, school_name="Restored")
    assert any(said in problem for problem in refused.value.problems), (
        refused.value.problems
    )
    assert (School.objects.count(), User.objects.count()) == (schools, users)


def test_a_row_the_model_refuses_rolls_back_the_whole_school(cast, exported, tmp_path):
    def backwards(text):
        lines = text.split("\n")
        row = json.loads(lines[1].removesuffix(","))
        row["ends_at"] = "00:01:00"
        lines[1] = json.dumps(row) + ","
        return "\n".join(lines)

    path = _write(tmp_path, _changed(exported, "json/periods.json", backwards))
    schools, users = School.objects.count(), User.objects.count()
    with pytest.raises(CommandError) as refused:
        call_command("import_school_export", str(path), school_name="Restored")
    assert "json/periods.json line 2:" in str(refused.value)
    assert "nothing was written" in str(refused.value)
    assert (School.objects.count(), User.objects.count()) == (schools, users)


def test_not_a_zip_and_a_taken_name_are_refused(cast, exported, tmp_path):
    with pytest.raises(ImportRefused, match="not a JEL school export"):
        rebuild(_write(tmp_path, b"id,name\n1,x\n", "rooms.zip"))
    with pytest.raises(ImportRefused, match="already has a school named"):
        rebuild(_write(tmp_path, exported))


# --- The page, the task and the download -----------------------------------------


def test_a_principal_asks_for_the_export_and_downloads_it(
    cast, login, django_capture_on_commit_callbacks
):
    client = login(cast.principal)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("observations:school_data"))
    assert response.status_code == 302
    with scopes_disabled():
        export = SchoolExport.objects.get(requested_by=cast.principal)
    assert export.status == "done" and export.progress == 100 and export.rows > 0
    page = client.get(reverse("observations:school_data")).content.decode()
    download = reverse("observations:school_data_download", args=[export.pk])
    assert download in page
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    body = b"".join(response.streaming_content)
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(body)).read("manifest.json"))
    assert manifest["exported_for"] == {
        "email": cast.principal.email,
        "role": "principal",
    }
    # A finished row stops polling.
    status = client.get(reverse("observations:school_data_status", args=[export.pk]))
    assert "hx-trigger" not in status.content.decode()


def test_a_running_export_shows_its_progress_and_polls(cast, login):
    with scopes_disabled():
        export = SchoolExport.objects.create(
            school=cast.school,
            requested_by=cast.principal,
            role="principal",
            status="running",
            progress=40,
            step="Reading visits",
        )
    client = login(cast.principal)
    body = client.get(
        reverse("observations:school_data_status", args=[export.pk])
    ).content.decode()
    assert 'data-hx-trigger="every 2s"' in body
    assert "40% · Reading visits" in body


def test_only_the_requester_downloads_their_export(cast, login, tmp_path):
    with scopes_disabled():
        export = SchoolExport.objects.create(
            school=cast.school,
            requested_by=cast.principal,
            role="principal",
            status="done",
            file_name="exports/none.zip",
        )
    other_principal = staff(cast.school, Role.PRINCIPAL, full_name="Avery Assistant")
    client = login(other_principal)
    for route in ("school_data_download", "school_data_status"):
        url = reverse(f"observations:{route}", args=[export.pk])
        assert client.get(url).status_code == 404
    assert (
        "none.zip"
        not in client.get(reverse("observations:school_data")).content.decode()
    )


def test_an_export_for_someone_no_longer_principal_fails_with_a_reason(cast):
    from observations.tasks import build_school_export

    with scopes_disabled():
        export = SchoolExport.objects.create(
            school=cast.school, requested_by=cast.principal, role="principal"
        )
        Membership.objects.filter(user=cast.principal, school=cast.school).update(
            role=Role.TEACHER
        )
    build_school_export(export.pk)
    with scopes_disabled():
        export.refresh_from_db()
    assert export.status == "failed"
    assert "no longer hold a role" in export.error
    assert not export.file_name


def test_a_second_click_while_writing_makes_no_second_export(cast):
    from observations.services import school_export_request

    with scope(school=cast.school):
        first = school_export_request(
            school=cast.school, by=cast.principal, role="principal"
        )
        again = school_export_request(
            school=cast.school, by=cast.principal, role="principal"
        )
    assert first.pk == again.pk


def test_imported_evidence_is_exported_again_under_the_same_rule(cast):
    planted = plant(cast)
    with scopes_disabled():
        ImportedEvidence.objects.create(
            school=cast.school,
            cycle=planted.rounds,
            observer=cast.principal,
            noted_at=_at(PROBE_DAY, 9, 0, cast.school),
            client_id="8d3c2a86-5b1e-4a8e-9d0f-2f1b8a0c6e11",
            text="Came back without its room",
        )
    another = staff(cast.school, Role.PRINCIPAL, full_name="Avery Assistant")
    rows = {
        who: next(
            row
            for row in tables_of(_export(cast.school, user))["evidence"]
            if row["text"] == "Came back without its room"
        )
        for who, user in (("author", cast.principal), ("another", another))
    }
    # Its observer reads their own entry with its time; another principal not.
    assert rows["author"]["observer"] and rows["author"]["noted_at"]
    assert rows["another"]["observer"] is None
    assert rows["another"]["noted_at"] is None and rows["another"]["client_id"] is None
