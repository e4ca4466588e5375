"""Who may open each cycles route (see jel/tests/access.py)."""

from django.urls import reverse
from django_scopes import scopes_disabled

from cycles.models import Cycle, CycleParticipant, Debrief, LookFor, ProblemOfPractice
from jel.tests.access import AccessCase

MARK = "Marker cycle of Jefferson"


@scopes_disabled()
def _cycle(cast, kind=Cycle.Kind.ROUNDS) -> Cycle:
    """A draft cycle in which cast.teacher observes (and hosts, for a lab)."""
    key = f"cycle_{kind}"
    if key not in cast.objects:
        cycle = Cycle.objects.create(
            school=cast.school,
            kind=kind,
            title=f"{MARK} ({kind})",
            facilitator=cast.coach,
        )
        role = (
            CycleParticipant.Role.HOST
            if kind == Cycle.Kind.LAB
            else CycleParticipant.Role.OBSERVER
        )
        CycleParticipant.objects.create(
            school=cast.school,
            cycle=cycle,
            user=cast.teacher,
            role=role,
            host_response="pending" if kind == Cycle.Kind.LAB else "",
        )
        Debrief.objects.create(school=cast.school, cycle=cycle)
        cast.objects[key] = cycle
    return cast.objects[key]


@scopes_disabled()
def _problem(cast) -> ProblemOfPractice:
    if "problem" not in cast.objects:
        problem = ProblemOfPractice.objects.create(
            school=cast.school, question="Marker question of Jefferson?"
        )
        LookFor.objects.create(
            school=cast.school,
            problem=problem,
            text="Marker look-for of Jefferson",
            kind="oral",
        )
        cast.objects["problem"] = problem
    return cast.objects["problem"]


def _look_for(cast) -> LookFor:
    problem = _problem(cast)
    with scopes_disabled():
        return problem.look_fors.first()


def _debrief(cast) -> Debrief:
    with scopes_disabled():
        return _cycle(cast).debriefs.first()


