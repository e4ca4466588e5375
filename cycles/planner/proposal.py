"""A proposal (the solver's or the baseline's) and the figures shown beside it."""

from collections import Counter, defaultdict
from dataclasses import dataclass

from cycles.planner.inputs import Inputs, requirements
from jel.essa import CRITERIA, LearningFigures

VISIT_MINUTES = 15
# Evidence is written during visits, so "data-driven" cannot be planned.
UNPLANNABLE = {"data_driven"}


def essa_criteria():
    """(key, label, rule) of the ESSA criteria a plan can show: the dashboards'
    own rules (jel.essa, pure functions), so both pages agree."""
    return [(c.key, c.label, c.rule) for c in CRITERIA if c.key not in UNPLANNABLE]


@dataclass
class PlanVisit:
    observer: int
    host: int
    slot: int  # Inputs.slots index
    cover: int | None = None  # a colleague in their planning period
    substitute: bool = False
    locked: bool = False


def essa_met(inputs: Inputs, visits) -> dict:
    """{teacher id: [criteria keys met]} by the term's end with these visits."""
    return essa_of(
        inputs.people, [(v.observer, v.host, inputs.slots[v.slot].date) for v in visits]
    )


def essa_of(people, visits) -> dict:
    """essa_met of (observer, host, date) triples, for the teachers in people:
    the figures the visits alone give (no debriefs or goals counted)."""
    dates, colleagues = defaultdict(list), defaultdict(set)
    observed, hosted = Counter(), Counter()
    for observer, host, date in visits:
        observed[observer] += 1
        hosted[host] += 1
        colleagues[observer].add(host)
        colleagues[host].add(observer)
        dates[observer].append(date)
        dates[host].append(date)
    met = {}
    for pid in people:
        days = dates.get(pid, [])
        figures = LearningFigures(
            cycles_joined=len(days),  # each accepted visit is its own cycle
            weeks_spanned=((max(days) - min(days)).days // 7 + 1) if days else 0,
            visit_minutes=VISIT_MINUTES * len(days),
            colleagues=len(colleagues.get(pid, ())),
            visits_hosted=hosted[pid],
            visits_observed=observed[pid],
        )
        met[pid] = [
            c.key for c in CRITERIA if c.key not in UNPLANNABLE and c.is_met(figures)
        ]
    return met


def shortfalls(inputs: Inputs, visits) -> list[dict]:
    """Each intention not met: who, what, and by how much."""
    need = requirements(inputs)
    observed, hosted, weekly = Counter(), Counter(), set()
    for v in visits:
        observed[v.observer] += 1
        hosted[v.host] += 1
        weekly.add((v.observer, inputs.slots[v.slot].week))
    found = []
    for pid, wanted in need["observe"].items():
        if observed[pid] < wanted:
            found.append(
                {"what": "observe", "who": pid, "short": wanted - observed[pid]}
            )
    for pid, wanted in need["host"].items():
        if hosted[pid] < wanted:
            found.append({"what": "host", "who": pid, "short": wanted - hosted[pid]})
    for pid in need["weekly"]:
        missing = [w for w in sorted(inputs.school_weeks) if (pid, w) not in weekly]
        if missing:
            found.append(
                {"what": "weekly", "who": pid, "short": len(missing), "weeks": missing}
            )
    return found


def figures_of(inputs: Inputs, visits, *, seconds=None) -> dict:
    """What the proposal page shows: visits, coverage, substitutes, ESSA."""
    met = essa_met(inputs, visits)
    covers = Counter(v.cover for v in visits if v.cover is not None)
    essa = {
        key: sum(1 for found in met.values() if key in found)
        for key, _label, _rule in essa_criteria()
    }
    return {
        "visits": len(visits),
        "coverage_periods": sum(1 for v in visits if v.cover is not None),
        "substitutes": sum(1 for v in visits if v.substitute),
        "most_covers_by_one": max(covers.values(), default=0),
        "teachers": len(inputs.people),
        "essa": essa,
        "shortfalls": shortfalls(inputs, visits),
        "seconds": round(seconds, 2) if seconds is not None else None,
    }
