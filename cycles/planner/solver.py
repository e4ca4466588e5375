"""The term plan as a CP-SAT model (OR-Tools): which visits, when, and who covers.

A visit is a boolean for (observer, host, slot) among candidates: the host
teaches in the slot, the observer is free (a planning period) or teaches and is
covered, by a colleague free then or by a substitute. Hard rules: nobody is in
two places in one slot; no pair twice; at most one visit a day per teacher
(unless allowed); the weekly cover cap; locked visits stay. The intentions are
soft, each shortfall costing more than any substitute, so an intention that
cannot be met still gives the best partial plan (explain.py says why).

The objective, most important first: intentions met, substitutes, coverage
periods, the most covers asked of one colleague (fairness), then pairing
preferences (new with experienced, cross-content: cycles.rules.pair_score).
The baseline's plan is a candidate and the hint, so the answer is never worse.
"""

import time
import zlib
from collections import defaultdict

from ortools.sat.python import cp_model

from cycles.planner.baseline import greedy_plan
from cycles.planner.inputs import Inputs, pair_score, requirements
from cycles.planner.proposal import PlanVisit, figures_of

SHORTFALL = 100_000_000
SUBSTITUTE = 100_000
COVERAGE = 100
FAIRNESS = 10
VISIT = 20  # each visit costs 20 less its pairing score (-5..13): never free
TIME_LIMIT = 15.0
# Candidate limits: a small school's model is exact; a large one keeps the
# best-paired hosts per free slot and a few covered slots per observer.
EXACT_UP_TO = 30
FREE_SLOTS_PER_WEEK = 3
HOSTS_PER_FREE_SLOT = 3
COVERED_SLOTS_PER_WEEK = 1
HOSTS_PER_COVERED_SLOT = 2
COVERERS_PER_SLOT = 4


def _spread(*parts) -> int:
    """A fixed tie-break that spreads choices (hosts, coverers) evenly."""
    return zlib.crc32(repr(parts).encode())


def _candidates(inputs: Inputs, extra, scores) -> dict:
    """{(observer, host, slot): None} of the visits the model may choose."""
    people = inputs.people
    exact = len(people) <= EXACT_UP_TO
    found = dict.fromkeys((v[0], v[1], v[2]) for v in extra)
    for observer in people:
        free_week = defaultdict(int)
        covered_week = defaultdict(int)
        slots = inputs.slots
        if not exact:
            slots = sorted(slots, key=lambda slot: _spread(observer, slot.index))
        for slot in slots:
            s = slot.index
            if (observer, s) in inputs.busy:
                continue
            free = observer in inputs.free[s]
            if not free and observer not in inputs.teaching[s]:
                continue
            hosts = [h for h in inputs.teaching[s] if h in people and h != observer]
            if not hosts:
                continue
            if not exact:
                counts = free_week if free else covered_week
                most = FREE_SLOTS_PER_WEEK if free else COVERED_SLOTS_PER_WEEK
                if counts[slot.week] >= most:
                    continue
                counts[slot.week] += 1
                keep = HOSTS_PER_FREE_SLOT if free else HOSTS_PER_COVERED_SLOT
                hosts.sort(
                    key=lambda h: (-scores[(observer, h)], _spread(observer, h, s))
                )
                hosts = hosts[:keep]
            for host in hosts:
                found[(observer, host, s)] = None
    return found


def _rank(inputs, plan) -> tuple:
    """How a plan compares, most important first: shortfall, substitutes, cover."""
    figures = figures_of(inputs, plan)
    short = sum(s["short"] for s in figures["shortfalls"])
    return (short, figures["substitutes"], figures["coverage_periods"])


class _Progress(cp_model.CpSolverSolutionCallback):
    def __init__(self, report, limit):
        super().__init__()
        self.report, self.limit, self.last = report, limit, 0.0

    def on_solution_callback(self):
        now = self.wall_time
        if self.report is not None and now - self.last >= 1.0:
            self.last = now
            self.report(min(99, 10 + int(89 * now / self.limit)))


