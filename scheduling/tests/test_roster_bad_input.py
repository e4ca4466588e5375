"""A malformed OneRoster export is refused whole: every problem by file, line
and column, and nothing written."""

import pytest
from django.core.management import CommandError, call_command

from scheduling.roster import import_roster
from scheduling.tests.roster_export import export, write
from scheduling.tests.roster_snapshot import snapshot

pytestmark = pytest.mark.django_db


def refused(tmp_path, files, **options):
    before = snapshot()
    result = import_roster(write(tmp_path / "bad", files, **options))
    assert not result.ok
    assert snapshot() == before
    return [str(p) for p in result.problems]


def test_a_missing_required_column(tmp_path):
    problems = refused(tmp_path, export("1.1"), drop={"users.csv": ["givenName"]})
    assert problems == ["users.csv, line 1, column givenName: missing required column"]


def test_a_missing_required_column_in_1_2_roles(tmp_path):
    problems = refused(tmp_path, export("1.2"), drop={"roles.csv": ["orgSourcedId"]})
    assert "roles.csv, line 1, column orgSourcedId: missing required column" in problems


def test_an_unknown_reference(tmp_path):
    files = export("1.1")
    files["classes.csv"][1]["courseSourcedId"] = "c99"
    files["enrollments.csv"][0]["userSourcedId"] = "u77"
    # k2 itself is refused; its enrollment is not reported again.
    assert refused(tmp_path, files) == [
        "classes.csv, line 3, column courseSourcedId: unknown reference: "
        "no course 'c99'",
        "enrollments.csv, line 2, column userSourcedId: unknown reference: "
        "no user 'u77'",
    ]


def test_a_bad_date(tmp_path):
    files = export("1.1")
    files["academicSessions.csv"][1]["startDate"] = "08/24/2026"
    files["calendar_days.csv"][0]["date"] = "2026-02-30"
    problems = refused(tmp_path, files)
    assert (
        "academicSessions.csv, line 3, column startDate: '08/24/2026' is not a date "
        "(YYYY-MM-DD)" in problems
    )
    assert (
        "calendar_days.csv, line 2, column date: '2026-02-30' is not a date "
        "(YYYY-MM-DD)" in problems
    )


def test_a_bad_time_in_the_bell_schedule(tmp_path):
    files = export("1.1")
    files["bell_schedules.csv"][0]["start_time"] = "8am"
    problems = refused(tmp_path, files)
    assert (
        "bell_schedules.csv, line 2, column start_time: '8am' is not a time (HH:MM)"
        in problems
    )


def test_a_duplicate_sourced_id(tmp_path):
    files = export("1.1")
    files["classes.csv"].append(dict(files["classes.csv"][0]))
    problems = refused(tmp_path, files)
    assert problems == [
        "classes.csv, line 5, column sourcedId: duplicate sourcedId 'k1' "
        "(also on line 2)"
    ]


@pytest.mark.parametrize("version", ["1.0", "2.0", ""])
def test_an_unsupported_version(tmp_path, version):
    files = export("1.1")
    files["manifest.csv"][1]["value"] = version
    problems = refused(tmp_path, files, version="1.1")
    assert len(problems) == 1
    assert problems[0].startswith("manifest.csv, line 3, column value: ")
    assert "JEL reads OneRoster 1.1 and 1.2" in problems[0]


def test_not_a_csv(tmp_path):
    files = export("1.1")
    files["orgs.csv"] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe"
    problems = refused(tmp_path, files)
    assert problems[0].startswith("orgs.csv, line 1: not a CSV file")


def test_a_row_with_the_wrong_number_of_fields(tmp_path):
    files = export("1.1")
    folder = write(tmp_path / "x", files)
    with (folder / "courses.csv").open("a") as out:
        out.write("c3,,,y1,Art,ART\n")
    result = import_roster(folder)
    assert [str(p) for p in result.problems] == [
        "courses.csv, line 4: not a CSV row of this file: 6 fields, the header has 10"
    ]


def test_not_a_zip(tmp_path):
    bogus = tmp_path / "export.zip"
    bogus.write_text("hello")
    result = import_roster(bogus)
    assert [p.reason for p in result.problems] == [
        "This is not a .zip file or a folder of CSV files."
    ]


def test_every_problem_is_listed_at_once(tmp_path):
    files = export("1.2")
    files["users.csv"][0]["enabledUser"] = "yes"
    files["roles.csv"][0]["role"] = "janitor"
    files["orgs.csv"][1]["type"] = "campus"
    problems = refused(tmp_path, files)
    assert "users.csv, line 2, column enabledUser: 'yes' is not true or false" in (
        problems
    )
    assert any(
        p.startswith("roles.csv, line 2, column role: 'janitor'") for p in problems
    )
    assert any(
        p.startswith("orgs.csv, line 3, column type: 'campus'") for p in problems
    )


def test_a_period_the_bell_schedule_lacks(tmp_path):
    files = export("1.1")
    files["classes.csv"][0]["periods"] = "7"
    problems = refused(tmp_path, files)
    assert problems == [
        "classes.csv, line 2, column periods: unknown reference: period 7 is not in "
        "the school's bell schedule (give bell_schedules.csv)"
    ]


def test_the_command_lists_the_problems_and_fails(tmp_path, capsys):
    files = export("1.1")
    files["manifest.csv"][1]["value"] = "1.3"
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command(
            "import_oneroster", str(write(tmp_path / "x", files, version="1.1"))
        )
    out = capsys.readouterr().out
    assert "The export was refused (1 problem); nothing was written:" in out
    assert "unsupported version '1.3'" in out
