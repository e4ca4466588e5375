"""The rules of each cycle type, one declarative spec per type.

"What are the rules of a peer learning lab?" is answered by LAB below: the
fields its form asks for, its host rule, visit minutes, debrief protocol,
reminders and how its visits are laid out. Forms, services (validation),
booking, reminders, views and templates read the spec; none of them asks
"is this a lab?". Adding a type means adding a Cycle.Kind and one spec here
(tests/test_kinds.py checks that every kind has a complete one).
"""

from dataclasses import dataclass

from cycles.models import (
    MICRO_DEBRIEF_HOURS,
    VISIT_MINUTES_MAX,
    VISIT_MINUTES_MIN,
    Cycle,
)

Kind = Cycle.Kind

# Visits of any type last between these minutes; some types are tighter.
VISIT_MINUTES_ANY = (5, 90)
VISIT_MINUTES_SHORT = (VISIT_MINUTES_MIN, VISIT_MINUTES_MAX)


class Layout:
    """How a cycle's visits are laid out on its day."""

    # Each host in turn, in one block: the group walks from room to room.
    BLOCK = "block"
    # The teachers are paired; each pair visits each other (swap days).
    PAIRS = "pairs"
    # The observers are in groups (walks); each group visits its own rooms in
    # turn, all groups at once, never two groups in one room.
    GROUPS = "groups"


class Organizer:
    """How an observer's evidence is written on the capture page."""

    # Free entries, each optionally tied to a look-for.
    ENTRIES = ""
    # Labs: What (we saw and heard) / So What / Now What.
    WHAT_SO_WHAT_NOW_WHAT = "what_so_what_now_what"


class DebriefDue:
    """When a cycle's debrief is due and what it reminds."""

    # One debrief for the cycle, in the team's PLC time or at a chosen time;
    # the facilitator is told when the visits have ended.
    AFTER_VISITS = "after_visits"
    # The facilitated reflection follows the lesson at once (labs): without a
    # PLC time or a chosen time it is due when the lesson ends.
    AFTER_LESSON = "after_lesson"
    # One debrief per visit, due `due_hours` after it; nudged first,
    # then overdue (a deadline) to its observers.
    PER_VISIT = "per_visit"


@dataclass(frozen=True)
class Minutes:
    low: int
    high: int

    @property
    def message(self) -> str:
        if (self.low, self.high) == VISIT_MINUTES_ANY:
            return f"A visit lasts between {self.low} and {self.high} minutes."
        return f"Visits in this cycle type last {self.low}-{self.high} minutes."

    @property
    def help_text(self) -> str:
        if (self.low, self.high) == VISIT_MINUTES_ANY:
            return ""
        return f"{self.low}-{self.high} minutes."

    def allows(self, minutes: int) -> bool:
        return self.low <= minutes <= self.high


@dataclass(frozen=True)
class Hosts:
    """Who hosts, how many, and how they are chosen."""

    label: str  # the planner's field label
    heading: str = "Hosts"  # the cycle page's heading
    fewest: int = 0  # to be scheduled
    fewest_message: str = ""
    most: int | None = None  # even as a draft
    most_message: str = ""
    # The schedule check also refuses more than `most` (with fewest_message).
    exact_at_schedule: bool = False
    # Hosting is opt-in: a host agrees or declines before the cycle is scheduled.
    opt_in: bool = False
    # The planner shows hosted counts this year and suggests who hosted least.
    rotation: bool = False
    # Hosts also observe each other (swap days): no separate observers.
    also_observe: bool = False
    help_text: str = ""
    # Empty hosts with a team chosen: the whole team takes part.
    team_by_default: bool = False
    # The school's cap on these cycles per teacher per school year applies.
    yearly_cap: bool = False


@dataclass(frozen=True)
class Observers:
    asked: bool = True  # the planner chooses observers (not for swap days)
    label: str = "Observers"
    required: bool = True  # to be scheduled
    # Observers visit in their planning period, never while they teach.
    in_planning_period: bool = False
    # The planner arranges cover for observers who teach then.
    cover: bool = True


@dataclass(frozen=True)
class Problem:
    asked: bool = True  # the planner offers a problem of practice
    required: bool = False  # even as a draft
    required_message: str = ""
    must_pass_checks: bool = False  # all five quality checks, to be scheduled


@dataclass(frozen=True)
class LookFors:
    exactly: int | None = None
    draft_message: str = ""
    schedule_message: str = ""


@dataclass(frozen=True)
class Debrief:
    heading: str  # the protocol's heading on the debrief page
    fields: tuple[str, ...]  # what the facilitator records
    due: str = DebriefDue.AFTER_VISITS
    # PER_VISIT: hours after the visit ends that the debrief is due.
    due_hours: int | None = None
    # Evidence is shown grouped by look-for with host names removed.
    hide_hosts: bool = False
    # Each walk group records exactly one next step.
    group_steps: bool = False


