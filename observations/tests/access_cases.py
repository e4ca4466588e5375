"""Who may open each observations route; test_route_access walks them all."""

from django.urls import reverse

from jel.models import Role
from jel.tests.access import AccessCase
from jel.tests.factories import staff
from observations.tests.factories import (
    cycle_with_visit,
    evidence,
    finished_export,
    goal,
    reflection,
    running_export,
)


def _visit(cast):
    host = cast.objects.get("host")
    if host is None:
        host = cast.objects["host"] = staff(
            cast.school, Role.TEACHER, full_name="Hana Host"
        )
    if "visit" not in cast.objects:
        cast.objects["visit"] = cycle_with_visit(
            cast.school, host=host, observers=[cast.teacher], facilitator=cast.coach
        )
    return cast.objects["visit"]


def _evidence(cast, **extra):
    if "evidence" not in cast.objects:
        cast.objects["evidence"] = evidence(
            _visit(cast), cast.teacher, "Marker evidence text", **extra
        )
    return cast.objects["evidence"]


def _bright_spot_in_principals_room(cast):
    # The allowed user must be in the cast, so here the principal hosts.
    visit = cycle_with_visit(
        cast.school, host=cast.principal, observers=[cast.teacher], title="Lab"
    )
    return evidence(visit, cast.teacher, "Bright", bright_spot=True)


def _reflection(cast):
    return reflection(cast.teacher, cast.school, body="Marker reflection")


def _export(cast):
    """A finished export of the principal's, with its zip, and one still running."""
    if "export" not in cast.objects:
        cast.objects["export"] = finished_export(cast.school, cast.principal)
        running_export(cast.school, cast.principal)
    return cast.objects["export"]


def _goal(cast):
    return goal(cast.teacher, cast.school, text="Marker goal")


