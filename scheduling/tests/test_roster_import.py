"""import_oneroster: what a good OneRoster export does to JEL (1.1 and 1.2)."""

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled

from jel.models import District, Membership, Role, School, User
from jel.permissions import ABILITIES, can
from scheduling.models import DayType, Period, SchoolDay, Section, TeachingAssignment
from scheduling.roster import import_roster
from scheduling.tests.roster_export import export, write, zip_of
from scheduling.tests.roster_snapshot import snapshot

pytestmark = pytest.mark.django_db


def run(tmp_path, files, name="export", **options):
    result = import_roster(write(tmp_path / name, files), **options)
    assert result.ok, result.lines()
    return result


@scopes_disabled()
def members():
    return {
        (m.user.email.split("@")[0], m.school.name): (m.role, m.is_active)
        for m in Membership.objects.select_related("user", "school")
    }


@pytest.mark.parametrize("version", ["1.1", "1.2"])
@scopes_disabled()
def test_an_export_makes_the_district_schools_staff_and_sections(tmp_path, version):
    run(tmp_path, export(version))

    district = District.objects.get()
    assert (district.name, district.sourced_id) == ("Riverside USD", "d1")
    assert sorted(School.objects.values_list("name", "sourced_id")) == [
        ("Maple Middle", "s1"),
        ("Oak Middle", "s2"),
    ]
    assert members() == {
        ("ada.park", "Maple Middle"): (Role.TEACHER, True),
        ("ben.cho", "Maple Middle"): (Role.TEACHER, True),
        ("ben.cho", "Oak Middle"): (Role.TEACHER, True),
        ("pam.lee", "Maple Middle"): (Role.PRINCIPAL, True),
        ("al.aide", "Maple Middle"): (Role.AIDE, True),
    }
    maple = School.objects.get(sourced_id="s1")
    math = Section.objects.get(school=maple, sourced_id="k1")
    assert math.course == "Math 7"
    assert math.code == "K1"
    assert math.room.name == "Room 101"
    assert (math.period.number, math.period.day_type.name) == (1, "Regular")
    assert (math.term.name, math.term.kind, math.term.year.name) == (
        "Fall 2026",
        "semester",
        "2026-27",
    )
    assert math.grade_level == 7
    assert math.teacher.full_name == "Ada Park"
    oak_math = Section.objects.get(sourced_id="k3")
    assert oak_math.teacher.full_name == "Ben Cho"
    assert (oak_math.term.name, oak_math.term.kind) == ("Full year", "year")


@scopes_disabled()
def test_students_are_never_stored(tmp_path):
    run(tmp_path, export("1.1"))
    assert not User.objects.filter(email__startswith="sam.").exists()
    assert not User.objects.filter(full_name__contains="Student").exists()
    assert TeachingAssignment.objects.count() == 3  # the teachers' three only


@scopes_disabled()
def test_bell_schedules_and_calendar_days_come_from_the_companion_files(tmp_path):
    run(tmp_path, export("1.1"))
    maple = School.objects.get(sourced_id="s1")
    regular = DayType.objects.get(school=maple, name="Regular")
    assert regular.is_default
    assert not DayType.objects.get(school=maple, name="Late start").is_default
    assert [
        (p.name, p.kind, f"{p.starts_at:%H:%M}-{p.ends_at:%H:%M}")
        for p in Period.objects.filter(day_type=regular)
    ] == [
        ("Period 1", "class", "08:00-08:50"),
        ("Period 2", "class", "08:55-09:45"),
        ("Lunch", "lunch", "11:30-12:00"),
    ]
    days = {
        (d.date.isoformat(), d.is_school_day, d.day_type and d.day_type.name)
        for d in SchoolDay.objects.filter(school=maple)
    }
    assert days == {("2026-12-02", True, "Late start"), ("2026-12-24", False, None)}


@scopes_disabled()
def test_an_aide_may_not_observe_until_a_principal_grants_a_role(tmp_path):
    run(tmp_path, export("1.1"))
    aide = Membership.objects.get(user__email__startswith="al.aide")
    assert [a for a in ABILITIES if can(aide, a)] == ["use_school"]