@dataclass(frozen=True)
class KindSpec:
    kind: str
    rules: tuple[str, ...]  # shown on the planner and the cycle page
    hosts: Hosts
    debrief: Debrief
    observers: Observers = Observers()
    problem: Problem = Problem()
    look_fors: LookFors = LookFors()
    minutes: Minutes = Minutes(*VISIT_MINUTES_ANY)
    # The visit is a whole lesson (labs): without minutes chosen, it lasts the
    # host's period that day (from a chosen start, to the period's end).
    visit_whole_lesson: bool = False
    layout: str = Layout.BLOCK
    # The capture page's organizer for evidence (Organizer).
    organizer: str = Organizer.ENTRIES
    # Rounds visit every classroom in one block on one day.
    one_day: bool = False
    # The facilitator is booked with the visits (a group led through rooms).
    facilitator_at_visits: bool = False
    # The planner's fields beyond the common ones.
    fields: tuple[str, ...] = ()
    # Labs: a pre-brief (goal required, before the lesson, booked), a series,
    # and a goal follow-up after `follow_up_days` (the school's default).
    prebrief: bool = False
    prebrief_goal_message: str = ""
    follow_up: bool = False
    # Walks: aligned to an initiative, walkers in mixed groups.
    initiative_message: str = ""
    schedule_initiative_message: str = ""
    groups: bool = False
    # Micro-observations: suggest the return visit.
    reciprocal: bool = False
    # The prompts offered for a reflection tied to a cycle of this type.
    reflection_prompts: tuple[str, ...] = ()
    # Reminders a visit of this type derives for its host and observers.
    reflection_reminder: bool = True
    swap_rotation_target: bool = False

    @property
    def label(self) -> str:
        return Kind(self.kind).label

    @property
    def needs_initiative(self) -> bool:
        return bool(self.initiative_message)


LAB_FIELDS = (
    "problem_of_practice",
    "series",
    "new_series_title",
    "new_series_inquiry",
    "prebrief_goal",
    "prebrief_expectations",
    "prebrief_prompts",
    "prebrief_at",
    "follow_up_days",
)
WALK_FIELDS = (
    "initiative",
    "grouping",
    "group_size",
    "guiding_students_doing",
    "guiding_subtle_prompts",
    "guiding_expected_artifacts",
)

ROUNDS = KindSpec(
    kind=Kind.ROUNDS,
    rules=(
        "A problem of practice that passes all five quality checks is required.",
        "Several host classrooms in one block, 10-15 minutes each.",
        "Hosts rotate: teachers who have hosted least this year are suggested first.",
        "The debrief: describe, analyze, predict, next level of work.",
    ),
    hosts=Hosts(
        label="Host classrooms",
        fewest=2,
        fewest_message="Rounds visit several classrooms: choose two or more hosts.",
        rotation=True,
    ),
    problem=Problem(
        required=True,
        required_message="Instructional rounds need a problem of practice.",
        must_pass_checks=True,
    ),
    minutes=Minutes(*VISIT_MINUTES_SHORT),
    one_day=True,
    facilitator_at_visits=True,
    fields=("problem_of_practice",),
    debrief=Debrief(
        heading="Describe, analyze, predict, next level of work",
        fields=("describe", "analyze", "predict", "next_level_of_work"),
        hide_hosts=True,
    ),
    reflection_prompts=(
        "What pattern across classrooms stays with me?",
        "If I were a student in these rooms, what would I be learning?",
        "What is my part in the next level of work?",
    ),
)

LAB = KindSpec(
    kind=Kind.LAB,
    rules=(
        "One volunteer host opens the room for a whole lesson; hosting is opt-in "
        "and can be declined.",
        "A pre-brief shares the instructional goal, expectations and prompts.",
        "A facilitated reflection follows the lesson; each participant sets a goal "
        "with a follow-up (default 14 days later).",
        "Labs can form a series around one inquiry.",
    ),
    hosts=Hosts(
        label="Volunteer host",
        fewest=1,
        fewest_message="A lab needs a volunteer host.",
        most=1,
        most_message="A peer learning lab has one volunteer host.",
        opt_in=True,
        rotation=True,
    ),
    visit_whole_lesson=True,
    organizer=Organizer.WHAT_SO_WHAT_NOW_WHAT,
    facilitator_at_visits=True,
    fields=LAB_FIELDS,
    prebrief=True,
    prebrief_goal_message="Share the instructional goal at the pre-brief, before "
    "the lesson.",
    follow_up=True,
    debrief=Debrief(
        heading="Facilitated reflection",
        fields=("reflection", "patterns", "wonderings"),
        due=DebriefDue.AFTER_LESSON,
    ),
    reflection_prompts=(
        "What did students do or say that showed the strategy working?",
        "So what: why does that matter for their understanding?",
        "Now what: what will I try in my own classroom?",
    ),
)

