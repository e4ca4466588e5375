"""Every rule a cycle's plan must meet, driven by its type's spec (cycles.kinds).

Each rule is one small function that reads the spec and returns field errors
(field -> message). `plan_errors` holds even for a draft; `schedule_errors`
decides whether a cycle may be scheduled. When two rules name the same field,
the later one's message is the one shown (as the list order says).
"""

import datetime as dt
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from cycles import selectors
from cycles.kinds import KindSpec, spec_for
from cycles.models import Cycle, CycleParticipant

PartRole = CycleParticipant.Role
HostResponse = CycleParticipant.HostResponse

Errors = dict[str, str]


def _names(users) -> str:
    return ", ".join(sorted(u.full_name or u.email for u in users))


# --- Limits the models state (lengths, ranges, dates) -------------------------


def limit_errors(model, values: dict) -> Errors:
    """Each value against its model field's own limits (length, range, date).

    The forms state the same limits (cycles.forms), so this only speaks when a
    caller skipped a form (the API, a script): nothing too long reaches the
    database, whatever the way in.
    """
    fields_by_name = {f.name: f for f in model._meta.concrete_fields}
    errors: Errors = {}
    for name, value in values.items():
        field = fields_by_name.get(name)
        if field is None or field.is_relation or value in (None, ""):
            continue
        try:
            field.run_validators(value)
            too_long = isinstance(field, models.CharField) and field.max_length
            if too_long and len(str(value)) > field.max_length:
                raise ValidationError(f"Keep this to {field.max_length:,} characters.")
        except ValidationError as error:
            errors[name] = " ".join(error.messages)
    return errors


# --- Visit minutes --------------------------------------------------------------


def minutes_errors(kind, minutes: int) -> Errors:
    """Visits last as long as the cycle's type allows."""
    allowed = spec_for(kind).minutes
    if allowed.allows(minutes):
        return {}
    return {"minutes": allowed.message}


def visit_errors(*, kind, host, observers, minutes: int) -> Errors:
    """Rules of one visit: its minutes, and nobody observes their own room."""
    errors = minutes_errors(kind, minutes)
    if host.pk in {o.pk for o in observers}:
        errors["observers"] = "A host cannot observe their own classroom."
    return errors


# --- Rules that hold even for a draft ---------------------------------------------


@dataclass(frozen=True)
class Draft:
    """A plan as the planner gives it, before (or instead of) the saved cycle."""

    school: object
    spec: KindSpec
    fields: dict
    hosts: list
    observers: list
    look_fors: list


def _draft_title(d: Draft) -> Errors:
    if not (d.fields.get("title") or "").strip():
        return {"title": "Give the cycle a name people will recognise."}
    return {}


def _draft_problem_required(d: Draft) -> Errors:
    if d.spec.problem.required and d.fields.get("problem_of_practice") is None:
        return {"problem_of_practice": d.spec.problem.required_message}
    return {}


def _draft_look_for_count(d: Draft) -> Errors:
    wanted = d.spec.look_fors.exactly
    if wanted is not None and len(d.look_fors) != wanted:
        return {"look_fors": d.spec.look_fors.draft_message}
    return {}


def _draft_most_hosts(d: Draft) -> Errors:
    most = d.spec.hosts.most
    if most is not None and len(d.hosts) > most:
        return {"hosts": d.spec.hosts.most_message}
    return {}


def _draft_initiative(d: Draft) -> Errors:
    if d.spec.needs_initiative and not (d.fields.get("initiative") or "").strip():
        return {"initiative": d.spec.initiative_message}
    return {}


def _draft_group_size(d: Draft) -> Errors:
    size = d.fields.get("group_size")
    if d.spec.groups and size is not None and size < 2:
        return {"group_size": "A group needs at least two people."}
    return {}


