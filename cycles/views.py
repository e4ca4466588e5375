"""Pages for cycles, problems of practice and look-fors; thin over services.

Who sees what: those who may plan cycles (the "plan_cycles" ability of
jel.permissions) see every cycle of their school; anyone else sees only
cycles they are in. A cycle
someone may not see answers 404, the same as another school's cycle, so a
teacher cannot learn that a colleague's cycle exists. Planning pages answer
403 to teachers.
"""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cycles import registry, selectors, services
from cycles.filters import CycleFilter
from cycles.forms import (
    AvailabilityForm,
    CycleForm,
    CycleSettingsForm,
    DebriefForm,
    LookForForm,
    LookForRowsForm,
    ProblemForm,
    add_service_errors,
)
from cycles.kinds import kind_choices, spec_for
from cycles.models import (
    QUALITY_CHECK_FIELDS,
    QUALITY_CHECKS,
    Cycle,
    CycleParticipant,
    Debrief,
    LookFor,
    ProblemOfPractice,
)
from cycles.quick_visit_forms import QuickVisitForm
from cycles.services import fit
from cycles.services.planning import cycle_made_with
from jel.concurrency import StaleEdit, stale_changes
from jel.models import Role
from jel.permissions import ability_required, role_required
from jel.validation import (
    check_no_control_characters,
    parse_id,
    parse_school_date,
)
from scheduling import plan_inputs
from scheduling import selectors as schedule
from scheduling.actions import action_for
from scheduling.day_facts import read_only_checks
from scheduling.models import ObservationWindow
from scheduling.services import BookingConflict

Kind = Cycle.Kind
Status = Cycle.Status
CYCLES_PER_PAGE = 50

# The buttons a cycle's page offers for each status, with their labels.
NEXT_STEPS = {
    Status.DRAFT: [(Status.SCHEDULED, "Schedule"), (Status.CANCELLED, "Cancel")],
    Status.SCHEDULED: [
        (Status.IN_PROGRESS, "Start: visits are under way"),
        (Status.CANCELLED, "Cancel"),
    ],
    Status.IN_PROGRESS: [(Status.DEBRIEFED, "Mark debriefed")],
    Status.DEBRIEFED: [(Status.CLOSED, "Close the cycle")],
}


def _cycle_or_404(request, pk) -> Cycle:
    cycle = selectors.cycle_for_viewer(membership=request.membership, pk=pk)
    if cycle is None:
        raise Http404("No such cycle.")
    return cycle


# --- Cycles ---------------------------------------------------------------------


@role_required()
def cycle_list(request):
    filters = CycleFilter(request.GET)
    cycles = selectors.cycle_list(membership=request.membership, filters=request.GET)
    page = Paginator(cycles, CYCLES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "cycles/cycle_list.html",
        {
            "cycles": page.object_list,
            "page": page,
            "query": _query_without_page(request),
            "can_plan": selectors.can_plan(request.membership),
            "statuses": Status.choices,
            "kinds": kind_choices(),
            "status": filters.data.get("status", ""),
            "kind": filters.data.get("kind", ""),
        },
    )


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _kind_from(request) -> str | None:
    """The cycle type asked for (rounds if none); None for one that does not exist."""
    kind = request.POST.get("kind") or request.GET.get("kind") or Kind.ROUNDS
    return kind if kind in Kind.values else None


def _kind_refused(request, template="cycles/kind_refused.html"):
    """An unknown ?kind= is said, never silently planned as rounds."""
    asked = request.POST.get("kind") or request.GET.get("kind") or ""
    return render(
        request, template, {"asked": asked[:60], "kinds": kind_choices()}, status=400
    )


def _creation_token(request):
    try:
        return uuid.UUID(request.POST.get("creation_token", ""))
    except ValueError:
        return None


