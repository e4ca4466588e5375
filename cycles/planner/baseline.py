"""The plan a careful principal makes by hand: greedy, first slot that works.

Teachers in name order; each visit goes into the first slot (in date order)
where a host teaches, the observer is free or can be covered, and no rule is
broken; the host is the colleague who has hosted least so far. An observer who
teaches then is covered by the first free colleague under the weekly cap,
else by a substitute. The solver is measured against it.
"""

from collections import Counter

from cycles.planner.inputs import Inputs, requirements
from cycles.planner.proposal import PlanVisit


class _State:
    def __init__(self, inputs: Inputs):
        self.inputs = inputs
        self.at = set(inputs.busy)  # (person, slot) taken
        self.day = Counter()  # (person, date) visits
        self.pairs = set()
        self.hosted = Counter()
        self.covers_week = Counter()  # (person, week)
        self.visits = []

    def can(self, observer, host, slot_index) -> bool:
        inputs = self.inputs
        slot = inputs.slots[slot_index]
        if observer == host or (observer, host) in self.pairs:
            return False
        if host not in inputs.teaching[slot_index]:
            return False
        if (observer, slot_index) in self.at or (host, slot_index) in self.at:
            return False
        if observer not in inputs.free[slot_index] and (
            observer not in inputs.teaching[slot_index]
        ):
            return False
        return not (
            inputs.one_visit_a_day
            and (self.day[observer, slot.date] or self.day[host, slot.date])
        )

    def place(self, observer, host, slot_index, locked=False):
        inputs = self.inputs
        slot = inputs.slots[slot_index]
        visit = PlanVisit(observer, host, slot_index, locked=locked)
        if observer in inputs.teaching[slot_index]:
            cap = inputs.cover_cap_week
            for colleague in sorted(
                inputs.free[slot_index], key=lambda p: inputs.names.get(p, "")
            ):
                if colleague in (observer, host) or (colleague, slot_index) in self.at:
                    continue
                if cap is not None and self.covers_week[(colleague, slot.week)] >= cap:
                    continue
                visit.cover = colleague
                self.at.add((colleague, slot_index))
                self.covers_week[(colleague, slot.week)] += 1
                break
            else:
                visit.substitute = True
        self.at |= {(observer, slot_index), (host, slot_index)}
        self.day[(observer, slot.date)] += 1
        self.day[(host, slot.date)] += 1
        self.pairs.add((observer, host))
        self.hosted[host] += 1
        self.visits.append(visit)
        return visit

    def first_fit(self, observer, slots, hosts=None) -> bool:
        hosts_in_order = sorted(
            hosts if hosts is not None else self.inputs.people,
            key=lambda h: (self.hosted[h], self.inputs.names.get(h, "")),
        )
        for slot_index in slots:
            for host in hosts_in_order:
                if self.can(observer, host, slot_index):
                    self.place(observer, host, slot_index)
                    return True
        return False


def baseline_plan(inputs: Inputs) -> list[PlanVisit]:
    """Greedy: every intention in turn, each visit in the first slot that works."""
    return greedy_plan(inputs)


def greedy_plan(inputs: Inputs, *, prefer_free=False) -> list[PlanVisit]:
    """The baseline's greedy; prefer_free tries an observer's planning periods
    before the periods they teach (the solver's warm start, not the baseline)."""
    state = _State(inputs)
    for observer, host, slot_index in inputs.locked:
        state.place(observer, host, slot_index, locked=True)
    need = requirements(inputs)
    people = sorted(inputs.people, key=lambda p: inputs.names.get(p, ""))
    all_slots = range(len(inputs.slots))
    by_week = {}
    for slot in inputs.slots:
        by_week.setdefault(slot.week, []).append(slot.index)

    def ordered(observer, slots):
        if not prefer_free:
            return slots
        return sorted(slots, key=lambda s: observer not in inputs.free[s])

    weekly = set(need["weekly"])
    for observer in people:
        if observer in weekly:
            for week in sorted(inputs.school_weeks):
                done = any(
                    v.observer == observer and inputs.slots[v.slot].week == week
                    for v in state.visits
                )
                if not done:
                    state.first_fit(observer, ordered(observer, by_week.get(week, [])))
        have = sum(1 for v in state.visits if v.observer == observer)
        for _ in range(need["observe"][observer] - have):
            if not state.first_fit(observer, ordered(observer, all_slots)):
                break
    for host in people:
        while state.hosted[host] < need["host"][host]:
            placed = False
            for slot_index in all_slots:
                for observer in people:
                    if prefer_free and observer not in inputs.free[slot_index]:
                        continue
                    if state.can(observer, host, slot_index):
                        state.place(observer, host, slot_index)
                        placed = True
                        break
                if placed:
                    break
            if not placed:
                break
    return state.visits
