"""Writes of the term planner: make a plan, solve it, edit its visits, accept it."""

import datetime as dt
import threading
import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cycles.planner import baseline, explain, solver
from cycles.planner.inputs import read_inputs
from cycles.planner.models import PlannedVisit, TermPlan
from cycles.planner.proposal import figures_of
from scheduling.booking_request import SUBSTITUTE
from scheduling.models import Period

VISIT_MINUTES = 15


@transaction.atomic
def term_plan_create(*, school, by, term, teams, intentions) -> TermPlan:
    """A plan of the term, solved by the solve_term_plan task (queued on commit)."""
    from cycles.tasks import solve_term_plan

    plan = TermPlan.objects.create(
        school=school, term=term, intentions=intentions, created_by=by
    )
    plan.teams.set(teams)
    solve_term_plan.delay_on_commit(plan.pk)
    return plan


@transaction.atomic
def term_plan_resolve(*, plan: TermPlan) -> TermPlan:
    """Solve again around the locked visits (also a plan stuck in "solving")."""
    if plan.status == TermPlan.Status.ACCEPTED:
        raise ValidationError("This plan is accepted: plan the term again instead.")
    from cycles.tasks import solve_term_plan

    plan.status, plan.progress, plan.error = TermPlan.Status.SOLVING, 0, ""
    plan.save(update_fields=["status", "progress", "error", "updated_at"])
    solve_term_plan.delay_on_commit(plan.pk)
    return plan


def _inputs_of(plan):
    locked = [
        (v.observer_id, v.host_id, v.date, v.period.number)
        for v in plan.visits.filter(locked=True).select_related("period")
    ]
    return read_inputs(
        school=plan.school,
        term=plan.term,
        team_ids=list(plan.teams.values_list("pk", flat=True)),
        intentions=plan.intentions,
        locked=locked,
    )


def _solve_showing_progress(plan, inputs, by_hand, time_limit):
    """solver.solve in a worker thread; this thread writes the progress (the
    row's scope and connection are this thread's) about once a second."""
    found = {}
    began = time.monotonic()

    def work():
        found["answer"] = solver.solve(inputs, hint=by_hand, time_limit=time_limit)

    worker = threading.Thread(target=work, name=f"term-plan-{plan.pk}")
    worker.start()
    while worker.is_alive():
        worker.join(1.0)
        elapsed = time.monotonic() - began
        percent = min(99, 10 + int(89 * elapsed / max(time_limit, 1)))
        TermPlan.objects.filter(pk=plan.pk).update(progress=percent)
    if "answer" not in found:
        raise RuntimeError("The solver stopped without an answer.")
    return found["answer"]


def term_plan_solve(*, plan: TermPlan, time_limit=None) -> TermPlan:
    """Run the baseline and the solver; keep the solver's plan and both figures."""
    if time_limit is None:
        # A setting only to keep browser tests short; the default suits a school.
        time_limit = getattr(settings, "TERM_PLANNER_SECONDS", solver.TIME_LIMIT)
    inputs = _inputs_of(plan)
    TermPlan.objects.filter(pk=plan.pk).update(progress=5)
    by_hand = baseline.baseline_plan(inputs)
    visits, status, seconds = _solve_showing_progress(plan, inputs, by_hand, time_limit)
    with transaction.atomic():
        plan = TermPlan.objects.select_for_update().get(pk=plan.pk)
        if visits is None:
            plan.status = TermPlan.Status.FAILED
            plan.error = (
                f"The solver found no plan ({status}): the locked visits clash "
                "with each other or the schedule. Unlock or move one and re-solve."
            )
            plan.progress = 100
            plan.save(update_fields=["status", "error", "progress", "updated_at"])
            return plan
        plan.visits.all().delete()
        PlannedVisit.objects.bulk_create(
            PlannedVisit(
                school=plan.school,
                plan=plan,
                date=inputs.slots[v.slot].date,
                period_id=inputs.slots[v.slot].period_id,
                host_id=v.host,
                observer_id=v.observer,
                covered_by_id=v.cover,
                needs_substitute=v.substitute,
                locked=v.locked,
            )
            for v in visits
        )
        plan.figures = {
            "solver": figures_of(inputs, visits, seconds=seconds),
            "baseline": figures_of(inputs, by_hand),
            "status": status,
            "blocked": explain.explain(inputs, visits),
            "slots": len(inputs.slots),
            "people": sorted(inputs.people),
            "weeks": inputs.weeks,
        }
        plan.status, plan.progress, plan.error = TermPlan.Status.PROPOSED, 100, ""
        plan.save()
    return plan