@ability_required("plan_cycles")
def cycle_new(request):
    kind = _kind_from(request)
    if kind is None:
        return _kind_refused(request)
    school = request.school
    if request.method == "POST":
        # The same form sent twice (a double click, a resend): one cycle.
        made = cycle_made_with(school=school, creation_token=_creation_token(request))
        if made is not None:
            messages.info(request, f"“{made}” was already saved: here it is.")
            return redirect("cycles:detail", pk=made.pk)
        form = CycleForm(request.POST, school=school, kind=kind)
        if form.is_valid():
            try:
                cycle = services.cycle_create(
                    school=school,
                    by=request.user,
                    kind=kind,
                    schedule="schedule" in request.POST,
                    creation_token=form.cleaned_data.get("creation_token"),
                    **form.service_kwargs(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if cycle.status == Status.SCHEDULED and _debrief_unbooked(cycle):
                    messages.warning(
                        request,
                        f"“{cycle}” is scheduled and its visits are booked, but "
                        "no time was free for its debrief: give it one under "
                        "Edit the plan.",
                    )
                elif cycle.status == Status.SCHEDULED:
                    messages.success(request, f"“{cycle}” is scheduled and booked.")
                else:
                    messages.success(request, f"“{cycle}” is saved as a draft.")
                return redirect("cycles:detail", pk=cycle.pk)
    else:
        initial = {
            "facilitator": request.user.pk,
            "title": request.GET.get("title", ""),
            "focus": request.GET.get("focus", ""),
            "grouping": Cycle.Grouping.GRADE,
        }
        initial.update(_reciprocal_initial(request, kind))
        initial.update(_people_initial(request))
        initial.update(_look_for_initial(request))
        form = CycleForm(school=school, kind=kind, initial=initial)
    spec = spec_for(kind)
    context = {
        "form": form,
        "kind": kind,
        "spec": spec,
        "kinds": kind_choices(),
        "kind_label": spec.label,
        "rules": spec.rules,
        "swap_target": selectors.swap_rotations_this_semester(school=school)
        if spec.swap_rotation_target
        else None,
        "swap_cap": selectors.cycle_settings_of(
            school=school
        ).swap_days_cap_per_teacher_per_year,
        "editing": False,
    }
    if request.htmx and request.method == "GET":
        return render(request, "cycles/partials/cycle_form_body.html", context)
    return render(request, "cycles/cycle_form.html", context)


def _debrief_unbooked(cycle) -> bool:
    return cycle.debriefs.filter(visit__isnull=True, booking__isnull=True).exists()


def _people_initial(request) -> dict:
    """The team and people ticked so far, when the page asks for its lists again
    (the team was changed: its members come first)."""
    if "team" not in request.GET:
        return {}
    return {
        "team": request.GET.get("team") or None,
        "hosts": request.GET.getlist("hosts"),
        "observers": request.GET.getlist("observers"),
    }


def _look_for_initial(request) -> dict:
    """The problem and look-fors ticked so far, when the page asks for the
    look-fors again (the problem was changed: its look-fors come first)."""
    if "problem_of_practice" not in request.GET:
        return {}
    return {
        "problem_of_practice": request.GET.get("problem_of_practice") or None,
        "look_fors": request.GET.getlist("look_fors"),
    }


def _reciprocal_initial(request, kind) -> dict:
    """The return visit of a micro-observation ("Plan it"), filled in."""
    pk = parse_id(request.GET.get("reciprocal_of"))
    if pk is None:
        return {}
    cycle = _cycle_or_404(request, pk)
    if cycle.kind != kind:
        return {}
    plan = selectors.micro_reciprocal_plan(cycle=cycle)
    if plan is None:
        return {}
    initial = {
        "title": plan["title"],
        "focus": cycle.focus,
        "team": cycle.team_id,
        "hosts": [plan["host"].pk],
        "observers": [plan["observer"].pk],
        "look_fors": [lf.pk for lf in plan["look_fors"]],
        "minutes": plan["minutes"],
    }
    if plan["slot"] is not None:
        initial.update(
            visit_date=plan["slot"]["date"], period=plan["slot"]["period"].pk
        )
    return initial


def _initial_from(cycle: Cycle) -> dict:
    visits = list(cycle.visits.all())
    first = visits[0] if visits else None
    debrief = next((d for d in cycle.debriefs.all() if d.visit_id is None), None)
    initial = {
        name: getattr(cycle, name)
        for name in services.CYCLE_FIELDS
        if name not in ("facilitator", "problem_of_practice", "series", "team")
    }
    initial.update(
        facilitator=cycle.facilitator_id,
        problem_of_practice=cycle.problem_of_practice_id,
        series=cycle.series_id,
        team=cycle.team_id,
        hosts=[u.pk for u in cycle.people(CycleParticipant.Role.HOST)],
        observers=[u.pk for u in cycle.people(CycleParticipant.Role.OBSERVER)],
        look_fors=[lf.pk for lf in selectors.cycle_look_fors(cycle=cycle)],
    )
    if first is not None:
        initial.update(
            visit_date=first.date,
            period=first.period_id,
            minutes=first.minutes,
        )
    if debrief is not None and debrief.due_at is not None:
        initial["debrief_at"] = debrief.due_at
    return initial


@ability_required("plan_cycles")
def cycle_edit(request, pk):
    cycle = _cycle_or_404(request, pk)
    if not cycle.is_open:
        messages.error(request, "A closed or cancelled cycle can no longer be edited.")
        return redirect("cycles:detail", pk=cycle.pk)
    status = 200
    if request.method == "POST":
        form = CycleForm(
            request.POST, school=request.school, kind=cycle.kind, cycle=cycle
        )
        if form.is_valid():
            try:
                services.cycle_update(
                    cycle=cycle,
                    by=request.user,
                    seen_version=form.seen_version(),
                    **form.service_kwargs(),
                )
            except StaleEdit as error:
                form.refuse_stale(error, _cycle_changes(form, error.current))
                status = 409
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "The plan is saved.")
                return redirect("cycles:detail", pk=cycle.pk)
    else:
        form = CycleForm(
            school=request.school,
            kind=cycle.kind,
            cycle=cycle,
            initial=_initial_from(cycle)
            | _people_initial(request)
            | _look_for_initial(request),
        )
    return render(
        request,
        "cycles/cycle_form.html",
        {
            "form": form,
            "cycle": cycle,
            "kind": cycle.kind,
            "spec": spec_for(cycle.kind),
            "kind_label": cycle.get_kind_display(),
            "rules": spec_for(cycle.kind).rules,
            "editing": True,
        },
        status=status,
    )


def _changes(form, current, names) -> list[tuple[str, str]]:
    """What a stale form's fields say now (labels as the form shows them)."""
    labels = {
        name: str(form.fields[name].label or name.replace("_", " ").capitalize())
        for name in names
        if name in form.fields
    }
    return stale_changes(current, labels, form.cleaned_data)


def _cycle_changes(form, current: Cycle) -> list[tuple[str, str]]:
    """The plan's own fields saved since the form was drawn, and its people."""
    changes = _changes(form, current, services.CYCLE_FIELDS)
    for name, role in (
        ("hosts", CycleParticipant.Role.HOST),
        ("observers", CycleParticipant.Role.OBSERVER),
    ):
        if name not in form.fields:
            continue
        now = list(
            current.memberships.filter(role=role)
            .select_related("user")
            .order_by("user__full_name")
        )
        typed = {u.pk for u in form.cleaned_data.get(name) or []}
        if typed != {p.user_id for p in now}:
            shown = ", ".join(p.user.full_name for p in now) or "nobody"
            changes.append((str(form.fields[name].label), shown))
    return changes


@role_required()
def cycle_detail(request, pk):
    cycle = _cycle_or_404(request, pk)
    me = request.user
    my_host_part = next(
        (
            p
            for p in cycle.memberships.all()
            if p.user_id == me.pk and p.role == CycleParticipant.Role.HOST
        ),
        None,
    )
    can_plan = selectors.can_plan(request.membership)
    spec = spec_for(cycle.kind)
    groups = selectors.walk_groups(cycle=cycle) if spec.groups else {}
    context = {
        "cycle": cycle,
        "visit_rows": _visit_rows(cycle, me, groups),
        "spec": spec,
        "can_plan": can_plan,
        "next_steps": NEXT_STEPS.get(cycle.status, []) if can_plan else [],
        "look_fors": selectors.cycle_look_fors(cycle=cycle),
        "hosts": [
            p for p in cycle.memberships.all() if p.role == CycleParticipant.Role.HOST
        ],
        "observers": cycle.people(CycleParticipant.Role.OBSERVER),
        "my_host_part": my_host_part if spec.hosts.opt_in and cycle.is_open else None,
        "rules": spec.rules,
        "problem_text": cycle.problem_version.question
        if cycle.problem_version
        else (cycle.problem_of_practice.question if cycle.problem_of_practice else ""),
        "groups": groups,
        "reciprocal": selectors.micro_reciprocal_suggestion(cycle=cycle),
        "pairs": selectors.swap_pairs_of(cycle=cycle),
        "swap_target": selectors.swap_rotations_this_semester(
            school=request.school, day=cycle.starts_on
        )
        if spec.swap_rotation_target
        else None,
        "errors": request.session.pop("cycle_errors", None),
    }
    return render(request, "cycles/cycle_detail.html", context)


def _visit_rows(cycle, me, groups) -> list[dict]:
    """Each visit with the viewer's part in it (booked or not) and its group."""
    debriefs = list(cycle.debriefs.all())
    group_of = {
        frozenset(u.pk for u in members): number for number, members in groups.items()
    }
    rows = []
    for visit in cycle.visits.all():
        observers = list(visit.observers.all())
        debrief = next(
            (d for d in debriefs if d.visit_id == visit.pk),
            next((d for d in debriefs if d.visit_id is None), None),
        )
        part = registry.visit_part(
            visit=visit,
            user=me,
            debrief_held=debrief is not None and debrief.held_at is not None,
        )
        if part is None and visit.booking_id:
            part = action_for(visit.booking, me)
        in_visit = me.pk == visit.host_id or any(o.pk == me.pk for o in observers)
        rows.append(
            {
                "visit": visit,
                "observers": observers,
                "group": group_of.get(frozenset(o.pk for o in observers)),
                "part": part,
                "debrief": debrief
                if in_visit and visit.date <= timezone.localdate()
                else None,
            }
        )
    return rows


@require_POST
@ability_required("plan_cycles")
def cycle_transition(request, pk):
    cycle = _cycle_or_404(request, pk)
    to_status = request.POST.get("to", "")
    if to_status not in Status.values:
        messages.error(request, "Choose what should happen to the cycle.")
        return redirect("cycles:detail", pk=cycle.pk)
    note = request.POST.get("note", "")[:300]
    try:
        check_no_control_characters(note)
    except ValidationError:
        note = "".join(ch for ch in note if ch.isprintable() or ch in "\t\n\r")
    try:
        services.cycle_transition(
            cycle=cycle,
            to_status=to_status,
            by=request.user,
            note=note,
        )
    except ValidationError as error:
        # Shown as a list on the cycle page: each names a field of the plan.
        request.session["cycle_errors"] = [
            message
            for messages_ in error.message_dict.values()
            for message in messages_
        ]
        messages.error(request, "The cycle could not move on; see why below.")
    else:
        messages.success(
            request, f"The cycle is now {Status(to_status).label.lower()}."
        )
    return redirect("cycles:detail", pk=cycle.pk)


@require_POST
@role_required()
def host_respond(request, pk):
    cycle = _cycle_or_404(request, pk)
    accept = request.POST.get("answer") == "accept"
    try:
        services.host_respond(cycle=cycle, user=request.user, accept=accept)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            "Thank you for opening your classroom."
            if accept
            else "You have declined to host. Nobody else is told why.",
        )
    return redirect("cycles:detail", pk=cycle.pk)