def _draft_host_not_observer(d: Draft) -> Errors:
    both = {u.pk for u in d.hosts} & {u.pk for u in d.observers}
    if both and not d.spec.hosts.also_observe:
        return {"observers": "A host cannot observe their own classroom."}
    return {}


def _draft_dates(d: Draft) -> Errors:
    starts_on, ends_on = d.fields.get("starts_on"), d.fields.get("ends_on")
    if starts_on and ends_on and ends_on < starts_on:
        return {"ends_on": "The cycle cannot end before it starts."}
    return {}


def _draft_archived_look_fors(d: Draft) -> Errors:
    errors = {}
    for look_for in d.look_fors:
        if look_for.is_archived:
            errors["look_fors"] = f"“{look_for}” is archived."
    return errors


def _draft_limits(d: Draft) -> Errors:
    return limit_errors(Cycle, d.fields)


def _draft_problem_school(d: Draft) -> Errors:
    problem = d.fields.get("problem_of_practice")
    if problem is not None and problem.school_id != d.school.pk:
        return {"problem_of_practice": "That problem of practice is not here."}
    return {}


DRAFT_RULES = (
    _draft_title,
    _draft_problem_required,
    _draft_look_for_count,
    _draft_most_hosts,
    _draft_initiative,
    _draft_group_size,
    _draft_host_not_observer,
    _draft_dates,
    _draft_archived_look_fors,
    _draft_problem_school,
    _draft_limits,
)


def plan_errors(*, school, kind, fields, hosts, observers, look_fors) -> Errors:
    """Rules that hold for a cycle of this kind even as a draft."""
    draft = Draft(
        school=school,
        spec=spec_for(kind),
        fields=fields,
        hosts=list(hosts),
        observers=list(observers),
        look_fors=list(look_fors),
    )
    errors: Errors = {}
    for rule in DRAFT_RULES:
        errors.update(rule(draft))
    return errors


# --- Rules to be scheduled ------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """A saved cycle with what its scheduling rules read, loaded once."""

    cycle: Cycle
    spec: KindSpec
    hosts: list
    host_parts: list
    observers: list
    visits: list


def _facilitator(p: Plan) -> Errors:
    if p.cycle.facilitator_id is None:
        return {"facilitator": "Name who facilitates the cycle and its debrief."}
    return {}


def _some_visit(p: Plan) -> Errors:
    if not p.visits:
        return {"visit_date": "Plan at least one visit: pick a date and a time."}
    return {}


def _problem(p: Plan) -> Errors:
    rule = p.spec.problem
    problem = p.cycle.problem_of_practice
    if rule.required and problem is None:
        return {"problem_of_practice": rule.required_message}
    if rule.must_pass_checks and problem is not None and not problem.passes_all_checks:
        return {
            "problem_of_practice": "The problem of practice must pass all five "
            "quality checks before rounds are scheduled. Still unchecked: "
            + "; ".join(problem.unchecked())
            + "."
        }
    return {}


def _host_count(p: Plan) -> Errors:
    rule = p.spec.hosts
    too_many = rule.exact_at_schedule and rule.most is not None
    if len(p.hosts) < rule.fewest or (too_many and len(p.hosts) > rule.most):
        return {"hosts": rule.fewest_message}
    return {}


def _one_day(p: Plan) -> Errors:
    if p.spec.one_day and len({v.date for v in p.visits}) > 1:
        return {"visit_date": "Rounds visit all classrooms in one block (one day)."}
    return {}


def _observers_chosen(p: Plan) -> Errors:
    if p.spec.observers.required and not p.observers:
        return {"observers": "Choose who observes."}
    return {}


def _hosts_opted_in(p: Plan) -> Errors:
    if not p.spec.hosts.opt_in or not p.hosts:
        return {}
    declined = [
        part.user
        for part in p.host_parts
        if part.host_response == HostResponse.DECLINED
    ]
    not_yet = [
        part.user
        for part in p.host_parts
        if part.host_response != HostResponse.ACCEPTED
    ]
    if declined:
        return {
            "hosts": f"{_names(declined)} declined to host; choose another volunteer."
        }
    if not_yet:
        return {
            "hosts": f"{_names(not_yet)} has not agreed to host yet; hosting a lab "
            "is opt-in."
        }
    return {}


