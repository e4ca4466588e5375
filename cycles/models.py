"""Problems of practice, look-fors, the five cycle types, their visits and debriefs.

No model here rates or scores a teacher: a cycle records who took part, what
was planned and what the group concluded about student learning, never a
judgment of the host.
"""

from datetime import timedelta

from django.conf import settings
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
)
from django.db import models
from django.utils import timezone

from jel.concurrency import Versioned
from jel.models import School, SchoolOwned
from jel.validation import (
    LINE_MAX,
    NOTE_MAX,
    TITLE_MAX,
    check_no_control_characters,
    check_one_line,
    check_school_date,
    max_length_validator,
)

MICRO_DEBRIEF_HOURS = 24
LAB_FOLLOW_UP_DAYS = 14
VISIT_MINUTES_DEFAULT = 15
VISIT_MINUTES_MIN = 10
VISIT_MINUTES_MAX = 15
FOLLOW_UP_DAYS_MAX = 90

# A cycle's (and a planned visit's) title goes into e-mail subjects and reminder
# subjects after a prefix: "In 120 minutes: " + "Instructional rounds: " is the
# longest (38 characters), "Your bright spot is on the wall: " the next. The
# title is capped so every such subject fits its 200-character column.
SUBJECT_PREFIX_MAX = 50
CYCLE_TITLE_MAX = TITLE_MAX - SUBJECT_PREFIX_MAX


def title_validators():
    # One line: a title is a calendar entry's summary and an e-mail's subject.
    return [
        check_one_line,
        check_no_control_characters,
        MaxLengthValidator(
            CYCLE_TITLE_MAX,
            message=f"Keep the title to {CYCLE_TITLE_MAX} characters "
            "(this has %(show_value)s).",
        ),
    ]


def line(limit=LINE_MAX):
    return [max_length_validator(limit)]


def note():
    return [max_length_validator(NOTE_MAX)]


class CycleSettings(Versioned, SchoolOwned):
    """A school's own limits and targets for cycles."""

    school = models.OneToOneField(
        School, on_delete=models.CASCADE, related_name="cycle_settings"
    )
    swap_days_cap_per_teacher_per_year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(180)],
        help_text="Most swap days one teacher may take part in per school year "
        "(a collective bargaining limit). Empty means no cap.",
    )
    swap_rotations_target_per_semester = models.PositiveSmallIntegerField(
        default=2, validators=[MinValueValidator(0), MaxValueValidator(20)]
    )
    lab_follow_up_days = models.PositiveSmallIntegerField(
        default=LAB_FOLLOW_UP_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(FOLLOW_UP_DAYS_MAX)],
        help_text=f"From 1 to {FOLLOW_UP_DAYS_MAX} days.",
    )

    class Meta:
        verbose_name_plural = "cycle settings"

    def __str__(self):
        return f"Cycle settings of {self.school}"


QUALITY_CHECKS = [
    (
        "check_instructional_core",
        "Focuses on the instructional core",
        "It is about students, teachers and content together, not logistics.",
    ),
    (
        "check_observable",
        "Directly observable",
        "Visitors could see or hear evidence of it in 15 minutes in a classroom.",
    ),
    (
        "check_actionable",
        "Actionable",
        "It is within the school's control and could change practice this year.",
    ),
    (
        "check_broader_strategy",
        "Connects to a broader strategy",
        "It ties to the school's improvement plan or a school-wide initiative.",
    ),
    (
        "check_high_leverage",
        "High-leverage",
        "If solved, it would make a real difference for student learning.",
    ),
]
QUALITY_CHECK_FIELDS = [name for name, _label, _hint in QUALITY_CHECKS]


class ProblemOfPractice(Versioned, SchoolOwned):
    """A question about the instructional core that a school investigates.

    Its `version` (Versioned) is also the number of its text's latest
    ProblemOfPracticeVersion: each saved edit is a new version.
    """

    question = models.TextField(
        validators=line(),
        help_text="What is the evidence that students ...? Ask about students.",
    )
    theory_of_action = models.TextField(
        blank=True,
        validators=note(),
        help_text="If ..., then ... (what adults will do and what follows)",
    )
    initiative = models.CharField(
        max_length=200,
        blank=True,
        help_text="The school-wide initiative or strategy it connects to.",
    )
    check_instructional_core = models.BooleanField(default=False)
    check_observable = models.BooleanField(default=False)
    check_actionable = models.BooleanField(default=False)
    check_broader_strategy = models.BooleanField(default=False)
    check_high_leverage = models.BooleanField(default=False)
    archived_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = "problem of practice"
        verbose_name_plural = "problems of practice"

    def __str__(self):
        return self.question

    def unchecked(self) -> list[str]:
        """Labels of the quality checks this problem does not pass yet."""
        return [
            label for name, label, _hint in QUALITY_CHECKS if not getattr(self, name)
        ]

    @property
    def passes_all_checks(self) -> bool:
        return not self.unchecked()