@ability_required("plan_cycles")
def availability(request):
    """htmx: who could host (teaching then) and who is free in a chosen slot."""
    form = AvailabilityForm(request.GET, school=request.school)
    context = {"ready": False}
    if form.is_valid():
        day, period = form.cleaned_data["visit_date"], form.cleaned_data["period"]
        staff = selectors.staff_choices(
            school=request.school, roles=[Role.TEACHER, Role.MENTOR]
        )
        found = selectors.availability(
            school=request.school, day=day, period=period, candidates=staff
        )
        team = form.cleaned_data.get("team")
        hosts = found["teaching"]
        if team:
            members = set(team.members.values_list("pk", flat=True))
            hosts = [user for user in hosts if user.pk in members]
        ranked = selectors.host_rotation(
            school=request.school, day=day, candidates=hosts
        )
        context = {
            "ready": True,
            "day": day,
            # The slot at the chosen date's times (a late start has its own).
            "period": schedule.period_on(school=request.school, day=day, period=period)
            or period,
            "info": found["info"],
            "suggested": ranked[:3],
            "team": team,
            "free": found["free"],
            "teaching": found["teaching"],
        }
    return render(request, "cycles/partials/availability.html", context)


@require_POST
@ability_required("plan_cycles")
def cycle_check(request):
    """htmx: whether the visits as chosen so far fit, and a layout that fits."""
    kind = _kind_from(request)
    if kind is None:
        return _kind_refused(request, "cycles/partials/kind_refused.html")
    # A live check only reads: each day's calendar and bookings are read once
    # for the form's fields and the check together.
    # From the edit page (?cycle=N): the cycle's own bookings are what the new
    # plan replaces, not conflicts with it.
    editing = None
    cycle_id = parse_id(request.GET.get("cycle"))
    if cycle_id is not None:
        editing = selectors.cycle_for_viewer(membership=request.membership, pk=cycle_id)
    with read_only_checks():
        check = _cycle_check(request, kind, editing)
    return render(
        request,
        "cycles/partials/cycle_check.html",
        {"check": check, "editing_cycle": editing},
    )


