"""Problems of practice (with their versions) and look-fors."""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from cycles.models import (
    QUALITY_CHECK_FIELDS,
    Cycle,
    LookFor,
    ProblemOfPractice,
    ProblemOfPracticeVersion,
)
from cycles.services.validation import limit_errors
from jel.concurrency import claimed_edit

Status = Cycle.Status


def _validate_problem(question: str, **texts) -> None:
    errors = limit_errors(
        ProblemOfPractice, {"question": (question or "").strip()} | texts
    )
    if not (question or "").strip():
        errors["question"] = "Write the question you want to answer."
    if errors:
        raise ValidationError(errors)


def _snapshot(problem: ProblemOfPractice, by) -> ProblemOfPracticeVersion:
    return ProblemOfPracticeVersion.objects.create(
        school=problem.school,
        problem=problem,
        number=problem.version,
        question=problem.question,
        theory_of_action=problem.theory_of_action,
        initiative=problem.initiative,
        passed_all_checks=problem.passes_all_checks,
        created_by=by,
    )


@transaction.atomic
def problem_create(
    *,
    school,
    by,
    question: str,
    theory_of_action: str = "",
    initiative: str = "",
    checks: Sequence[str] = (),
    look_fors: Sequence[tuple[str, str]] = (),
) -> ProblemOfPractice:
    """Write a problem of practice (a draft may leave checks unticked)."""
    _validate_problem(
        question, theory_of_action=theory_of_action, initiative=initiative
    )
    unknown = set(checks) - set(QUALITY_CHECK_FIELDS)
    if unknown:
        raise ValidationError({"checks": f"Unknown quality checks: {sorted(unknown)}"})
    problem = ProblemOfPractice(
        school=school,
        question=question.strip(),
        theory_of_action=theory_of_action.strip(),
        initiative=initiative.strip(),
        created_by=by,
        **{name: name in checks for name in QUALITY_CHECK_FIELDS},
    )
    problem.save()
    _snapshot(problem, by)
    for _position, (text, kind) in enumerate(look_fors):
        look_for_create(school=school, by=by, text=text, kind=kind, problem=problem)
    return problem


@transaction.atomic
def problem_update(
    *,
    problem: ProblemOfPractice,
    by,
    question: str,
    theory_of_action: str = "",
    initiative: str = "",
    checks: Sequence[str] = (),
    seen_version: int | None = None,
) -> ProblemOfPractice:
    """Edit a problem as a new version; closed cycles keep the text they used.

    An edit drawn from an older version than the saved one raises StaleEdit.
    """
    # The next version number is ours (or StaleEdit), before anything is written.
    with claimed_edit(problem, seen=seen_version):
        _validate_problem(
            question, theory_of_action=theory_of_action, initiative=initiative
        )
    problem.question = question.strip()
    problem.theory_of_action = theory_of_action.strip()
    problem.initiative = initiative.strip()
    for name in QUALITY_CHECK_FIELDS:
        setattr(problem, name, name in checks)
    problem.save()
    version = _snapshot(problem, by)
    Cycle.objects.filter(problem_of_practice=problem).exclude(
        status__in=[Status.CLOSED, Status.CANCELLED]
    ).update(problem_version=version)
    return problem


def _next_position(problem) -> int:
    last = (
        LookFor.objects.filter(problem=problem).order_by("-position").first()
        if problem is not None
        else None
    )
    return last.position + 1 if last else 0


@transaction.atomic
def look_for_create(*, school, by, text: str, kind: str, problem=None) -> LookFor:
    """Add a look-for to a problem of practice or to the school's library."""
    errors = limit_errors(LookFor, {"text": (text or "").strip()})
    if not (text or "").strip():
        errors["text"] = "Say what you would see or hear students doing."
    if kind not in LookFor.Kind.values:
        errors["kind"] = "Choose oral, visual or artifact."
    if problem is not None and problem.school_id != school.pk:
        errors["problem"] = "That problem of practice is not in this school."
    if errors:
        raise ValidationError(errors)
    return LookFor.objects.create(
        school=school,
        problem=problem,
        text=text.strip(),
        kind=kind,
        position=_next_position(problem),
        created_by=by,
    )


@transaction.atomic
def look_for_move(*, look_for: LookFor, by, up: bool) -> None:
    """Swap a look-for with its neighbour in its problem's order."""
    siblings = list(
        LookFor.objects.filter(
            problem=look_for.problem, archived_at__isnull=True
        ).order_by("position", "pk")
    )
    index = next(i for i, item in enumerate(siblings) if item.pk == look_for.pk)
    other = index - 1 if up else index + 1
    if other < 0 or other >= len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, item in enumerate(siblings):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])


def look_for_remove(*, look_for: LookFor, by) -> str:
    """Delete an unused look-for; one used in a cycle or evidence is archived.

    Returns "deleted" or "archived". Evidence (in the observations app) points
    here with PROTECT, so a protected delete means "used": archive instead.
    """
    try:
        with transaction.atomic():
            look_for.delete()
        return "deleted"
    except ProtectedError:
        look_for.archived_at = timezone.now()
        look_for.save(update_fields=["archived_at"])
        return "archived"


def look_for_restore(*, look_for: LookFor, by) -> None:
    """Bring an archived look-for back into use."""
    look_for.archived_at = None
    look_for.save(update_fields=["archived_at"])