CASES = [
    AccessCase(
        route="cycles:list",
        url=lambda cast: (_cycle(cast), reverse("cycles:list"))[1],
        allowed="teacher",
        every_role_reason="everyone sees the cycles they are in (planners see all)",
        record=False,
        marker=lambda cast: MARK,
    ),
    AccessCase(
        route="cycles:new",
        url=lambda cast: reverse("cycles:new"),
        allowed="principal",
        wrong_role="teacher",
        record=False,
        marker=lambda cast: cast.teacher.full_name,
    ),
    AccessCase(
        route="cycles:visit_plan",
        url=lambda cast: reverse("cycles:visit_plan"),
        allowed="principal",
        wrong_role="teacher",
        record=False,
        marker=lambda cast: cast.teacher.full_name,
    ),
    AccessCase(
        route="cycles:settings",
        url=lambda cast: reverse("cycles:settings"),
        allowed="principal",
        wrong_role="coach",
        record=False,
        marker=lambda cast: cast.school.name,
    ),
    AccessCase(
        route="cycles:detail",
        url=lambda cast: reverse("cycles:detail", args=[_cycle(cast).pk]),
        allowed="teacher",
        every_role_reason="anyone in the cycle may open it; others get 404",
        unrelated="outsider",
    ),
    AccessCase(
        route="cycles:edit",
        url=lambda cast: reverse("cycles:edit", args=[_cycle(cast).pk]),
        allowed="principal",
        wrong_role="teacher",
    ),
    AccessCase(
        route="cycles:transition",
        url=lambda cast: reverse("cycles:transition", args=[_cycle(cast).pk]),
        allowed="coach",
        wrong_role="teacher",
        redirect="cycles:detail",
        method="post",
        data=lambda cast: {"to": "cancelled"},
    ),
    AccessCase(
        route="cycles:host_respond",
        url=lambda cast: reverse(
            "cycles:host_respond", args=[_cycle(cast, Cycle.Kind.LAB).pk]
        ),
        allowed="teacher",
        every_role_reason="a lab host of any role answers for themselves",
        unrelated="outsider",
        redirect="cycles:detail",
        method="post",
        data=lambda cast: {"answer": "accept"},
    ),
    AccessCase(
        route="cycles:debrief",
        url=lambda cast: reverse("cycles:debrief", args=[_debrief(cast).pk]),
        allowed="teacher",
        every_role_reason="the cycle's people read the debrief; recording it is "
        "for facilitators (403 on POST, tested in test_views_debrief.py)",
        unrelated="outsider",
    ),
    AccessCase(
        route="cycles:problem_list",
        url=lambda cast: (_problem(cast), reverse("cycles:problem_list"))[1],
        allowed="coach",
        wrong_role="teacher",
        record=False,
        marker=lambda cast: "Marker question of Jefferson",
    ),
    AccessCase(
        route="cycles:problem_new",
        url=lambda cast: reverse("cycles:problem_new"),
        allowed="coach",
        wrong_role="teacher",
        record=False,
        marker=lambda cast: cast.school.name,
    ),
    AccessCase(
        route="cycles:problem_detail",
        url=lambda cast: reverse("cycles:problem_detail", args=[_problem(cast).pk]),
        allowed="coach",
        wrong_role="teacher",
    ),
    AccessCase(
        route="cycles:look_fors",
        url=lambda cast: (_problem(cast), reverse("cycles:look_fors"))[1],
        allowed="coach",
        wrong_role="teacher",
        record=False,
        marker=lambda cast: "Marker look-for of Jefferson",
    ),
    AccessCase(
        route="cycles:look_for_add",
        url=lambda cast: reverse("cycles:look_for_add"),
        allowed="coach",
        wrong_role="teacher",
        redirect="cycles:problem_detail",
        method="post",
        data=lambda cast: {
            "problem": _problem(cast).pk,
            "text": "Students ask",
            "kind": "oral",
        },
    ),
    AccessCase(
        route="cycles:look_for_move",
        url=lambda cast: reverse("cycles:look_for_move", args=[_look_for(cast).pk]),
        allowed="coach",
        wrong_role="teacher",
        redirect="cycles:problem_detail",
        method="post",
        data=lambda cast: {"direction": "up"},
    ),
    AccessCase(
        route="cycles:look_for_remove",
        url=lambda cast: reverse("cycles:look_for_remove", args=[_look_for(cast).pk]),
        allowed="coach",
        wrong_role="teacher",
        redirect="cycles:problem_detail",
        method="post",
    ),
    AccessCase(
        route="cycles:api_list",
        url=lambda cast: (_cycle(cast), reverse("cycles:api_list"))[1],
        allowed="teacher",
        every_role_reason="everyone lists the cycles they are in",
        record=False,
        marker=lambda cast: MARK,
    ),
    AccessCase(
        route="cycles:api_detail",
        url=lambda cast: reverse("cycles:api_detail", args=[_cycle(cast).pk]),
        allowed="teacher",
        every_role_reason="anyone in the cycle reads its plan; others get 404",
        unrelated="outsider",
    ),
    AccessCase(
        route="cycles:api_transition",
        url=lambda cast: reverse("cycles:api_transition", args=[_cycle(cast).pk]),
        allowed="coach",
        wrong_role="teacher",
        method="post",
        data=lambda cast: {"to": "cancelled"},
    ),
    AccessCase(
        route="cycles:api_host_suggestions",
        url=lambda cast: reverse("cycles:api_host_suggestions"),
        allowed="coach",
        wrong_role="teacher",
        record=False,
        marker=lambda cast: cast.teacher.full_name,
    ),
    AccessCase(
        route="cycles:availability",
        url=lambda cast: reverse("cycles:availability") + "?visit_date=2026-12-01",
        allowed="coach",
        wrong_role="teacher",
        record=False,
        marker=lambda cast: cast.teacher.full_name,
    ),
    AccessCase(
        route="cycles:check",
        url=lambda cast: reverse("cycles:check"),
        allowed="coach",
        wrong_role="teacher",
        record=False,
        marker=lambda cast: cast.school.name,
        method="post",
        data=lambda cast: {"kind": "rounds", "visit_date": "2026-12-01"},
    ),
]