class ProblemOfPracticeVersion(SchoolOwned):
    """The text of a problem of practice as it stood; closed cycles keep theirs."""

    problem = models.ForeignKey(
        ProblemOfPractice, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField()
    question = models.TextField()
    theory_of_action = models.TextField(blank=True)
    initiative = models.CharField(max_length=200, blank=True)
    passed_all_checks = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["problem", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["problem", "number"], name="pop_version_number_unique"
            )
        ]

    def __str__(self):
        return f"{self.question} (version {self.number})"


class LookFor(SchoolOwned):
    """What would you see? One observable student behaviour or artifact."""

    class Kind(models.TextChoices):
        ORAL = "oral", "Oral (heard)"
        VISUAL = "visual", "Visual (seen)"
        ARTIFACT = "artifact", "Artifact (student work)"

    problem = models.ForeignKey(
        ProblemOfPractice,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="look_fors",
        help_text="Empty for a look-for in the school's library only.",
    )
    text = models.CharField(max_length=300)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    position = models.PositiveIntegerField(default=0)
    archived_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class LabSeries(SchoolOwned):
    """Several peer learning labs chained around one inquiry."""

    title = models.CharField(max_length=200, validators=title_validators())
    inquiry = models.TextField(
        validators=note(), help_text="The question the labs investigate together."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "lab series"

    def __str__(self):
        return self.title


class Cycle(Versioned, SchoolOwned):
    """One planned run of one of the five cycle types."""

    class Kind(models.TextChoices):
        ROUNDS = "rounds", "Instructional rounds"
        LAB = "lab", "Peer learning lab"
        SWAP = "swap", "Coverage swap day"
        MICRO = "micro", "Micro-observation"
        WALK = "walk", "Learning walk"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        IN_PROGRESS = "in_progress", "In progress"
        DEBRIEFED = "debriefed", "Debriefed"
        CLOSED = "closed", "Closed"
        CANCELLED = "cancelled", "Cancelled"

    class Grouping(models.TextChoices):
        GRADE = "grade", "Mixed grade levels"
        DEPARTMENT = "department", "Mixed departments"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    title = models.CharField(max_length=200, validators=title_validators())
    focus = models.TextField(
        blank=True,
        validators=line(),
        help_text="What the group looks at: the strategy or question.",
    )
    problem_of_practice = models.ForeignKey(
        ProblemOfPractice,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cycles",
    )
    problem_version = models.ForeignKey(
        ProblemOfPracticeVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The problem's text this cycle used; frozen once it closes.",
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="facilitated_cycles",
    )
    starts_on = models.DateField(null=True, blank=True, validators=[check_school_date])
    ends_on = models.DateField(null=True, blank=True, validators=[check_school_date])
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="CycleParticipant",
        related_name="cycles",
        blank=True,
    )
    look_fors = models.ManyToManyField(
        LookFor, through="CycleLookFor", related_name="cycles", blank=True
    )
    # Labs
    series = models.ForeignKey(
        LabSeries,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cycles",
    )
    prebrief_goal = models.TextField(
        "instructional goal",
        blank=True,
        validators=note(),
        help_text="Shared at the pre-brief.",
    )
    prebrief_expectations = models.TextField(
        "expectations for visitors", blank=True, validators=note()
    )
    prebrief_prompts = models.TextField(
        "look-for prompts", blank=True, validators=note()
    )
    prebrief_at = models.DateTimeField(
        "pre-brief", null=True, blank=True, help_text="Before the lesson."
    )
    prebrief_booking = models.OneToOneField(
        "scheduling.Booking",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="prebrief_of",
    )
    follow_up_days = models.PositiveSmallIntegerField(
        default=LAB_FOLLOW_UP_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(FOLLOW_UP_DAYS_MAX)],
        help_text="Days after the lab when each participant checks back on a goal.",
    )
    # Learning walks
    initiative = models.CharField(
        max_length=200,
        blank=True,
        help_text="The school-wide initiative or framework the walk is aligned to.",
    )
    grouping = models.CharField(
        max_length=16, choices=Grouping.choices, blank=True, default=""
    )
    group_size = models.PositiveSmallIntegerField(null=True, blank=True)
    guiding_students_doing = models.TextField(
        "what do we hope to see students doing?", blank=True, validators=note()
    )
    guiding_subtle_prompts = models.TextField(
        "what prompts define subtle practices?", blank=True, validators=note()
    )
    guiding_expected_artifacts = models.TextField(
        "what artifacts do we expect?", blank=True, validators=note()
    )
    # Swap days (and often labs and walks) are planned for a team; its PLC time
    # is where the debrief goes by default.
    team = models.ForeignKey(
        "scheduling.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    arrange_cover = models.BooleanField(
        "arrange cover for observers who teach then",
        default=True,
        help_text="A free colleague where there is one, otherwise a substitute.",
    )
    window_override_reason = models.CharField(
        "reason to visit outside an observation window", max_length=300, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Drawn with the blank planner form: a second submit of the same form
    # finds the cycle the first made instead of making another.
    creation_token = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_on", "-created_at"]
        indexes = [models.Index(fields=["school", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "creation_token"],
                name="cycle_creation_token_unique",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status not in (self.Status.CLOSED, self.Status.CANCELLED)

    def people(self, role):
        return [p.user for p in self.memberships.all() if p.role == role]


class CycleParticipant(SchoolOwned):
    """A person's part in a cycle: observer, host or facilitator."""

    class Role(models.TextChoices):
        OBSERVER = "observer", "Observer"
        HOST = "host", "Host"
        FACILITATOR = "facilitator", "Facilitator"

    class HostResponse(models.TextChoices):
        PENDING = "pending", "Not answered yet"
        ACCEPTED = "accepted", "Agreed to host"
        DECLINED = "declined", "Declined"

    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField(max_length=16, choices=Role.choices)
    host_response = models.CharField(
        max_length=16, choices=HostResponse.choices, blank=True, default=""
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    group_number = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Learning walks: the group this person is in."
    )

    class Meta:
        ordering = ["cycle", "role", "user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "user", "role"], name="cycle_participant_unique"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.cycle}"


class CycleLookFor(SchoolOwned):
    """A look-for a cycle uses, in the order the data tool shows them."""

    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="look_for_links"
    )
    look_for = models.ForeignKey(
        LookFor, on_delete=models.PROTECT, related_name="cycle_links"
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["cycle", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "look_for"], name="cycle_look_for_unique"
            )
        ]


class CycleTransition(SchoolOwned):
    """Every change of a cycle's status: from, to, who and when."""

    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(max_length=16, choices=Cycle.Status.choices)
    to_status = models.CharField(max_length=16, choices=Cycle.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["cycle", "at", "pk"]

    def __str__(self):
        return f"{self.cycle}: {self.from_status} → {self.to_status}"


class Visit(SchoolOwned):
    """One classroom visit in a cycle: a host, observers, a time, 10-15 minutes."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="visits")
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="hosted_visits"
    )
    observers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="observed_visits", blank=True
    )
    date = models.DateField()
    period = models.ForeignKey(
        "scheduling.Period",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    starts_at = models.DateTimeField(null=True, blank=True)
    minutes = models.PositiveSmallIntegerField(default=VISIT_MINUTES_DEFAULT)
    room = models.ForeignKey(
        "scheduling.Room",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The schedule owns the time once booked: conflicts, coverage and calendar
    # feeds all come from the booking.
    booking = models.OneToOneField(
        "scheduling.Booking",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visit",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "starts_at", "pk"]
        # Every dashboard and week view asks for a school's visits in a span
        # of dates; without it a district's three years are a full scan.
        indexes = [models.Index(fields=["school", "date"], name="visit_school_date")]

    def __str__(self):
        return f"Visit to {self.host} on {self.date}"

    @property
    def ends_at(self):
        if self.starts_at is None:
            return None
        return self.starts_at + timedelta(minutes=self.minutes)


class Debrief(Versioned, SchoolOwned):
    """The facilitated conversation after a cycle's visits, with its protocol."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="debriefs")
    visit = models.ForeignKey(
        Visit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="debriefs",
        help_text="Micro-observations: the visit this debrief follows.",
    )
    due_at = models.DateTimeField(null=True, blank=True)
    held_at = models.DateTimeField(null=True, blank=True)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="attended_debriefs", blank=True
    )
    patterns = models.TextField("patterns and trends", blank=True, validators=note())
    wonderings = models.TextField(blank=True, validators=note())
    # Instructional rounds
    describe = models.TextField(
        blank=True,
        validators=note(),
        help_text="Evidence only: what did students say, do, make?",
    )
    analyze = models.TextField(
        blank=True,
        validators=note(),
        help_text="Patterns across classrooms, not about any one room.",
    )
    predict = models.TextField(
        blank=True,
        validators=note(),
        help_text="If you were a student in these classrooms, what would you learn?",
    )
    next_level_of_work = models.TextField(blank=True, validators=note())
    # Labs (facilitated reflection), swap days (short reflection), micro
    reflection = models.TextField(blank=True, validators=note())
    next_step = models.TextField(
        blank=True,
        validators=note(),
        help_text="One thing to try next, for a micro-observation.",
    )
    booking = models.OneToOneField(
        "scheduling.Booking",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="debrief",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_at", "pk"]

    def __str__(self):
        return f"Debrief of {self.cycle}"

    @property
    def is_overdue(self) -> bool:
        return (
            self.held_at is None
            and self.due_at is not None
            and self.due_at < timezone.now()
        )


class WalkNextStep(SchoolOwned):
    """A learning walk group's one next step, agreed at the debrief."""

    debrief = models.ForeignKey(
        Debrief, on_delete=models.CASCADE, related_name="group_steps"
    )
    group_number = models.PositiveSmallIntegerField()
    next_step = models.TextField(validators=note())

    class Meta:
        ordering = ["debrief", "group_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["debrief", "group_number"], name="one_next_step_per_group"
            )
        ]


# The term planner's rows live with their package; imported here to be the
# cycles app's models (migration 0008_term_plans).
from cycles.planner.models import PlannedVisit, TermPlan  # noqa: E402, F401
