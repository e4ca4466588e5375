"""Pages for capturing evidence, reading it, reflections and goals. Thin views:
the rules are in services (writes) and selectors (reads, privacy).

Role decides 403, relationship decides 404: a visit, an entry, a reflection or
a goal this person may not see answers 404, the same as another school's, so an
address never confirms that it exists. Someone who may see it but not do this
to it (the host recording evidence, a reader changing a reflection) gets 403.
"""

import uuid
from collections import Counter

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cycles.kinds import REFLECTION_PROMPTS_ALONE, Organizer, spec_for
from cycles.models import Cycle, Visit
from cycles.selectors import cycles_visible_to
from jel.concurrency import StaleEdit, stale_changes
from jel.csv_export import csv_response
from jel.permissions import evidence_disclosure, role_required
from jel.validation import parse_id
from observations import selectors, services
from observations.forms import (
    EvidenceEditForm,
    EvidenceForm,
    GoalCheckInForm,
    GoalForm,
    ReflectionEditForm,
    ReflectionForm,
    ReplyForm,
)
from observations.judging import JUDGING_WORDS, NUDGE, judging_words
from observations.models import EVIDENCE_MAX_CHARS, Evidence, Goal, Reflection


def _add_errors(form, error: ValidationError) -> None:
    for name, problems in error.message_dict.items():
        form.add_error(name if name in form.fields else None, problems)


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _page(request, items, *, per_page: int, param: str = "page") -> Page:
    """One page of a list; a missing or bad page number gives the first.

    The first page of a list that fits on it costs one query, not a count and
    a fetch (list pages keep their pinned query counts).
    """
    number = request.GET.get(param)
    if number in (None, "", "1"):
        head = list(items[: per_page + 1])
        if len(head) <= per_page:
            return Paginator(head, per_page).get_page(1)
    return Paginator(items, per_page).get_page(number)


# --- Capture -----------------------------------------------------------------------


def _visit_for_capture(request, visit_id) -> Visit:
    visit = selectors.visit_for_viewer(membership=request.membership, pk=visit_id)
    if visit is None:
        raise Http404("No such visit.")
    if not selectors.can_capture(visit=visit, user=request.user):
        raise PermissionDenied("Only the visit's observers record evidence here.")
    return visit


def _capture_page(request, visit, form=None, status=200):
    look_fors = selectors.look_fors_for_cycle(cycle=visit.cycle)
    observation = selectors.observation_for(visit=visit, user=request.user)
    entries = (
        list(selectors.observation_evidence(observation=observation))
        if observation
        else []
    )
    tallies = Counter(entry.look_for_id for entry in entries if entry.is_tally)
    written = [entry for entry in entries if not (entry.is_tally and not entry.text)]
    if form is None:
        form = EvidenceForm(look_fors=look_fors, initial={"client_id": uuid.uuid4()})
    spec = spec_for(visit.cycle)
    started = selectors.visit_has_started(visit=visit)
    # The copy the installable app keeps for offline use (?offline=1): ready
    # to record, hidden until the phone's clock reaches the start.
    waiting_to_open = (
        not started and request.method == "GET" and request.GET.get("offline") == "1"
    )
    held, next_debrief = selectors.visit_debriefs(visit=visit)
    finished = observation is not None and observation.ended_at is not None
    school, user = request.school, request.user
    context = {
        "visit": visit,
        "cycle": visit.cycle,
        # The What / So What / Now What organizer, when the kind asks for it.
        "organizer": spec.organizer == Organizer.WHAT_SO_WHAT_NOW_WHAT,
        "prebrief": spec.prebrief,
        "guiding_questions": "guiding_students_doing" in spec.fields,
        "attributed": selectors.host_is_attributed(role=request.membership.role),
        "look_fors": [
            {"look_for": lf, "count": tallies.get(lf.pk, 0), "client_id": uuid.uuid4()}
            for lf in look_fors
        ],
        "observation": observation,
        "entries": list(reversed(written)),
        "form": form,
        "started": started,
        "waiting_to_open": waiting_to_open,
        "not_started_message": ""
        if started
        else selectors.visit_not_started_message(visit=visit),
        "debrief_held": held,
        "next_debrief": next_debrief,
        "finished": finished,
        "max_chars": f"{EVIDENCE_MAX_CHARS:,}",
        "capture_config": {
            "apiUrl": reverse("observations:api_evidence"),
            "startUrl": reverse("observations:observation_start", args=[visit.pk]),
            "stopUrl": reverse("observations:observation_stop", args=[visit.pk]),
            "visit": visit.pk,
            # Per person and school: one person's entries of two schools never
            # meet, and switching school never drops what is waiting.
            "storageKey": f"jel.evidence.{school.pk}.{user.pk}",
            # Where entries waited before the key named the school.
            "oldStorageKey": f"jel.evidence.{user.pk}",
            "draftKey": f"jel.draft.{school.pk}.{user.pk}.{visit.pk}",
            "timeZone": school.time_zone,
            "startsAt": visit.starts_at.isoformat() if visit.starts_at else None,
            "started": started,
            "prepared": waiting_to_open,
            "opensAt": selectors.visit_opens_at(visit=visit).isoformat(),
            "locked": held is not None,
            "maxChars": EVIDENCE_MAX_CHARS,
            "editUrl": reverse("observations:evidence_edit", args=[0]),
            "minutes": visit.minutes,
            "startedAt": observation.started_at.isoformat()
            if observation and observation.started_at
            else None,
            "endedAt": observation.ended_at.isoformat()
            if observation and observation.ended_at
            else None,
            "judgingWords": list(JUDGING_WORDS),
            "nudge": NUDGE,
        },
    }
    return render(request, "observations/capture.html", context, status=status)


