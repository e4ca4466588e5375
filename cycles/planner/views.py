"""The term planner's pages: plans, "Plan the term", the proposal and its edits.

For those who plan cycles (the "plan_cycles" ability); another school's plan
is not found (django-scopes), so it answers 404.
"""

import datetime as dt
from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from cycles.forms import add_service_errors
from cycles.planner import services
from cycles.planner.forms import AcceptPlanForm, MoveVisitForm, TermPlanForm
from cycles.planner.models import PlannedVisit, TermPlan
from cycles.planner.proposal import essa_criteria, essa_of
from jel.models import User
from jel.permissions import ability_required


@ability_required("plan_cycles")
def term_plans(request):
    plans = TermPlan.objects.filter(school=request.school).select_related(
        "term", "term__year", "created_by"
    )
    return render(request, "cycles/term_plans.html", {"plans": plans})


@ability_required("plan_cycles")
def term_plan_new(request):
    form = TermPlanForm(request.POST or None, school=request.school)
    if request.method == "POST" and form.is_valid():
        plan = services.term_plan_create(
            school=request.school,
            by=request.user,
            term=form.cleaned_data["term"],
            teams=form.cleaned_data["teams"],
            intentions=form.intentions(),
        )
        messages.success(request, "Planning the term: the proposal follows.")
        return redirect("cycles:term_plan", pk=plan.pk)
    return render(request, "cycles/term_plan_form.html", {"form": form})


def _calendar(plan, visits):
    """Weeks of the term (Monday first), each day with its planned visits."""
    by_day = defaultdict(list)
    for visit in visits:
        by_day[visit.date].append(visit)
    if not by_day:
        return []
    first, last = min(by_day), max(by_day)
    monday = first - dt.timedelta(days=first.weekday())
    weeks = []
    while monday <= last:
        days = [monday + dt.timedelta(days=i) for i in range(5)]
        weeks.append(
            {"starts": monday, "days": [(day, by_day.get(day, [])) for day in days]}
        )
        monday += dt.timedelta(days=7)
    return weeks


def _essa_rows(plan, visits):
    people = plan.figures.get("people", [])
    met = essa_of(people, [(v.observer_id, v.host_id, v.date) for v in visits])
    names = dict(User.objects.filter(pk__in=people).values_list("pk", "full_name"))
    rows = [
        {
            "name": names.get(pid, ""),
            "met": [key in met[pid] for key, _label, _rule in essa_criteria()],
            "count": len(met[pid]),
        }
        for pid in people
    ]
    return sorted(rows, key=lambda row: row["name"])


def _plan_of(request, pk):
    return get_object_or_404(
        TermPlan.objects.select_related("term", "term__year"),
        pk=pk,
        school=request.school,
    )


@ability_required("plan_cycles")
def term_plan_detail(request, pk, *, accept_form=None, status=200):
    plan = _plan_of(request, pk)
    visits = list(
        plan.visits.select_related("host", "observer", "covered_by", "period", "cycle")
    )
    figures = plan.figures or {}
    return render(
        request,
        "cycles/term_plan_detail.html",
        {
            "plan": plan,
            "visits": visits,
            "weeks": _calendar(plan, visits),
            "solver": figures.get("solver"),
            "baseline": figures.get("baseline"),
            "blocked": figures.get("blocked", []),
            "essa_criteria": essa_criteria(),
            "essa_rows": _essa_rows(plan, visits) if visits else [],
            "accept_form": accept_form or AcceptPlanForm(school=request.school),
            "move_form": MoveVisitForm(school=request.school),
        },
        status=status,
    )


@ability_required("plan_cycles")
def term_plan_progress(request, pk):
    plan = _plan_of(request, pk)
    response = render(
        request, "cycles/partials/term_plan_progress.html", {"plan": plan}
    )
    if plan.status != TermPlan.Status.SOLVING and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"  # the proposal is ready: show it
    return response


@require_POST
@ability_required("plan_cycles")
def term_plan_resolve(request, pk):
    plan = _plan_of(request, pk)
    try:
        services.term_plan_resolve(plan=plan)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Solving again around the locked visits.")
    return redirect("cycles:term_plan", pk=plan.pk)


@require_POST
@ability_required("plan_cycles")
def term_plan_accept(request, pk):
    plan = _plan_of(request, pk)
    form = AcceptPlanForm(request.POST, school=request.school)
    if form.is_valid():
        try:
            made = services.term_plan_accept(
                plan=plan, by=request.user, look_for=form.cleaned_data["look_for"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Accepted: {len(made)} visits are scheduled micro-observations, "
                "booked with their cover and reminders.",
            )
            return redirect("cycles:term_plan", pk=plan.pk)
    return term_plan_detail(request, pk, accept_form=form, status=400)


def _visit_of(request, pk):
    return get_object_or_404(
        PlannedVisit.objects.select_related("plan", "host", "observer"),
        pk=pk,
        school=request.school,
    )


@require_POST
@ability_required("plan_cycles")
def planned_visit_lock(request, pk):
    visit = _visit_of(request, pk)
    locked = request.POST.get("locked") == "1"
    try:
        services.planned_visit_lock(visit=visit, locked=locked)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"{visit.observer} visiting {visit.host} is "
            f"{'locked' if locked else 'unlocked'}.",
        )
    return redirect("cycles:term_plan", pk=visit.plan_id)


@require_POST
@ability_required("plan_cycles")
def planned_visit_remove(request, pk):
    visit = _visit_of(request, pk)
    plan_id = visit.plan_id
    try:
        services.planned_visit_remove(visit=visit)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The visit is removed from the plan.")
    return redirect("cycles:term_plan", pk=plan_id)


@ability_required("plan_cycles")
def planned_visit_move(request, pk):
    visit = _visit_of(request, pk)
    form = MoveVisitForm(
        request.POST or None,
        school=request.school,
        initial={"date": visit.date, "period": None},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.planned_visit_move(
                visit=visit,
                date=form.cleaned_data["date"],
                number=form.cleaned_data["period"].number,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The visit is moved and locked there.")
            return redirect("cycles:term_plan", pk=visit.plan_id)
    return render(
        request,
        "cycles/planned_visit_move.html",
        {"form": form, "visit": visit},
        status=400 if form.errors else 200,
    )
