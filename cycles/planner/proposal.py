"""A proposal (the solver's or the baseline's) and the figures shown beside it."""

from collections import Counter
from dataclasses import dataclass

from cycles.planner.inputs import Inputs, requirements

# ESSA's definition of professional development (Section 8101(42)), as far as
# a term of visits can show it for one teacher.
ESSA_CRITERIA = (
    ("job_embedded", "Job-embedded", "in a colleague's classroom at least once"),
    ("collaborative", "Collaborative", "both observes and hosts"),
    ("sustained", "Sustained", "visits in at least 3 different weeks"),
    ("intensive", "Intensive", "at least 4 visits over the term"),
)


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
        inputs.people, [(v.observer, v.host, inputs.slots[v.slot].week) for v in visits]
    )


def essa_of(people, visits) -> dict:
    """essa_met of (observer, host, week) triples, for the teachers in people."""
    observed, hosted, weeks, count = Counter(), Counter(), {}, Counter()
    for observer, host, week in visits:
        observed[observer] += 1
        hosted[host] += 1
        for person in (observer, host):
            weeks.setdefault(person, set()).add(week)
            count[person] += 1
    met = {}
    for pid in people:
        found = []
        if observed[pid]:
            found.append("job_embedded")
        if observed[pid] and hosted[pid]:
            found.append("collaborative")
        if len(weeks.get(pid, ())) >= 3:
            found.append("sustained")
        if count[pid] >= 4:
            found.append("intensive")
        met[pid] = found
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
        missing = [w for w in range(inputs.weeks) if (pid, w) not in weekly]
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
        for key, _label, _means in ESSA_CRITERIA
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