@role_required()
def capture(request, visit_id):
    visit = _visit_for_capture(request, visit_id)
    return _capture_page(request, visit)


@require_POST
@role_required()
def evidence_create(request, visit_id):
    visit = _visit_for_capture(request, visit_id)
    look_fors = selectors.look_fors_for_cycle(cycle=visit.cycle)
    form = EvidenceForm(request.POST, look_fors=look_fors)
    if form.is_valid():
        try:
            evidence, _created = services.evidence_record(
                visit=visit, **form.cleaned_data, by=request.user
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            words = judging_words(
                " ".join(getattr(evidence, name) for name in services.EVIDENCE_FIELDS)
            )
            if words:
                messages.info(
                    request, f"Saved. You wrote “{', '.join(words)}”. {NUDGE}"
                )
            elif evidence.is_tally and not evidence.text:
                messages.success(request, f"Counted: {evidence.look_for}.")
            else:
                messages.success(request, "Evidence saved.")
            return redirect("observations:capture", visit_id=visit.pk)
    # Show the form again with the words as typed: nothing is lost.
    return _capture_page(request, visit, form=form, status=400)


def _timer_response(request, visit, observation):
    if _wants_json(request):
        return JsonResponse(
            {
                "started_at": observation.started_at,
                "ended_at": observation.ended_at,
            }
        )
    return redirect("observations:capture", visit_id=visit.pk)


def _timer_step(request, visit_id, step):
    """Start or stop: the service's refusal as JSON for the script, else a message."""
    visit = _visit_for_capture(request, visit_id)
    try:
        observation = step(visit=visit, by=request.user)
    except ValidationError as error:
        if _wants_json(request):
            return JsonResponse(error.message_dict, status=400)
        messages.error(request, " ".join(error.messages))
        return redirect("observations:capture", visit_id=visit.pk)
    return _timer_response(request, visit, observation)


@require_POST
@role_required()
def observation_start(request, visit_id):
    return _timer_step(request, visit_id, services.observation_start)


@require_POST
@role_required()
def observation_stop(request, visit_id):
    return _timer_step(request, visit_id, services.observation_stop)


def _readable_evidence(request, pk) -> Evidence:
    evidence = selectors.evidence_for_reader(
        user=request.user, role=request.membership.role, pk=pk
    )
    if evidence is None:
        raise Http404("No such entry.")
    return evidence


def _own_evidence(request, pk) -> Evidence:
    evidence = _readable_evidence(request, pk)
    if evidence.observation.observer_id != request.user.pk:
        raise PermissionDenied("Only the person who wrote an entry changes it.")
    return evidence


@role_required()
def evidence_edit(request, pk):
    evidence = _own_evidence(request, pk)
    visit = evidence.observation.visit
    look_fors = selectors.look_fors_for_cycle(cycle=visit.cycle)
    held = selectors.visit_debrief_held(visit=visit)
    initial = {
        "text": evidence.text,
        "look_for": evidence.look_for_id,
        "student_focus": evidence.student_focus,
        "what": evidence.what,
        "so_what": evidence.so_what,
        "now_what": evidence.now_what,
    }
    form = EvidenceEditForm(
        request.POST if request.method == "POST" else None,
        look_fors=look_fors,
        initial=initial,
    )
    status = 200
    if request.method == "POST" and held is None:
        if form.is_valid():
            try:
                services.evidence_update(
                    evidence=evidence, **form.cleaned_data, by=request.user
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, "Entry changed.")
                return redirect("observations:capture", visit_id=visit.pk)
        status = 400
    elif request.method == "POST":
        status = 400
    spec = spec_for(visit.cycle)
    return render(
        request,
        "observations/capture_edit.html",
        {
            "evidence": evidence,
            "visit": visit,
            "cycle": visit.cycle,
            "form": form,
            "look_fors": look_fors,
            "organizer": spec.organizer == Organizer.WHAT_SO_WHAT_NOW_WHAT,
            "debrief_held": held,
            "max_chars": f"{EVIDENCE_MAX_CHARS:,}",
        },
        status=status,
    )


@require_POST
@role_required()
def evidence_delete(request, pk):
    evidence = _own_evidence(request, pk)
    visit_id = evidence.observation.visit_id
    try:
        services.evidence_delete(evidence=evidence, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Entry deleted.")
    return redirect("observations:capture", visit_id=visit_id)


@require_POST
@role_required()
def evidence_bright_spot(request, pk):
    evidence = _readable_evidence(request, pk)
    marked = request.POST.get("bright_spot") == "1"
    services.evidence_mark_bright_spot(
        evidence=evidence, bright_spot=marked, by=request.user
    )
    messages.success(
        request,
        "Marked as a bright spot: the host will see it as a note of thanks."
        if marked
        else "No longer a bright spot.",
    )
    return redirect("observations:capture", visit_id=evidence.observation.visit_id)


@require_POST
@role_required()
def evidence_wall(request, pk):
    evidence = _readable_evidence(request, pk)
    agreed = request.POST.get("agreed") == "1"
    try:
        services.evidence_share_on_wall(
            evidence=evidence, agreed=agreed, by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            "Added to the school’s wall of bright spots."
            if agreed
            else "Taken off the wall.",
        )
    return redirect("observations:my_room")


# --- Reading evidence ---------------------------------------------------------------


@role_required()
def my_room(request):
    # Reading changes nothing: the host marks the notes of thanks read (POST).
    room = selectors.evidence_from_my_room(user=request.user)
    bright_spots = list(room.filter(bright_spot=True))
    return render(
        request,
        "observations/my_room.html",
        {
            "bright_spots": bright_spots,
            "unread": {e.pk for e in bright_spots if e.host_thanked_at is None},
            "evidence": _page(request, room, per_page=50),
        },
    )


@require_POST
@role_required()
def bright_spots_read(request):
    count = services.bright_spots_mark_read(host=request.user)
    messages.success(
        request,
        f"Marked {count} note{'s' if count != 1 else ''} of thanks as read.",
    )
    return redirect("observations:my_room")


@role_required()
def wall(request):
    return render(
        request,
        "observations/wall.html",
        {"bright_spots": _page(request, selectors.bright_spots_wall(), per_page=48)},
    )


def _cycle_for_evidence(request, cycle_id) -> Cycle:
    cycle = cycles_visible_to(membership=request.membership).filter(pk=cycle_id)
    cycle = cycle.first()
    if cycle is None:
        raise Http404("No such cycle.")
    if not selectors.can_see_cycle_evidence(
        cycle=cycle, user=request.user, role=request.membership.role
    ):
        raise PermissionDenied("Only the cycle's group sees its evidence.")
    return cycle


@role_required()
def cycle_evidence(request, cycle_id):
    cycle = _cycle_for_evidence(request, cycle_id)
    suppressed = _suppressed(request, cycle)
    groups = selectors.debrief_evidence(
        cycle=cycle,
        role=request.membership.role,
        only_observer=request.user if suppressed else None,
    )
    return render(
        request,
        "observations/cycle_evidence.html",
        {
            "cycle": cycle,
            "groups": groups,
            "suppressed": suppressed,
            "threshold": request.school.privacy_threshold,
        },
    )


def _suppressed(request, cycle) -> bool:
    return selectors.too_few_classrooms_for(cycle=cycle, role=request.membership.role)


@role_required()
def cycle_evidence_csv(request, cycle_id):
    cycle = _cycle_for_evidence(request, cycle_id)
    role = request.membership.role
    # No host and no observer: the export is about students, across classrooms.
    # The time is the reader's only where jel.permissions lets them see it
    # (never for an evaluator reading others' entries: it points at one visit).
    header = [
        "look_for",
        "students_were",
        "text",
        "what",
        "so_what",
        "now_what",
        "noted_at",
        "tally_marks",
    ]
    suppressed = _suppressed(request, cycle)
    only_observer = request.user if suppressed else None
    rows = []
    groups = selectors.debrief_evidence(
        cycle=cycle, role=role, only_observer=only_observer
    )
    hosts = dict(Visit.objects.filter(cycle=cycle).values_list("pk", "host_id"))
    for group in groups:
        for entry in group.entries:
            shown = evidence_disclosure(
                role=role,
                reader_id=request.user.pk,
                observer_id=entry.observation.observer_id,
                host_id=hosts.get(entry.observation.visit_id),
            )
            rows.append(
                [
                    group.label,
                    entry.student_focus,
                    entry.text,
                    entry.what,
                    entry.so_what,
                    entry.now_what,
                    timezone.localtime(entry.noted_at) if shown.time_of_day else None,
                    None,
                ]
            )
        if group.tally:
            rows.append([group.label, "", "", "", "", "", None, group.tally])
    withheld = None
    if suppressed:
        # Said whether or not others wrote anything, so it reveals nothing.
        withheld = (
            "only your own entries are here; the cycle's other evidence is "
            f"from fewer than {request.school.privacy_threshold} classrooms, "
            "so it would point at the host."
        )
    return csv_response(
        f"cycle-{cycle.pk}-evidence.csv", header, rows, withheld=withheld
    )


# --- Reflections --------------------------------------------------------------------


@role_required()
def reflections(request):
    readable = selectors.reflections_for(
        user=request.user, role=request.membership.role
    )
    # One list, newest first, shown in two groups: one query per page.
    page = _page(request, readable, per_page=50)
    return render(
        request,
        "observations/reflections.html",
        {
            "page": page,
            "mine": [r for r in page if r.author_id == request.user.pk],
            "shared": [r for r in page if r.author_id != request.user.pk],
        },
    )


@role_required()
def reflection_create(request):
    cycles = selectors.cycles_of(user=request.user)
    initial = {}
    # ?visit= ties the reflection to a visit the writer took part in; the form
    # posts back to the same address, so it holds for the POST too.
    visit = None
    visit_id = parse_id(request.GET.get("visit"))
    if visit_id is not None:
        visit = selectors.visit_of(user=request.user, pk=visit_id)
        if visit is not None:
            initial["cycle"] = visit.cycle
    cycle_id = parse_id(request.GET.get("cycle"))
    if cycle_id is not None:
        initial["cycle"] = cycles.filter(pk=cycle_id).first()
    form = ReflectionForm(request.POST or None, cycles=cycles, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            reflection = services.reflection_create(
                school=request.school, **form.cleaned_data, visit=visit, by=request.user
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Your reflection is saved.")
            return redirect("observations:reflection_detail", pk=reflection.pk)
    chosen = initial.get("cycle")
    return render(
        request,
        "observations/reflection_form.html",
        {
            "form": form,
            "visit": visit,
            "prompts": _reflection_prompts(chosen),
            # "" is "Not about a cycle": the journal's prompts, whatever the
            # page first showed.
            "all_prompts": {
                "": _reflection_prompts(None),
                **{str(cycle.pk): _reflection_prompts(cycle) for cycle in cycles},
            },
        },
        status=400 if form.errors else 200,
    )


def _reflection_prompts(cycle) -> list[str]:
    """The prompts offered: the cycle type's (cycles.kinds), or a journal's."""
    if cycle is None:
        return list(REFLECTION_PROMPTS_ALONE)
    return list(spec_for(cycle).reflection_prompts)


def _reflection_for_reader(request, pk) -> Reflection:
    reflection = get_object_or_404(
        Reflection.objects.select_related("author", "cycle"), pk=pk
    )
    if not selectors.reflection_can_read(
        reflection=reflection, user=request.user, role=request.membership.role
    ):
        raise Http404("No such reflection.")
    return reflection


def _reflection_for_author(request, pk) -> Reflection:
    reflection = _reflection_for_reader(request, pk)
    if reflection.author_id != request.user.pk:
        raise PermissionDenied("Only the author can change a reflection.")
    return reflection


@role_required()
def reflection_detail(request, pk):
    reflection = _reflection_for_reader(request, pk)
    return render(
        request,
        "observations/reflection_detail.html",
        {
            "reflection": reflection,
            "replies": reflection.replies.select_related("author"),
            "reply_form": ReplyForm(),
            "is_author": reflection.author_id == request.user.pk,
        },
    )


REFLECTION_LABELS = {"body": "Your reflection", "visibility": "Who can read it"}


@role_required()
def reflection_edit(request, pk):
    reflection = _reflection_for_author(request, pk)
    form = ReflectionEditForm(request.POST or None, instance=reflection)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.reflection_update(
                reflection=reflection,
                body=form.cleaned_data["body"],
                visibility=form.cleaned_data["visibility"],
                seen_version=form.seen_version(),
                by=request.user,
            )
        except StaleEdit as error:
            _refuse_stale_reflection(form, error)
            status = 409
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Your reflection is updated.")
            return redirect("observations:reflection_detail", pk=reflection.pk)
    if form.errors and status == 200:
        status = 400
    return render(
        request,
        "observations/reflection_edit.html",
        {"form": form, "reflection": reflection},
        status=status,
    )


def _refuse_stale_reflection(form, error: StaleEdit) -> None:
    """The typed words stay; who can read it shows what the author saved last.

    A form from before the author made it private must never re-share it, not
    even by a second click on Save: the choice on the form is the saved one.
    """
    current = error.current
    form.refuse_stale(
        error, stale_changes(current, REFLECTION_LABELS, form.cleaned_data)
    )
    data = form.data.copy()
    data[form.add_prefix("visibility")] = current.visibility
    form.data = data


@require_POST
@role_required()
def reflection_delete(request, pk):
    reflection = _reflection_for_author(request, pk)
    services.reflection_delete(reflection=reflection, by=request.user)
    messages.success(request, "Your reflection is deleted.")
    return redirect("observations:reflections")


@require_POST
@role_required()
def reflection_reply(request, pk):
    reflection = _reflection_for_reader(request, pk)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.reflection_reply(
                reflection=reflection,
                body=form.cleaned_data["body"],
                by=request.user,
                role=request.membership.role,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Your reply is posted.")
            return redirect("observations:reflection_detail", pk=reflection.pk)
    return render(
        request,
        "observations/reflection_detail.html",
        {
            "reflection": reflection,
            "replies": reflection.replies.select_related("author"),
            "reply_form": form,
            "is_author": reflection.author_id == request.user.pk,
        },
        status=400,
    )


# --- Goals ---------------------------------------------------------------------


@role_required()
def goals(request):
    today = timezone.localdate()
    return render(
        request,
        "observations/goals.html",
        {"goals": selectors.goals_for(user=request.user), "today": today},
    )


@role_required()
def goal_create(request):
    cycles = selectors.cycles_of(user=request.user)
    initial = {
        "follow_up_on": Goal._meta.get_field("follow_up_on").get_default(),
    }
    cycle_id = parse_id(request.GET.get("cycle"))
    if cycle_id is not None:
        initial["cycle"] = cycles.filter(pk=cycle_id).first()
    form = GoalForm(request.POST or None, cycles=cycles, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_create(
                school=request.school, **form.cleaned_data, by=request.user
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Your goal is set. We will ask how it went.")
            return redirect("observations:goals")
    return render(
        request,
        "observations/goal_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def _own_goal(request, pk) -> Goal:
    # Goals are nobody else's business: not even whether one exists.
    return get_object_or_404(
        Goal.objects.select_related("cycle"), pk=pk, owner=request.user
    )


@role_required()
def goal_detail(request, pk):
    goal = _own_goal(request, pk)
    form = GoalCheckInForm(request.POST or None, initial={"version": goal.version})
    stale = False
    if request.method == "POST" and form.is_valid():
        typed = dict(form.cleaned_data)
        seen = typed.pop("version")
        try:
            services.goal_check_in(
                goal=goal, **typed, seen_version=seen, by=request.user
            )
        except StaleEdit as error:
            form.refuse_stale(error, _goal_changes(error.current, typed))
            goal, stale = error.current, True
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Your check-in is saved.")
            return redirect("observations:goal_detail", pk=goal.pk)
    return render(
        request,
        "observations/goal_detail.html",
        {
            "goal": goal,
            "check_ins": goal.check_ins.all(),
            "form": form,
            "today": timezone.localdate(),
        },
        status=409 if stale else 400 if form.errors else 200,
    )


def _goal_changes(current: Goal, typed: dict) -> list[tuple[str, str]]:
    """What a check-in from another tab changed: the follow-up and the check-in."""
    changes = []
    if current.follow_up_on != typed.get("next_follow_up_on"):
        day = current.follow_up_on
        changes.append(
            ("Next follow-up", f"{day:%-d %B %Y}" if day else "none planned")
        )
    latest = current.check_ins.first()
    if latest is not None:
        saved = timezone.localtime(latest.created_at)
        tried = "tried it" if latest.tried else "not tried yet"
        changes.append(("Latest check-in", f"{saved:%-d %B %Y, %H:%M}: {tried}"))
    return changes