def test_a_zip_with_bom_and_crlf_imports_the_same(tmp_path):
    folder = write(tmp_path / "plain", export("1.1"), bom=True, crlf=True)
    assert (folder / "users.csv").read_bytes().startswith(b"\xef\xbb\xbfsourcedId")
    assert b',"s1,s2",' in (folder / "users.csv").read_bytes()
    archive = tmp_path / "export.zip"
    archive.write_bytes(zip_of(folder))
    result = import_roster(archive)
    assert result.ok, result.lines()
    assert ("ben.cho", "Oak Middle") in members()


@pytest.mark.parametrize("version", ["1.1", "1.2"])
def test_importing_the_same_export_again_changes_nothing(tmp_path, version):
    files = export(version)
    run(tmp_path, files, "first")
    before = snapshot()
    again = run(tmp_path, files, "second")
    assert snapshot() == before
    assert again.counts == {}
    assert "nothing (JEL already matches this export)" in again.lines()[1]


def test_a_dry_run_writes_nothing_and_counts_what_would_change(tmp_path):
    before = snapshot()
    result = run(tmp_path, export("1.1"), dry_run=True)
    assert snapshot() == before
    assert result.counts["staff"] == {"add": 5, "update": 0, "deactivate": 0}
    assert result.counts["sections"]["add"] == 3


@scopes_disabled()
def test_a_later_export_updates_and_deactivates_what_it_no_longer_lists(tmp_path):
    run(tmp_path, export("1.1"), "first")
    section = Section.objects.get(sourced_id="k2")
    later = export("1.1")
    later["users.csv"] = [u for u in later["users.csv"] if u["sourcedId"] != "u1"]
    later["users.csv"][0]["familyName"] = "Cho-Lim"
    later["classes.csv"] = [c for c in later["classes.csv"] if c["sourcedId"] != "k2"]
    later["classes.csv"][0]["location"] = "Room 202"
    later["enrollments.csv"] = [
        e for e in later["enrollments.csv"] if e["sourcedId"] not in ("e1", "e2")
    ]

    result = run(tmp_path, later, "second")

    assert result.counts["staff"]["deactivate"] == 1
    assert result.counts["sections"] == {"add": 0, "update": 1, "deactivate": 1}
    assert result.counts["assignments"]["deactivate"] == 2
    assert members()[("ada.park", "Maple Middle")] == (Role.TEACHER, False)
    assert User.objects.filter(full_name="Ben Cho-Lim").exists()
    section.refresh_from_db()
    assert section.is_active is False  # kept, never deleted
    assert section.teacher is None
    assert Section.objects.get(sourced_id="k1").room.name == "Room 202"
    assert TeachingAssignment.objects.filter(is_active=False).count() == 2


@scopes_disabled()
def test_tobedeleted_rows_deactivate(tmp_path):
    run(tmp_path, export("1.1"), "first")
    later = export("1.1")
    later["users.csv"][1]["status"] = "tobedeleted"  # Ben
    later["classes.csv"][0]["status"] = "tobedeleted"  # k1
    run(tmp_path, later, "second")
    assert members()[("ben.cho", "Oak Middle")] == (Role.TEACHER, False)
    assert members()[("ben.cho", "Maple Middle")] == (Role.TEACHER, False)
    assert Section.objects.get(sourced_id="k1").is_active is False


def _delta(files, **rows):
    manifest = [
        {"propertyName": "manifest.version", "value": "1.0"},
        {"propertyName": "oneroster.version", "value": "1.1"},
    ]
    delta = {"manifest.csv": manifest}
    for kind, kind_rows in rows.items():
        manifest.append({"propertyName": f"file.{kind}", "value": "delta"})
        for row in kind_rows:
            row.setdefault("status", "active")
            row.setdefault("dateLastModified", "2026-11-30T12:00:00.000Z")
        delta[f"{kind}.csv"] = kind_rows
    return delta