def _cycle_check(request, kind, editing):
    form = CycleForm(request.POST, school=request.school, kind=kind)
    form.is_valid()  # the plan is half-made: read the fields that are valid
    data = form.cleaned_data
    return fit.cycle_fit(
        school=request.school,
        kind=kind,
        day=data.get("visit_date"),
        period=data.get("period"),
        start_time=data.get("start_time"),
        minutes=data.get("minutes"),
        hosts=data.get("hosts") or [],
        observers=data.get("observers") or [],
        facilitator=data.get("facilitator"),
        arrange_cover=data.get("arrange_cover", False),
        cycle=editing,
    )


# --- Debriefs -----------------------------------------------------------------------


@role_required()
def debrief(request, pk):
    found = get_object_or_404(Debrief.objects.select_related("cycle"), pk=pk)
    cycle = _cycle_or_404(request, found.cycle_id)
    found = next(d for d in cycle.debriefs.all() if d.pk == found.pk)
    if not selectors.can_read_cycle_evidence(
        cycle=cycle, user=request.user, role=request.membership.role
    ):
        # The debrief shows the cycle's evidence: the evidence pages' rule.
        raise PermissionDenied("Only the cycle's group sees its debrief and evidence.")
    can_plan = selectors.can_plan(request.membership)
    spec = spec_for(cycle.kind).debrief
    groups = selectors.walk_group_numbers(cycle=cycle) if spec.group_steps else []
    stale = False
    if request.method == "POST":
        if not can_plan:
            raise PermissionDenied("Only a facilitator records the debrief.")
        form = DebriefForm(request.POST, debrief=found, groups=groups)
        if form.is_valid():
            try:
                services.debrief_record(
                    debrief=found,
                    by=request.user,
                    seen_version=form.seen_version(),
                    **form.service_kwargs(),
                )
            except StaleEdit as error:
                form.refuse_stale(error, _changes(form, error.current, form.protocol))
                stale = True
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "The debrief is saved.")
                return redirect("cycles:debrief", pk=found.pk)
    else:
        form = DebriefForm(debrief=found, groups=groups)
    hide_hosts = spec.hide_hosts
    evidence = registry.debrief_evidence(
        cycle=cycle, viewer=request.user, hide_hosts=hide_hosts
    )
    return render(
        request,
        "cycles/debrief.html",
        {
            "cycle": cycle,
            "debrief": found,
            "protocol": spec,
            "form": form,
            "can_plan": can_plan,
            "evidence": evidence,
            "hide_hosts": hide_hosts,
            "look_fors": selectors.cycle_look_fors(cycle=cycle),
            "groups": selectors.walk_groups(cycle=cycle) if spec.group_steps else {},
        },
        status=409 if stale else 200,
    )