def _prebrief(p: Plan) -> Errors:
    if not p.spec.prebrief:
        return {}
    errors = {}
    cycle = p.cycle
    first = min((v.starts_at for v in p.visits if v.starts_at), default=None)
    if cycle.prebrief_at and first and cycle.prebrief_at >= first:
        errors["prebrief_at"] = "The pre-brief comes before the lesson."
    if not cycle.prebrief_goal.strip():
        errors["prebrief_goal"] = p.spec.prebrief_goal_message
    return errors


def _yearly_cap(p: Plan) -> Errors:
    if not p.spec.hosts.yearly_cap:
        return {}
    over = selectors.swap_cap_breaches(cycle=p.cycle, users=p.hosts)
    if not over:
        return {}
    cap = selectors.cycle_settings_of(
        school=p.cycle.school
    ).swap_days_cap_per_teacher_per_year
    return {
        "hosts": f"This would exceed the school's cap of {cap} swap days per teacher "
        f"this year for: {_names(over)}."
    }


def _look_for_count(p: Plan) -> Errors:
    wanted = p.spec.look_fors.exactly
    if wanted is not None and p.cycle.look_for_links.count() != wanted:
        return {"look_fors": p.spec.look_fors.schedule_message}
    return {}


def _observers_in_planning_period(p: Plan) -> Errors:
    if not p.spec.observers.in_planning_period:
        return {}
    busy = _observers_teaching(p.cycle, p.visits)
    if busy:
        return {
            "observers": f"{_names(busy)} teaches then: a micro-observation "
            "happens in the observer's planning period."
        }
    return {}


def _observers_teaching(cycle, visits) -> list:
    busy = []
    for visit in visits:
        if visit.starts_at is None:
            continue
        start = timezone.localtime(visit.starts_at, cycle.school.tz).time()
        end = (
            dt.datetime.combine(visit.date, start) + timedelta(minutes=visit.minutes)
        ).time()
        for observer in visit.observers.all():
            if selectors.teaching_during(
                user=observer, day=visit.date, start=start, end=end, school=cycle.school
            ):
                busy.append(observer)
    return busy


def _initiative(p: Plan) -> Errors:
    if p.spec.needs_initiative and not p.cycle.initiative.strip():
        return {"initiative": p.spec.schedule_initiative_message}
    return {}


def _groups(p: Plan) -> Errors:
    if p.spec.groups and not p.cycle.group_size:
        return {"group_size": "Choose a group size so the walkers can be grouped."}
    return {}


def _visit_minutes(p: Plan) -> Errors:
    errors = {}
    for visit in p.visits:
        errors.update(minutes_errors(p.spec.kind, visit.minutes))
    return errors


SCHEDULE_RULES = (
    _facilitator,
    _some_visit,
    _problem,
    _host_count,
    _one_day,
    _observers_chosen,
    _hosts_opted_in,
    _prebrief,
    _yearly_cap,
    _look_for_count,
    _observers_in_planning_period,
    _initiative,
    _groups,
    _visit_minutes,
)


def schedule_errors(cycle: Cycle) -> Errors:
    """Everything that stops this cycle from being scheduled, by form field."""
    parts = list(cycle.memberships.all())
    plan = Plan(
        cycle=cycle,
        spec=spec_for(cycle.kind),
        hosts=cycle.people(PartRole.HOST),
        host_parts=[part for part in parts if part.role == PartRole.HOST],
        observers=cycle.people(PartRole.OBSERVER),
        visits=list(cycle.visits.all()),
    )
    errors: Errors = {}
    for rule in SCHEDULE_RULES:
        errors.update(rule(plan))
    return errors
