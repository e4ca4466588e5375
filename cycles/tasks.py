"""Celery jobs of cycles. Tasks take ids; the rows make them idempotent."""

import logging

from celery import shared_task
from django_scopes import scope, scopes_disabled

log = logging.getLogger(__name__)


@shared_task(acks_late=True, ignore_result=True)
def solve_term_plan(plan_id: int) -> str:
    """Solve a term plan (the solver and the baseline); progress on the row."""
    from cycles.planner.models import TermPlan
    from cycles.planner.services import term_plan_solve

    with scopes_disabled():
        plan = TermPlan.objects.filter(pk=plan_id).select_related("school").first()
    if plan is None or plan.status != TermPlan.Status.SOLVING:
        return "skipped"
    with scope(school=plan.school):
        try:
            plan = term_plan_solve(plan=plan)
        except Exception:
            log.exception("term plan failed", extra={"plan_id": plan_id})
            TermPlan.objects.filter(pk=plan_id).update(
                status=TermPlan.Status.FAILED,
                error="The solver stopped with an error; re-solve to try again.",
            )
            return "failed"
    return plan.status