CASES = [
    AccessCase(
        route="observations:offline_pages",
        url=lambda cast: reverse("observations:offline_pages"),
        allowed="teacher",
        every_role_reason="everyone keeps their own visits' capture pages offline",
        record=False,
        # The capture page of this school's visit never reaches another school.
        marker=lambda cast: reverse("observations:capture", args=[_visit(cast).pk]),
    ),
    AccessCase(
        route="observations:capture",
        url=lambda cast: reverse("observations:capture", args=[_visit(cast).pk]),
        allowed="teacher",
        every_role_reason="an observer of any role records; who sees the visit "
        "but does not observe it gets 403 (test_access_rule)",
        unrelated="outsider",
    ),
    AccessCase(
        route="observations:evidence_create",
        url=lambda cast: reverse(
            "observations:evidence_create", args=[_visit(cast).pk]
        ),
        allowed="teacher",
        every_role_reason="an observer of any role records; who sees the visit "
        "but does not observe it gets 403 (test_access_rule)",
        unrelated="outsider",
        redirect="observations:capture",
        method="post",
        data=lambda cast: {
            "client_id": "8d3c2a86-5b1e-4a8e-9d0f-2f1b8a0c6e11",
            "text": "Students compared two strategies",
        },
    ),
    AccessCase(
        route="observations:observation_start",
        url=lambda cast: reverse(
            "observations:observation_start", args=[_visit(cast).pk]
        ),
        allowed="teacher",
        every_role_reason="an observer of any role records; who sees the visit "
        "but does not observe it gets 403 (test_access_rule)",
        unrelated="outsider",
        redirect="observations:capture",
        method="post",
    ),
    AccessCase(
        route="observations:observation_stop",
        url=lambda cast: reverse(
            "observations:observation_stop", args=[_visit(cast).pk]
        ),
        allowed="teacher",
        every_role_reason="an observer of any role records; who sees the visit "
        "but does not observe it gets 403 (test_access_rule)",
        unrelated="outsider",
        redirect="observations:capture",
        method="post",
    ),
    AccessCase(
        route="observations:evidence_bright_spot",
        url=lambda cast: reverse(
            "observations:evidence_bright_spot", args=[_evidence(cast).pk]
        ),
        allowed="teacher",
        every_role_reason="whoever wrote the entry (any role) marks it; another "
        "reader gets 403 (test_capture)",
        unrelated="outsider",
        redirect="observations:capture",
        method="post",
        data=lambda cast: {"bright_spot": "1"},
    ),
    AccessCase(
        route="observations:evidence_edit",
        url=lambda cast: reverse(
            "observations:evidence_edit", args=[_evidence(cast).pk]
        ),
        allowed="teacher",
        every_role_reason="whoever wrote the entry (any role) changes it; another "
        "reader gets 403 (test_capture)",
        unrelated="outsider",
    ),
    AccessCase(
        route="observations:evidence_delete",
        url=lambda cast: reverse(
            "observations:evidence_delete", args=[_evidence(cast).pk]
        ),
        allowed="teacher",
        every_role_reason="whoever wrote the entry (any role) deletes it; another "
        "reader gets 403 (test_capture)",
        unrelated="outsider",
        redirect="observations:capture",
        method="post",
    ),
    AccessCase(
        route="observations:evidence_wall",
        url=lambda cast: reverse(
            "observations:evidence_wall",
            args=[_bright_spot_in_principals_room(cast).pk],
        ),
        allowed="principal",
        every_role_reason="the host (any role) decides; a reader who is not the "
        "host gets 403 (test_access_rule)",
        unrelated="outsider",
        redirect="observations:my_room",
        method="post",
        data=lambda cast: {"agreed": "1"},
    ),
    AccessCase(
        route="observations:my_room",
        url=lambda cast: reverse("observations:my_room"),
        allowed="teacher",
        every_role_reason="everyone reads the evidence from their own room",
        record=False,
        marker=lambda cast: _evidence(cast).text,
    ),
    AccessCase(
        route="observations:bright_spots_read",
        url=lambda cast: reverse("observations:bright_spots_read"),
        allowed="teacher",
        every_role_reason="everyone marks the notes of thanks from their own room",
        record=False,
        marker=lambda cast: _evidence(cast).text,
        redirect="observations:my_room",
        method="post",
    ),
    AccessCase(
        route="observations:wall",
        url=lambda cast: reverse("observations:wall"),
        allowed="teacher",
        every_role_reason="the wall celebrates learning for the whole school",
        record=False,
        marker=lambda cast: cast.school.name,
    ),
    AccessCase(
        route="observations:cycle_evidence",
        url=lambda cast: reverse(
            "observations:cycle_evidence", args=[_visit(cast).cycle_id]
        ),
        allowed="teacher",
        every_role_reason="the cycle's people (any role) read its evidence; a "
        "planner outside it gets 403 (test_access_rule)",
        unrelated="outsider",
    ),
    AccessCase(
        route="observations:cycle_evidence_csv",
        url=lambda cast: reverse(
            "observations:cycle_evidence_csv", args=[_visit(cast).cycle_id]
        ),
        allowed="coach",
        every_role_reason="the cycle's people (any role) read its evidence; a "
        "planner outside it gets 403 (test_access_rule)",
        unrelated="outsider",
    ),
    AccessCase(
        route="observations:reflections",
        url=lambda cast: reverse("observations:reflections"),
        allowed="teacher",
        every_role_reason="everyone keeps their own reflections",
        record=False,
        marker=lambda cast: _reflection(cast).body,
    ),
    AccessCase(
        route="observations:reflection_create",
        url=lambda cast: reverse("observations:reflection_create"),
        allowed="teacher",
        every_role_reason="everyone may write a reflection",
        record=False,
        marker=lambda cast: cast.school.name,
    ),
    AccessCase(
        route="observations:reflection_detail",
        url=lambda cast: reverse(
            "observations:reflection_detail", args=[_reflection(cast).pk]
        ),
        allowed="teacher",
        every_role_reason="the author, and readers it is shared with, of any role",
        unrelated="outsider",
    ),
    AccessCase(
        route="observations:reflection_edit",
        url=lambda cast: reverse(
            "observations:reflection_edit", args=[_reflection(cast).pk]
        ),
        allowed="teacher",
        every_role_reason="an author of any role changes their own; a reader it is "
        "shared with gets 403 (test_access_rule)",
        unrelated="coach",
    ),
    AccessCase(
        route="observations:reflection_delete",
        url=lambda cast: reverse(
            "observations:reflection_delete", args=[_reflection(cast).pk]
        ),
        allowed="teacher",
        every_role_reason="an author of any role deletes their own",
        unrelated="principal",
        redirect="observations:reflections",
        method="post",
    ),
    AccessCase(
        route="observations:reflection_reply",
        url=lambda cast: reverse(
            "observations:reflection_reply", args=[_reflection(cast).pk]
        ),
        allowed="teacher",
        every_role_reason="the author, and readers it is shared with, of any role",
        unrelated="outsider",
        redirect="observations:reflection_detail",
        method="post",
        data=lambda cast: {"body": "A note to myself"},
    ),
    AccessCase(
        route="observations:goals",
        url=lambda cast: reverse("observations:goals"),
        allowed="teacher",
        every_role_reason="everyone keeps their own goals",
        record=False,
        marker=lambda cast: _goal(cast).text,
    ),
    AccessCase(
        route="observations:goal_create",
        url=lambda cast: reverse("observations:goal_create"),
        allowed="teacher",
        every_role_reason="everyone may set a goal",
        record=False,
        marker=lambda cast: cast.school.name,
    ),
    AccessCase(
        route="observations:goal_detail",
        url=lambda cast: reverse("observations:goal_detail", args=[_goal(cast).pk]),
        allowed="teacher",
        every_role_reason="everyone keeps their own goals; nobody else sees one",
        unrelated="principal",
    ),
    AccessCase(
        route="observations:api_evidence",
        url=lambda cast: reverse("observations:api_evidence"),
        allowed="teacher",
        every_role_reason="everyone reads the evidence visible to them",
        record=False,
        marker=lambda cast: _evidence(cast).text,
    ),
    AccessCase(
        route="observations:school_data",
        url=lambda cast: _export(cast) and reverse("observations:school_data"),
        allowed="principal",
        wrong_role="teacher",
        record=False,
        marker=lambda cast: cast.school.name,
    ),
    AccessCase(
        route="observations:school_data_status",
        url=lambda cast: reverse(
            "observations:school_data_status", args=[_export(cast).pk]
        ),
        allowed="principal",
        wrong_role="coach",
    ),
    AccessCase(
        route="observations:school_data_download",
        url=lambda cast: reverse(
            "observations:school_data_download", args=[_export(cast).pk]
        ),
        allowed="principal",
        wrong_role="teacher",
    ),
]