# --- Problems of practice and look-fors ---------------------------------------------


@ability_required("plan_cycles")
def problem_list(request):
    return render(
        request,
        "cycles/problem_list.html",
        {"problems": selectors.problems_for(school=request.school)},
    )


@ability_required("plan_cycles")
def problem_new(request):
    form = ProblemForm(request.POST or None)
    rows = LookForRowsForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and rows.is_valid():
        try:
            problem = services.problem_create(
                school=request.school,
                by=request.user,
                question=form.cleaned_data["question"],
                theory_of_action=form.cleaned_data["theory_of_action"],
                initiative=form.cleaned_data["initiative"],
                checks=form.cleaned_data["checks"],
                look_fors=rows.look_fors(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if problem.passes_all_checks:
                messages.success(request, "The problem of practice is saved.")
            else:
                messages.warning(
                    request,
                    "Saved as a draft: rounds can use it once all five quality "
                    "checks are ticked.",
                )
            return redirect("cycles:problem_detail", pk=problem.pk)
    return render(request, "cycles/problem_form.html", {"form": form, "rows": rows})


PROBLEM_FIELDS = ("question", "theory_of_action", "initiative")


@ability_required("plan_cycles")
def problem_detail(request, pk, look_for_form=None):
    problem = get_object_or_404(ProblemOfPractice, pk=pk)
    initial = {
        "question": problem.question,
        "theory_of_action": problem.theory_of_action,
        "initiative": problem.initiative,
        "checks": [name for name in QUALITY_CHECK_FIELDS if getattr(problem, name)],
        "version": problem.version,
    }
    editing = request.method == "POST" and look_for_form is None
    form = ProblemForm(request.POST if editing else None, initial=initial)
    status = 200
    if editing and form.is_valid():
        try:
            services.problem_update(
                problem=problem,
                by=request.user,
                question=form.cleaned_data["question"],
                theory_of_action=form.cleaned_data["theory_of_action"],
                initiative=form.cleaned_data["initiative"],
                checks=form.cleaned_data["checks"],
                seen_version=form.seen_version(),
            )
        except StaleEdit as error:
            changes = _changes(form, error.current, PROBLEM_FIELDS)
            typed_checks = set(form.cleaned_data["checks"])
            saved_checks = {
                name for name in QUALITY_CHECK_FIELDS if getattr(error.current, name)
            }
            if typed_checks != saved_checks:
                changes.append(
                    (
                        "Quality checks ticked",
                        "; ".join(
                            label
                            for name, label, _hint in QUALITY_CHECKS
                            if name in saved_checks
                        )
                        or "none",
                    )
                )
            form.refuse_stale(error, changes)
            problem, status = error.current, 409
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Saved as version {problem.version}. Closed cycles keep the text "
                "they used.",
            )
            return redirect("cycles:problem_detail", pk=problem.pk)
    return render(
        request,
        "cycles/problem_detail.html",
        {
            "problem": problem,
            "form": form,
            "look_fors": problem.look_fors.order_by("archived_at", "position", "pk"),
            "look_for_form": look_for_form or LookForForm(),
            "versions": problem.versions.select_related("created_by"),
            "cycles": problem.cycles.select_related("problem_version"),
        },
        status=status,
    )


@require_POST
@ability_required("plan_cycles")
def look_for_add(request):
    # Another school's problem (or none with that id) is a 404 like its page;
    # what is not an id at all is the form's error.
    problem_id = parse_id(request.POST.get("problem"))
    if problem_id is not None:
        get_object_or_404(ProblemOfPractice, pk=problem_id)
    form = LookForForm(request.POST, school=request.school)
    if form.is_valid():
        problem = form.cleaned_data["problem"]
        try:
            services.look_for_create(
                school=request.school,
                by=request.user,
                problem=problem,
                text=form.cleaned_data["text"],
                kind=form.cleaned_data["kind"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Look-for added.")
            if problem is not None:
                return redirect("cycles:problem_detail", pk=problem.pk)
            return redirect("cycles:look_fors")
    # Shown again where it was written, each error beside its field.
    if problem_id is not None and not form.has_error("problem"):
        return problem_detail(request, problem_id, look_for_form=form)
    return look_for_library(request, form=form)


def _back_from(look_for):
    if look_for.problem_id:
        return reverse("cycles:problem_detail", args=[look_for.problem_id])
    return reverse("cycles:look_fors")


@require_POST
@ability_required("plan_cycles")
def look_for_move(request, pk):
    look_for = get_object_or_404(LookFor, pk=pk)
    services.look_for_move(
        look_for=look_for, by=request.user, up=request.POST.get("direction") == "up"
    )
    return redirect(_back_from(look_for))


@require_POST
@ability_required("plan_cycles")
def look_for_remove(request, pk):
    look_for = get_object_or_404(LookFor, pk=pk)
    if request.POST.get("restore"):
        services.look_for_restore(look_for=look_for, by=request.user)
        messages.success(request, "Look-for restored.")
        return redirect(_back_from(look_for))
    back = _back_from(look_for)
    outcome = services.look_for_remove(look_for=look_for, by=request.user)
    if outcome == "archived":
        messages.info(
            request,
            "That look-for has been used, so it is archived rather than deleted: "
            "the evidence that refers to it stays intact.",
        )
    else:
        messages.success(request, "Look-for deleted.")
    return redirect(back)


@ability_required("plan_cycles")
def look_for_library(request, form=None):
    return render(
        request,
        "cycles/look_for_library.html",
        {
            "look_fors": selectors.look_for_library(
                school=request.school, include_archived=True
            ),
            "form": form or LookForForm(),
        },
    )


@ability_required("change_school_settings")
def cycle_settings(request):
    # Opening the page shows the defaults without saving them (a GET never
    # writes); the first save inserts the row.
    found = selectors.cycle_settings_of(school=request.school)
    form = CycleSettingsForm(request.POST or None, instance=found)
    status = 200
    if request.method == "POST" and form.is_valid():
        typed = dict(form.cleaned_data)
        seen = typed.pop("version", None)
        try:
            services.cycle_settings_update(
                school=request.school, by=request.user, seen_version=seen, **typed
            )
        except StaleEdit as error:
            form.refuse_stale(error, _changes(form, error.current, typed))
            status = 409
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Cycle settings saved.")
            return redirect("cycles:settings")
    return render(
        request,
        "cycles/settings.html",
        {"form": form},
        status=status,
    )


# --- Plan a visit: a one-visit micro-observation ----------------------------------


@ability_required("plan_visits")
def visit_plan(request):
    """A visit from "Plan a visit": host, observers, a time, one look-for, cover.

    Saved as a scheduled one-visit micro-observation (cycles.services.quick_visit)
    so its observers capture it like any cycle's visit; the page's live check
    is scheduling's (scheduling:visit_check).
    """
    feedback = None
    school = request.school
    if request.method == "POST":
        data = request.POST.copy()
        slot_chosen = "use_slot" in data
        slot_refused = slot_chosen and not _offered_slot(data["use_slot"])
        if slot_chosen and not slot_refused:
            data = plan_inputs.use_slot(school, data)
        form = QuickVisitForm(data, school=school)
        if slot_chosen:
            # Choosing a free time only moves the plan there and checks it
            # again; the look-for is asked for when the visit is booked.
            form.fields["look_for"].required = False
        if slot_refused:
            form.add_error(
                "date",
                "That suggested time is not one this page offered: pick a date "
                "and a period, or choose one of the free times again.",
            )
        if form.is_valid():
            cleaned = form.cleaned_data
            fields = {
                "school": school,
                "by": request.user,
                "host": cleaned["host"],
                "observers": list(cleaned["observers"]),
                "date": cleaned["date"],
                "period": cleaned["period"],
                "minutes": cleaned["minutes"],
                "coverage": plan_inputs.coverage_from_post(
                    school, data, cleaned["observers"]
                ),
                "title": cleaned.get("title") or "",
                "window_override_reason": cleaned.get("window_override_reason") or "",
            }
            wanted = services.quick_visit_request(**fields)
            if slot_chosen:
                feedback = schedule.booking_feedback(request=wanted)
            else:
                try:
                    visit = services.quick_visit_plan(
                        look_for=cleaned["look_for"], **fields
                    )
                except BookingConflict as refused:
                    feedback = schedule.booking_feedback(
                        request=wanted, refused=refused
                    )
                except ValidationError as invalid:
                    add_service_errors(form, _quick_visit_errors(invalid))
                else:
                    booking = visit.booking
                    messages.success(
                        request,
                        f"{booking.title} is booked for {booking.date:%A %-d %B}; "
                        "its observers can record evidence from their week, "
                        "home page and calendar.",
                    )
                    return redirect("scheduling:booking_detail", pk=booking.pk)
    else:
        form = QuickVisitForm(
            school=school,
            initial={
                "date": parse_school_date(request.GET.get("date"))
                or timezone.localdate()
            },
        )
    windows = ObservationWindow.objects.filter(
        ends_on__gte=timezone.localdate()
    ).order_by("starts_on")[:3]
    return render(
        request,
        "cycles/visit_plan.html",
        {"form": form, "feedback": feedback, "windows": windows},
    )


def _offered_slot(value: str) -> bool:
    """A free time the page offers is "YYYY-MM-DD|period number"."""
    day, _, number = (value or "").partition("|")
    return (
        parse_school_date(day) is not None
        and number.isascii()
        and number.isdigit()
        and len(number) <= 3
    )


# The cycle rules' field names, as the visit form names them.
_QUICK_VISIT_FIELDS = {
    "look_fors": "look_for",
    "hosts": "host",
    "visit_date": "date",
}


def _quick_visit_errors(error: ValidationError) -> ValidationError:
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError(
        {
            _QUICK_VISIT_FIELDS.get(name, name): messages
            for name, messages in error.message_dict.items()
        }
    )