def _editable(plan):
    if plan.status == TermPlan.Status.ACCEPTED:
        raise ValidationError("This plan is accepted: its visits are cycles now.")


def planned_visit_lock(*, visit: PlannedVisit, locked: bool) -> PlannedVisit:
    """Keep a visit where it is when the plan is solved again (or let it go)."""
    _editable(visit.plan)
    visit.locked = locked
    visit.save(update_fields=["locked"])
    return visit


def planned_visit_remove(*, visit: PlannedVisit) -> None:
    _editable(visit.plan)
    visit.delete()


@transaction.atomic
def planned_visit_move(*, visit: PlannedVisit, date: dt.date, number: int):
    """Move a visit to another slot (and lock it there), or refuse with why."""
    plan = visit.plan
    _editable(plan)
    inputs = read_inputs(
        school=plan.school,
        term=plan.term,
        intentions=plan.intentions,
    )
    slot = inputs.slot_at(date, number)
    if slot is None:
        raise ValidationError(
            {"date": "That is no class period inside the term's observation windows."}
        )
    s = slot.index
    host, observer = visit.host_id, visit.observer_id
    errors = []
    if host not in inputs.teaching[s]:
        errors.append(f"{visit.host} does not teach then.")
    if observer not in inputs.free[s] and observer not in inputs.teaching[s]:
        errors.append(f"{visit.observer} is not in school or is booked then.")
    others = plan.visits.exclude(pk=visit.pk).filter(date=date, period__number=number)
    for other in others:
        people = {other.host_id, other.observer_id, other.covered_by_id}
        if people & {host, observer}:
            errors.append("Someone in this visit is in another planned visit then.")
            break
    if errors:
        raise ValidationError({"date": errors})
    visit.date = date
    visit.period_id = slot.period_id
    visit.locked = True
    visit.covered_by = None
    visit.needs_substitute = False
    if observer in inputs.teaching[s]:
        busy = {
            p for o in others for p in (o.host_id, o.observer_id, o.covered_by_id) if p
        }
        free = sorted(
            (c for c in inputs.free[s] if c not in busy | {host, observer}),
            key=lambda c: inputs.names.get(c, ""),
        )
        if free:
            visit.covered_by_id = free[0]
        else:
            visit.needs_substitute = True
    visit.save()
    return visit


def term_plan_accept(*, plan: TermPlan, by, look_for) -> list:
    """Every planned visit becomes a scheduled micro-observation (booking, cover,
    reminders), all in one transaction: one refusal and nothing is created."""
    from cycles.services.quick_visit import quick_visit_plan

    if plan.status != TermPlan.Status.PROPOSED:
        raise ValidationError("Only a proposed plan can be accepted.")
    made = []
    with transaction.atomic():
        plan = TermPlan.objects.select_for_update().get(pk=plan.pk)
        visits = list(
            plan.visits.select_related("host", "observer", "covered_by", "period")
        )
        if not visits:
            raise ValidationError("The plan has no visits to accept.")
        for visit in visits:
            coverage = {}
            if visit.covered_by_id:
                coverage = {visit.observer: visit.covered_by}
            elif visit.needs_substitute:
                coverage = {visit.observer: SUBSTITUTE}
            period = Period.objects.get(pk=visit.period_id)
            try:
                booked = quick_visit_plan(
                    look_for=look_for,
                    school=plan.school,
                    by=by,
                    host=visit.host,
                    observers=[visit.observer],
                    date=visit.date,
                    period=period,
                    minutes=VISIT_MINUTES,
                    coverage=coverage,
                )
            except ValidationError as refused:
                # A booking refused (BookingConflict) or a cycle rule: said
                # for this visit, and everything made before it rolls back.
                raise ValidationError(
                    f"{visit.observer} visiting {visit.host} on {visit.date:%-d %b}, "
                    f"{period.name}: {' '.join(refused.messages)} Nothing was created."
                ) from None
            visit.cycle = booked.cycle
            visit.save(update_fields=["cycle"])
            made.append(booked.cycle)
        plan.status = TermPlan.Status.ACCEPTED
        plan.accepted_at = timezone.now()
        plan.save(update_fields=["status", "accepted_at", "updated_at"])
    return made
