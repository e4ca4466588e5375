"""Why an intention is not met: the constraint that blocks it, and by how much.

Each shortfall of a plan (cycles.planner.proposal.shortfalls) is traced back to
the schedule: no window that week, no colleague teaching while the teacher
could observe, one visit a day over too few days, or no slot at all. Visits
that need a substitute are explained per department and day type ("Science
has 2 planning periods on B days: 3 teachers cannot observe without a
substitute"). Messages group teachers, so a big school reads a few lines.
"""

from collections import defaultdict

from cycles.planner.inputs import Inputs, requirements
from cycles.planner.proposal import shortfalls


def _plural(n, one, many=None):
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _observe_reason(inputs: Inputs, pid, wanted):
    usable = [
        s.index
        for s in inputs.slots
        if (pid, s.index) not in inputs.busy
        and (pid in inputs.free[s.index] or pid in inputs.teaching[s.index])
    ]
    hosts = {
        h for s in usable for h in inputs.teaching[s] if h in inputs.people and h != pid
    }
    days = {inputs.slots[s].date for s in usable}
    if not usable:
        return "no_slot", "has no period inside the observation windows"
    if len(hosts) < wanted:
        return (
            "too_few_hosts",
            f"can see only {_plural(len(hosts), 'colleague')} teach (no pair twice)",
        )
    if inputs.one_visit_a_day and len(days) < wanted:
        return (
            "one_a_day",
            f"is free on only {_plural(len(days), 'day')} of the windows "
            "(one visit a day)",
        )
    return "crowded", "loses the slots it could use to other visits and cover"


def _host_reason(inputs: Inputs, pid):
    teaching = [s for s in inputs.slots if pid in inputs.teaching[s.index]]
    if not teaching:
        return "no_class", "teaches no class inside the observation windows"
    return "no_observer", "teaches only when no colleague can come"


def explain(inputs: Inputs, visits) -> list[dict]:
    """[{constraint, message, short}] for every intention the plan does not meet."""
    need = requirements(inputs)
    grouped = defaultdict(list)
    for found in shortfalls(inputs, visits):
        pid = found["who"]
        if found["what"] == "observe":
            code, why = _observe_reason(inputs, pid, need["observe"][pid])
        elif found["what"] == "host":
            code, why = _host_reason(inputs, pid)
        else:
            empty = [
                w for w in found["weeks"] if not any(s.week == w for s in inputs.slots)
            ]
            if empty:
                code = "no_window_week"
                why = "has no observation window in the week of " + ", ".join(
                    f"{inputs.week_starts[w]:%-d %b}" for w in empty
                )
            else:
                code, why = "weekly_crowded", "has no free slot left in some weeks"
        grouped[(found["what"], code, why)].append(found)
    messages = []
    what_said = {
        "observe": "observe {n} colleagues",
        "host": "host {n} times",
        "weekly": "make a micro-observation every week",
    }
    for (what, code, why), found in grouped.items():
        names = sorted(inputs.names.get(f["who"], str(f["who"])) for f in found)
        short = sum(f["short"] for f in found)
        wanted = need["observe" if what == "observe" else "host"]
        n = wanted.get(found[0]["who"], 0) if what != "weekly" else 0
        shown = ", ".join(names[:5]) + (
            f" and {len(names) - 5} more" if len(names) > 5 else ""
        )
        messages.append(
            {
                "constraint": code,
                "intention": what,
                "short": short,
                "message": f"{shown}: cannot {what_said[what].format(n=n)}; "
                f"{'each ' if len(names) > 1 else ''}{why}. "
                f"Short by {_plural(short, 'visit')}.",
            }
        )
    messages.extend(_substitute_notes(inputs, visits))
    return messages


def _substitute_notes(inputs: Inputs, visits) -> list[dict]:
    """Per department and day type: why its observers need substitutes."""
    groups = defaultdict(set)
    for v in visits:
        if v.substitute:
            teacher = inputs.people.get(v.observer)
            dept = (teacher.department if teacher else "") or "No department"
            groups[(dept, inputs.slots[v.slot].day_type)].add(v.observer)
    notes = []
    for (dept, day_type), observers in sorted(groups.items()):
        members = [
            pid
            for pid, t in inputs.people.items()
            if (t.department or "No department") == dept
        ]
        planning = {
            s.number
            for s in inputs.slots
            if s.day_type == day_type
            and any(m in inputs.free[s.index] for m in members)
        }
        cap = inputs.cover_cap_week
        tail = (
            f"no colleague is free to cover under the cap of {cap} covers a week"
            if cap is not None
            else "no colleague is free to cover then"
        )
        notes.append(
            {
                "constraint": "substitute",
                "intention": "cover",
                "short": len(observers),
                "message": f"{dept} has {_plural(len(planning), 'planning period')} "
                f"on {day_type} days inside the windows: "
                f"{_plural(len(observers), 'teacher')} cannot observe without a "
                f"substitute ({tail}).",
            }
        )
    return notes