def solve(inputs: Inputs, *, hint=(), time_limit=TIME_LIMIT, progress=None):
    """(visits, status name, seconds): the best plan found within time_limit."""
    began = time.monotonic()
    model = cp_model.CpModel()
    # Two warm starts, both candidates: the baseline (so the answer is never
    # worse) and the same greedy trying planning periods first; the better
    # one is the hint.
    warm = greedy_plan(inputs, prefer_free=True)
    hint = min([list(hint), warm], key=lambda plan: _rank(inputs, plan))
    extra = [(v.observer, v.host, v.slot) for v in [*hint, *warm]]
    locked = {(o, h, s) for o, h, s in inputs.locked}
    scores = {
        (a, b): pair_score(inputs, a, b)
        for a in inputs.people
        for b in inputs.people
        if a != b
    }
    candidates = _candidates(inputs, extra + list(locked), scores)
    x = {key: model.new_bool_var(f"v{i}") for i, key in enumerate(candidates)}
    at = defaultdict(list)  # (person, slot) -> vars putting them there
    day = defaultdict(list)  # (person, date) -> visit vars
    pair = defaultdict(list)
    observes = defaultdict(list)
    hosts = defaultdict(list)
    weekly = defaultdict(list)
    covers_of = defaultdict(list)  # colleague -> cover vars
    covers_week = defaultdict(list)
    cover_vars, sub_vars = {}, {}
    costs = []
    exact = len(inputs.people) <= EXACT_UP_TO
    hinted = {(v.observer, v.host, v.slot): v for v in hint}
    for key, var in x.items():
        observer, host, s = key
        slot = inputs.slots[s]
        at[(observer, s)].append(var)
        at[(host, s)].append(var)
        day[(observer, slot.date)].append(var)
        day[(host, slot.date)].append(var)
        pair[(observer, host)].append(var)
        observes[observer].append(var)
        hosts[host].append(var)
        weekly[(observer, slot.week)].append(var)
        costs.append((VISIT - scores.get((observer, host), 0), var))
        if key in locked:
            model.add(var == 1)
        if observer in inputs.teaching[s]:
            colleagues = [
                c
                for c in inputs.free[s]
                if c not in (observer, host) and (c, s) not in inputs.busy
            ]
            if not exact:
                colleagues.sort(key=lambda c: _spread(c, s, observer))
                colleagues = colleagues[:COVERERS_PER_SLOT]
                wanted = getattr(hinted.get(key), "cover", None)
                if wanted is not None and wanted not in colleagues:
                    colleagues.append(wanted)  # the hint stays a solution
            chosen = []
            for c in colleagues:
                cv = model.new_bool_var("")
                cover_vars[(key, c)] = cv
                chosen.append(cv)
                at[(c, s)].append(cv)
                covers_of[c].append(cv)
                covers_week[(c, slot.week)].append(cv)
                costs.append((COVERAGE, cv))
            sub = model.new_bool_var("")
            sub_vars[key] = sub
            costs.append((SUBSTITUTE, sub))
            model.add(sum(chosen) + sub == var)
    for vars_ in at.values():
        if len(vars_) > 1:
            model.add_at_most_one(vars_)
    if inputs.one_visit_a_day:
        for vars_ in day.values():
            if len(vars_) > 1:
                model.add_at_most_one(vars_)
    for vars_ in pair.values():
        if len(vars_) > 1:
            model.add_at_most_one(vars_)
    if inputs.cover_cap_week is not None:
        for vars_ in covers_week.values():
            model.add(sum(vars_) <= inputs.cover_cap_week)
    if covers_of:
        most = model.new_int_var(0, len(inputs.slots), "most_covers")
        for vars_ in covers_of.values():
            model.add(sum(vars_) <= most)
        costs.append((FAIRNESS, most))
    need = requirements(inputs)
    for pid, wanted in need["observe"].items():
        if wanted:
            short = model.new_int_var(0, wanted, "")
            model.add(sum(observes[pid]) + short >= wanted)
            costs.append((SHORTFALL, short))
    for pid, wanted in need["host"].items():
        if wanted:
            short = model.new_int_var(0, wanted, "")
            model.add(sum(hosts[pid]) + short >= wanted)
            costs.append((SHORTFALL, short))
    for pid in need["weekly"]:
        for week in sorted(inputs.school_weeks):
            short = model.new_bool_var("")
            model.add(sum(weekly[(pid, week)]) + short >= 1)
            costs.append((SHORTFALL, short))
    model.minimize(sum(weight * var for weight, var in costs))
    for key, var in x.items():
        v = hinted.get(key)
        model.add_hint(var, 1 if v is not None else 0)
        if key in sub_vars:
            model.add_hint(sub_vars[key], 1 if v is not None and v.substitute else 0)
    for (key, c), cv in cover_vars.items():
        v = hinted.get(key)
        model.add_hint(cv, 1 if v is not None and v.cover == c else 0)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = 2
    solver.parameters.random_seed = 1
    status = solver.solve(model, _Progress(progress, time_limit))
    seconds = time.monotonic() - began
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, solver.status_name(status), seconds
    visits = []
    for key, var in x.items():
        if not solver.value(var):
            continue
        observer, host, s = key
        visit = PlanVisit(observer, host, s, locked=key in locked)
        if key in sub_vars and solver.value(sub_vars[key]):
            visit.substitute = True
        visits.append(visit)
    by_key = {(v.observer, v.host, v.slot): v for v in visits}
    for (key, c), cv in cover_vars.items():
        if key in by_key and solver.value(cv):
            by_key[key].cover = c
    visits.sort(key=lambda v: (v.slot, v.observer))
    return visits, solver.status_name(status), seconds
