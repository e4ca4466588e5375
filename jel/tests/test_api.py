"""The API says who you are, and its OpenAPI schema is generated and valid."""

from django.core.management import call_command
from django.urls import reverse


def test_me_names_the_current_school_and_role(login, cast):
    data = login(cast.coach).get(reverse("api_me")).json()
    assert data["email"] == cast.coach.email
    assert data["school_id"] == cast.school.pk
    assert data["role"] == "coach"
    assert [m["school"] for m in data["memberships"]] == [cast.school.name]


def test_me_refuses_anonymous_requests(client, cast):
    assert client.get(reverse("api_me")).status_code == 403


def test_openapi_schema_generates_without_warnings(tmp_path, db):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--file", str(target), "--validate", "--fail-on-warn")
    assert "/api/v1/me/" in target.read_text()