@scopes_disabled()
def test_delta_files_apply_only_the_rows_they_give(tmp_path):
    files = export("1.1")
    run(tmp_path, files, "first")
    pam = dict(files["users.csv"][2], familyName="Lee-Ortiz")
    dropped = dict(files["enrollments.csv"][1], status="tobedeleted")
    new_class = dict(
        files["classes.csv"][0], sourcedId="k4", classCode="K4", periods="2"
    )
    new_teacher = dict(files["enrollments.csv"][0], sourcedId="e5", classSourcedId="k4")
    delta = _delta(
        files,
        users=[pam],
        classes=[new_class],
        enrollments=[dropped, new_teacher],
    )
    delta["courses.csv"] = files["courses.csv"]
    delta["manifest.csv"].append({"propertyName": "file.courses", "value": "bulk"})

    result = run(tmp_path, delta, "delta", district_name="Riverside USD")

    assert result.counts["staff"] == {"add": 0, "update": 1, "deactivate": 0}, (
        result.counts
    )
    assert result.counts["assignments"] == {"add": 1, "update": 0, "deactivate": 1}
    assert User.objects.filter(full_name="Pam Lee-Ortiz").exists()
    assert members()[("ada.park", "Maple Middle")] == (Role.TEACHER, True)  # unlisted
    assert Section.objects.filter(is_active=True).count() == 4
    assert Section.objects.get(sourced_id="k2").teacher is None
    assert Section.objects.get(sourced_id="k4").teacher.full_name == "Ada Park"


@scopes_disabled()
def test_a_role_a_principal_changed_by_hand_is_kept_on_reimport(tmp_path):
    run(tmp_path, export("1.1"), "first")
    Membership.objects.filter(user__email__startswith="al.aide").update(
        role=Role.MENTOR
    )
    later = export("1.1")
    later["users.csv"][0]["role"] = "aide"  # Ada, in the roster, becomes an aide
    run(tmp_path, later, "second")
    assert members()[("al.aide", "Maple Middle")] == (Role.MENTOR, True)
    assert members()[("ada.park", "Maple Middle")] == (Role.AIDE, True)


@scopes_disabled()
def test_a_member_jel_already_had_is_matched_by_email_and_keeps_their_role(
    tmp_path, cast
):
    files = export("1.1")
    files["orgs.csv"][1]["name"] = cast.school.name
    files["orgs.csv"][0]["name"] = cast.school.district.name
    files["users.csv"][0]["email"] = cast.coach.email
    run(tmp_path, files)
    coach = Membership.objects.get(user=cast.coach, school=cast.school)
    assert (coach.role, coach.roster_role, coach.sourced_id) == (
        "coach",
        "teacher",
        "u1",
    )
    assert School.objects.get(pk=cast.school.pk).sourced_id == "s1"
    assert Section.objects.get(sourced_id="k1").teacher == cast.coach


@scopes_disabled()
def test_district_option_names_the_district_when_orgs_has_none(tmp_path):
    files = export("1.1")
    files["orgs.csv"] = [dict(o, parentSourcedId="") for o in files["orgs.csv"][1:]]
    files["courses.csv"] = [dict(c, orgSourcedId="s1") for c in files["courses.csv"]]
    call_command(
        "import_oneroster", str(write(tmp_path / "x", files)), district="Lakes"
    )
    assert District.objects.get().name == "Lakes"
    assert School.objects.filter(district__name="Lakes").count() == 2


def test_the_command_prints_the_counts_and_dry_run_writes_nothing(tmp_path, capsys):
    folder = write(tmp_path / "x", export("1.2"))
    call_command("import_oneroster", str(folder), "--dry-run")
    out = capsys.readouterr().out
    assert "OneRoster 1.2: would change:" in out
    assert "staff: 5 to add, 0 to update, 0 to deactivate" in out
    assert not User.objects.exists()


@scopes_disabled()
def test_a_school_upload_writes_only_that_school(tmp_path, cast):
    files = export("1.1")
    files["orgs.csv"][1]["name"] = cast.school.name
    files["users.csv"][3]["orgSourcedIds"] = "s2"  # the aide works at Oak
    result = run(tmp_path, files, school=cast.school)
    assert result.counts["schools"]["update"] == 1
    assert not School.objects.filter(name="Oak Middle").exists()
    assert not Section.objects.filter(sourced_id="k3").exists()
    assert ("ben.cho", cast.school.name) in members()
    assert not User.objects.filter(full_name="Al Aide").exists()
    assert District.objects.get(pk=cast.school.district_id).sourced_id == "d1"