SWAP = KindSpec(
    kind=Kind.SWAP,
    rules=(
        "Choose the team: JEL pairs new with experienced teachers, prefers "
        "cross-content pairs and avoids last time's pairs.",
        "Each pair visits each other; observers' classes are covered.",
        "The school's cap on swap days per teacher per year is enforced.",
        "A short reflection follows. Target: two rotations per semester.",
    ),
    hosts=Hosts(
        label="Team members (each hosts and observes)",
        heading="Team members",
        fewest=2,
        fewest_message="A swap day needs at least two teachers to pair.",
        also_observe=True,
        help_text="Leave empty to take everyone in the team.",
        team_by_default=True,
        yearly_cap=True,
    ),
    observers=Observers(asked=False, required=False),
    layout=Layout.PAIRS,
    fields=("problem_of_practice",),
    swap_rotation_target=True,
    debrief=Debrief(heading="Short reflection", fields=("reflection",)),
    reflection_prompts=(
        "What did I see a colleague do that I want to borrow?",
        "What did students in that room do that mine do not yet?",
    ),
)

MICRO = KindSpec(
    kind=Kind.MICRO,
    rules=(
        "One tight focus: exactly one look-for.",
        "10-15 minutes, usually in the observer's planning period; an observer "
        "who teaches then gets cover.",
        "The debrief is due within 24 hours; an overdue one is flagged.",
        "JEL suggests the reciprocal visit.",
    ),
    hosts=Hosts(
        label="Classroom to visit",
        fewest=1,
        fewest_message="Choose the one classroom to visit.",
        most=1,
        most_message="A micro-observation visits one classroom.",
        exact_at_schedule=True,
    ),
    observers=Observers(),
    problem=Problem(asked=False),
    look_fors=LookFors(
        exactly=1,
        draft_message="A micro-observation has one tight focus: choose exactly one "
        "look-for.",
        schedule_message="A micro-observation needs exactly one look-for.",
    ),
    minutes=Minutes(*VISIT_MINUTES_SHORT),
    reciprocal=True,
    debrief=Debrief(
        heading="Micro-observation debrief",
        fields=("reflection", "next_step"),
        due=DebriefDue.PER_VISIT,
        due_hours=MICRO_DEBRIEF_HOURS,
    ),
    reflection_prompts=(
        "What one thing did I see students do in the focus area?",
        "What is the reciprocal question I would like answered in my room?",
    ),
)

WALK = KindSpec(
    kind=Kind.WALK,
    rules=(
        "Aligned to a school-wide initiative.",
        "Walkers are put into mixed-grade or mixed-department groups; each group "
        "visits its own classrooms in turn, never two groups in one room.",
        "Guiding questions: students doing, prompts for subtle practices, "
        "expected artifacts.",
        "Each group records exactly one next step at the debrief.",
    ),
    hosts=Hosts(label="Classrooms on the walk", rotation=True),
    observers=Observers(label="Walkers"),
    problem=Problem(asked=False),
    layout=Layout.GROUPS,
    # The groups walk at the same time, so the facilitator cannot be booked
    # with every visit: to walk with a group, they are one of its walkers.
    facilitator_at_visits=False,
    fields=WALK_FIELDS,
    initiative_message="A learning walk is aligned to a school-wide initiative: "
    "name it.",
    schedule_initiative_message="Name the initiative the walk is aligned to.",
    groups=True,
    debrief=Debrief(
        heading="Student experience and one next step per group",
        fields=("patterns", "wonderings"),
        hide_hosts=True,
        group_steps=True,
    ),
    reflection_prompts=(
        "What were students doing, saying and thinking across the rooms?",
        "What is our team's one next step, and my part in it?",
    ),
)

KINDS: dict[str, KindSpec] = {
    spec.kind: spec for spec in (ROUNDS, LAB, SWAP, MICRO, WALK)
}

# Every debrief may also note patterns and wonderings, whatever its protocol.
DEBRIEF_ALWAYS = ("patterns", "wonderings")
DEBRIEF_LABELS = {
    "describe": "Describe: evidence only (what students said, did, made)",
    "analyze": "Analyze: patterns across classrooms",
    "predict": "Predict: if you were a student here, what would you learn?",
    "next_level_of_work": "Next level of work",
    "reflection": "Reflection",
    "patterns": "Patterns and trends",
    "wonderings": "Wonderings",
    "next_step": "One next step",
}
# A reflection not tied to a cycle.
REFLECTION_PROMPTS_ALONE = (
    "What did I notice about my students this week?",
    "What surprised me, and what do I wonder about?",
    "What will I try next?",
)


def spec_for(kind) -> KindSpec:
    """The spec of a cycle type (a Cycle.Kind, its value, or a Cycle)."""
    kind = getattr(kind, "kind", kind)
    try:
        return KINDS[kind]
    except KeyError:
        raise ValueError(f"No spec for cycle kind {kind!r}: add one to KINDS") from None


def kinds_where(test) -> list[str]:
    """The kinds whose spec passes test, for queries ("every paired type")."""
    return [kind for kind, spec in KINDS.items() if test(spec)]


def kind_choices() -> list[tuple[str, str]]:
    return [(spec.kind, spec.label) for spec in KINDS.values()]
