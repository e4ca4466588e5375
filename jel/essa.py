"""The ESSA criteria of high-quality professional learning, as rules on figures.

ESSA (section 8101(42)) calls professional learning high-quality when it is
sustained, intensive, collaborative, job-embedded, data-driven and
classroom-focused. The law gives no numbers; these thresholds are JEL's reading
of it, shown on the page next to each result so a school can see exactly why a
criterion is met or not. Pure functions: no database, easy to test alone.
"""

from collections.abc import Callable
from dataclasses import dataclass

# A debrief has no length of its own; a PLC slot is usually 30-45 minutes, and we
# count the shorter so hours are never overstated.
DEBRIEF_MINUTES = 30

SUSTAINED_MIN_CYCLES = 2
SUSTAINED_MIN_WEEKS = 6
INTENSIVE_MIN_HOURS = 3
COLLABORATIVE_MIN_COLLEAGUES = 3
JOB_EMBEDDED_MIN_VISITS = 2
DATA_DRIVEN_MIN_EVIDENCE = 5
CLASSROOM_FOCUSED_MIN_VISITS = 3
# A school meets a criterion when at least this share of its teachers do.
SCHOOL_MIN_SHARE = 50


@dataclass(frozen=True)
class LearningFigures:
    """What one teacher (or a whole school, summed) actually did in a period."""

    cycles_joined: int = 0
    weeks_spanned: int = 0
    visit_minutes: int = 0
    debriefs_attended: int = 0
    colleagues: int = 0
    evidence_entries: int = 0
    visits_hosted: int = 0
    visits_observed: int = 0
    goals_set: int = 0

    @property
    def classroom_visits(self) -> int:
        return self.visits_hosted + self.visits_observed

    @property
    def learning_minutes(self) -> int:
        return self.visit_minutes + self.debriefs_attended * DEBRIEF_MINUTES

    @property
    def hours(self) -> float:
        # Tenths of an hour, rounded half up (15 minutes is 0.3 hours, not 0.2).
        return (self.learning_minutes + 3) // 6 / 10


def counted(number, word: str) -> str:
    """'1 cycle', '2 cycles': figures read as sentences."""
    return f"{number:g} {word}" if number == 1 else f"{number:g} {word}s"


@dataclass(frozen=True)
class Criterion:
    key: str
    label: str
    rule: str
    is_met: Callable[[LearningFigures], bool]
    figures: Callable[[LearningFigures], str]


CRITERIA = [
    Criterion(
        "sustained",
        "Sustained",
        f"At least {SUSTAINED_MIN_CYCLES} cycles joined, spread over at least "
        f"{SUSTAINED_MIN_WEEKS} weeks (not a one-day event).",
        lambda f: (
            f.cycles_joined >= SUSTAINED_MIN_CYCLES
            and f.weeks_spanned >= SUSTAINED_MIN_WEEKS
        ),
        lambda f: (
            f"{counted(f.cycles_joined, 'cycle')} joined over "
            f"{counted(f.weeks_spanned, 'week')}"
        ),
    ),
    Criterion(
        "intensive",
        "Intensive",
        f"At least {INTENSIVE_MIN_HOURS} hours in classroom visits and debriefs "
        f"(visits at their planned minutes, a debrief as {DEBRIEF_MINUTES} minutes).",
        lambda f: f.learning_minutes >= INTENSIVE_MIN_HOURS * 60,
        lambda f: (
            f"{counted(f.hours, 'hour')} ({counted(f.visit_minutes, 'visit minute')}, "
            f"{counted(f.debriefs_attended, 'debrief')})"
        ),
    ),
    Criterion(
        "collaborative",
        "Collaborative",
        f"Learned alongside at least {COLLABORATIVE_MIN_COLLEAGUES} colleagues "
        "(hosts visited, fellow observers, visitors to their own room).",
        lambda f: f.colleagues >= COLLABORATIVE_MIN_COLLEAGUES,
        lambda f: counted(f.colleagues, "colleague"),
    ),
    Criterion(
        "job_embedded",
        "Job-embedded",
        f"At least {JOB_EMBEDDED_MIN_VISITS} visits during the school day in their "
        "own school, tied to their own classroom by hosting or by a goal.",
        lambda f: (
            f.classroom_visits >= JOB_EMBEDDED_MIN_VISITS
            and (f.visits_hosted >= 1 or f.goals_set >= 1)
        ),
        lambda f: (
            f"{f.classroom_visits} visits in school, {f.visits_hosted} "
            f"hosted, {f.goals_set} goals set"
        ),
    ),
    Criterion(
        "data_driven",
        "Data-driven",
        f"At least {DATA_DRIVEN_MIN_EVIDENCE} evidence entries about what students "
        "did, said or thought, recorded by them.",
        lambda f: f.evidence_entries >= DATA_DRIVEN_MIN_EVIDENCE,
        lambda f: (
            f"{f.evidence_entries} evidence "
            + ("entry" if f.evidence_entries == 1 else "entries")
        ),
    ),
    Criterion(
        "classroom_focused",
        "Classroom-focused",
        f"At least {CLASSROOM_FOCUSED_MIN_VISITS} classroom visits, hosted or "
        "observed.",
        lambda f: f.classroom_visits >= CLASSROOM_FOCUSED_MIN_VISITS,
        lambda f: (
            f"{f.classroom_visits} classroom visits "
            f"({f.visits_hosted} hosted, {f.visits_observed} observed)"
        ),
    ),
]


def teacher_results(figures: LearningFigures) -> list[dict]:
    """Each criterion for one teacher: met or not, the figures, the rule."""
    return [
        {
            "key": c.key,
            "label": c.label,
            "met": c.is_met(figures),
            "figures": c.figures(figures),
            "rule": c.rule,
        }
        for c in CRITERIA
    ]


def school_results(per_teacher: list[LearningFigures]) -> list[dict]:
    """Each criterion for a school: met when enough of its teachers meet it."""
    total = len(per_teacher)
    results = []
    for c in CRITERIA:
        meeting = sum(1 for figures in per_teacher if c.is_met(figures))
        share = round(100 * meeting / total) if total else 0
        results.append(
            {
                "key": c.key,
                "label": c.label,
                "met": total > 0 and share >= SCHOOL_MIN_SHARE,
                "figures": f"{meeting} of {total} teachers ({share}%)",
                "meeting": meeting,
                "teachers": total,
                "share": share,
                "rule": f"At least {SCHOOL_MIN_SHARE}% of teachers meet it. "
                f"For one teacher: {c.rule}",
            }
        )
    return results
