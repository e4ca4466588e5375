"""The pure rules of the cycle types: no database, so each is easy to test alone.

Services and selectors gather the people and history, then ask these functions
to rank, pair or group them.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from jel.models import NEW_TEACHER_YEARS

# The statuses a cycle may move to from each status. Cancelling is only possible
# before the visits start: once colleagues have been in classrooms, the cycle is
# debriefed and closed rather than erased.
TRANSITIONS = {
    "draft": ("scheduled", "cancelled"),
    "scheduled": ("in_progress", "cancelled"),
    "in_progress": ("debriefed",),
    "debriefed": ("closed",),
    "closed": (),
    "cancelled": (),
}


def can_move(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(from_status, ())


@dataclass(frozen=True)
class Teacher:
    """What the planning rules need to know about one teacher."""

    id: int
    name: str
    years: int = 0
    department: str = ""
    grade: int | None = None

    @property
    def is_new(self) -> bool:
        return self.years < NEW_TEACHER_YEARS


def rank_hosts(
    candidates: Iterable[Teacher], hosted_counts: dict[int, int]
) -> list[tuple[Teacher, int]]:
    """Teachers who have hosted least come first (then by name), with their count."""
    ranked = [(t, hosted_counts.get(t.id, 0)) for t in candidates]
    ranked.sort(key=lambda pair: (pair[1], pair[0].name))
    return ranked


def pair_score(a: Teacher, b: Teacher, previous_pairs: set[frozenset]) -> int:
    """How good a swap pair is: new with experienced first, then cross-content."""
    score = 0
    if a.is_new != b.is_new:
        score += 10
    elif a.is_new and b.is_new:
        score -= 5  # two new teachers learn less from each other
    if a.department and b.department and a.department != b.department:
        score += 3
    if frozenset((a.id, b.id)) in previous_pairs:
        score -= 100
    return score


def suggest_pairs(
    teachers: Sequence[Teacher], previous_pairs: set[frozenset] = frozenset()
) -> tuple[list[tuple[Teacher, Teacher]], list[Teacher]]:
    """Pair teachers for a swap day; returns (pairs, left over).

    Greedy on the best pair first: small teams (a grade level, a department)
    make an exact matching unnecessary, and greedy keeps the reasons readable.
    """
    candidates = []
    for i, a in enumerate(teachers):
        for b in teachers[i + 1 :]:
            candidates.append((pair_score(a, b, previous_pairs), a.name, b.name, a, b))
    candidates.sort(key=lambda item: (-item[0], item[1], item[2]))
    taken: set[int] = set()
    pairs = []
    for _score, _an, _bn, a, b in candidates:
        if a.id in taken or b.id in taken:
            continue
        taken.update((a.id, b.id))
        # The experienced teacher hosts first, so the new teacher sees a model.
        pairs.append((a, b) if a.years >= b.years else (b, a))
    left = [t for t in teachers if t.id not in taken]
    return pairs, left


def form_mixed_groups(
    teachers: Sequence[Teacher], size: int, by: str = "grade"
) -> list[list[Teacher]]:
    """Split teachers into groups of about `size`, mixing grades or departments.

    Sorting by the key and dealing round-robin spreads each grade (or
    department) across the groups as evenly as possible.
    """
    if size < 1:
        raise ValueError("A group needs at least one person.")
    if not teachers:
        return []
    count = max(1, math.ceil(len(teachers) / size))

    def key(t: Teacher):
        value = t.grade if by == "grade" else t.department
        return (str(value if value is not None else ""), t.name)

    groups: list[list[Teacher]] = [[] for _ in range(count)]
    for index, teacher in enumerate(sorted(teachers, key=key)):
        groups[index % count].append(teacher)
    return groups


def over_cap(counts: dict[int, int], cap: int | None, adding: int = 1) -> list[int]:
    """Ids of teachers who would exceed the swap-day cap by taking part once more."""
    if cap is None:
        return []
    return [tid for tid, count in counts.items() if count + adding > cap]
