"""Who may open the OneRoster upload pages (test_route_access walks these)."""

from django.urls import reverse
from django_scopes import scopes_disabled

from jel.tests.access import AccessCase
from scheduling.models import ImportRun


@scopes_disabled()
def _run(cast):
    """A checked upload at cast.school (made once)."""
    if "roster_run" not in cast.objects:
        cast.objects["roster_run"] = ImportRun.objects.create(
            school=cast.school,
            uploaded_by=cast.principal,
            scope=ImportRun.Scope.SCHOOL,
            status=ImportRun.Status.CHECKED,
            original_name="roster.zip",
            version="1.1",
            counts={"staff": {"add": 3, "update": 0, "deactivate": 0}},
        )
    return cast.objects["roster_run"]


def _url(route):
    return lambda cast: reverse(route, args=[_run(cast).pk])


CASES = [
    AccessCase(
        route="scheduling:roster",
        url=lambda cast: _run(cast) and reverse("scheduling:roster"),
        allowed="principal",
        wrong_role="teacher",
        record=False,
        marker=lambda cast: cast.school.name,
    ),
    AccessCase(
        route="scheduling:roster_run",
        url=_url("scheduling:roster_run"),
        allowed="principal",
        wrong_role="coach",
    ),
    AccessCase(
        route="scheduling:roster_run_status",
        url=_url("scheduling:roster_run_status"),
        allowed="district",
        wrong_role="teacher",
    ),
    AccessCase(
        route="scheduling:roster_run_confirm",
        url=_url("scheduling:roster_run_confirm"),
        allowed="principal",
        wrong_role="teacher",
        redirect="scheduling:roster_run",
        method="post",
    ),
]
