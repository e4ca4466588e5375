"""The upload page: a principal checks an export, confirms it, and sees it imported."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from jel.models import Membership, User
from scheduling.models import ImportRun, Section
from scheduling.roster.runs import roster_uploads_forget
from scheduling.tests.roster_export import export, write, zip_of
from scheduling.tests.roster_snapshot import snapshot


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    return settings.VAR_DIR


def _zip(tmp_path, cast, **changes):
    files = export("1.1")
    files["orgs.csv"][1]["name"] = cast.school.name
    for name, rows in changes.items():
        files[name] = rows
    return SimpleUploadedFile(
        "roster.zip", zip_of(write(tmp_path / "x", files)), "application/zip"
    )


def test_an_upload_shows_the_dry_run_and_writes_nothing(tmp_path, cast, login):
    client = login(cast.principal)
    before = snapshot()
    answer = client.post(reverse("scheduling:roster"), {"export": _zip(tmp_path, cast)})
    with scopes_disabled():
        run = ImportRun.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == reverse("scheduling:roster_run", args=[run.pk])
    assert snapshot() == before
    page = client.get(answer["Location"]).content.decode()
    assert "What the import would change" in page
    assert "Import it" in page
    # Ada, Ben, Pam and the aide at this school; Ben's other school is not this upload's
    assert '<th scope="row">Staff</th><td>4</td><td>0</td><td>0</td>' in page
    assert (run.status, run.version) == ("checked", "1.1")


def test_confirming_imports_and_the_history_lists_it(
    tmp_path, cast, login, django_capture_on_commit_callbacks
):
    client = login(cast.principal)
    client.post(reverse("scheduling:roster"), {"export": _zip(tmp_path, cast)})
    with scopes_disabled():
        run = ImportRun.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(reverse("scheduling:roster_run_confirm", args=[run.pk]))
    assert answer.status_code == 302
    with scopes_disabled():
        run.refresh_from_db()
        assert run.status == "done"
        assert run.file_name == ""  # the upload is gone once imported
        assert User.objects.filter(full_name="Ada Park").exists()
        assert Section.objects.filter(school=cast.school, sourced_id="k1").exists()
    status = client.get(reverse("scheduling:roster_run_status", args=[run.pk]))
    assert "What the import changed" in status.content.decode()
    history = client.get(reverse("scheduling:roster")).content.decode()
    assert "Imported" in history
    assert "roster.zip" in history


def test_a_refused_export_lists_every_problem_and_keeps_no_file(tmp_path, cast, login):
    files = export("1.1")
    classes = files["classes.csv"]
    classes[0]["termSourcedIds"] = "nope"
    client = login(cast.principal)
    answer = client.post(
        reverse("scheduling:roster"),
        {"export": _zip(tmp_path, cast, **{"classes.csv": classes})},
        follow=True,
    )
    page = answer.content.decode()
    assert "Refused: the export has problems" in page
    assert "unknown reference: no academic session &#x27;nope&#x27;" in page
    assert "<td>classes.csv</td><td>2</td><td>termSourcedIds</td>" in page
    assert "Import it" not in page
    with scopes_disabled():
        assert ImportRun.objects.get().file_name == ""


def test_a_file_that_is_not_a_zip_is_refused_by_the_form(cast, login):
    client = login(cast.principal)
    answer = client.post(
        reverse("scheduling:roster"),
        {"export": SimpleUploadedFile("roster.zip", b"sourcedId,name\n")},
    )
    assert answer.status_code == 200
    assert "This is not a .zip file." in answer.content.decode()
    with scopes_disabled():
        assert not ImportRun.objects.exists()


def test_a_district_administrator_rosters_the_whole_district(
    tmp_path, cast, login, django_capture_on_commit_callbacks
):
    client = login(cast.district)
    files = export("1.1")
    files["orgs.csv"][0]["name"] = "Some other name"  # the district is theirs anyway
    client.post(
        reverse("scheduling:roster"),
        {"export": _zip(tmp_path, cast, **{"orgs.csv": files["orgs.csv"]})},
    )
    with scopes_disabled():
        run = ImportRun.objects.get()
    assert run.scope == "district"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("scheduling:roster_run_confirm", args=[run.pk]))
    with scopes_disabled():
        oak = Membership.objects.get(
            user__full_name="Ben Cho", school__name="Oak Middle"
        )
        assert oak.school.district == cast.school.district


@scopes_disabled()
def test_unconfirmed_uploads_are_forgotten_after_a_day(tmp_path, cast, login, var_dir):
    login(cast.principal).post(
        reverse("scheduling:roster"), {"export": _zip(tmp_path, cast)}
    )
    run = ImportRun.objects.get()
    path = var_dir / run.file_name
    assert path.is_file()
    assert roster_uploads_forget(now=timezone.now() + dt.timedelta(hours=23)) == 0
    assert roster_uploads_forget(now=timezone.now() + dt.timedelta(hours=25)) == 1
    run.refresh_from_db()
    assert (run.status, run.file_name, path.exists()) == ("expired", "", False)
