"""What teachers see, write and try: observations, evidence, reflections, goals.

Non-evaluative by construction: nothing here rates, scores or grades a teacher.
Evidence describes students; who may read it, and whether the host is named,
is decided in `observations.selectors`.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cycles.models import Cycle, LookFor, Visit
from jel.concurrency import Versioned
from jel.models import SchoolOwned
from jel.validation import LONG_MAX, NOTE_MAX, max_length_validator

GOAL_FOLLOW_UP_DAYS = 14
# One entry is a few sentences about students: the form, the API, the service
# and the capture page's counter all hold this limit.
EVIDENCE_MAX_CHARS = 2000


def default_follow_up_on() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=GOAL_FOLLOW_UP_DAYS)


def _capped_text(verbose_name=None, *, limit: int, **kwargs) -> models.TextField:
    # max_length on a TextField only reaches the form; the validator holds it
    # for full_clean, and the services check it for every caller.
    return models.TextField(
        verbose_name,
        max_length=limit,
        validators=[max_length_validator(limit)],
        **kwargs,
    )


def _creation_token() -> models.UUIDField:
    # Drawn with the blank form: a second submit of the same form (a double
    # tap, a resend after a dropped answer) finds the row the first one made.
    return models.UUIDField(null=True, blank=True, editable=False)


class Reflection(Versioned, SchoolOwned):
    """A teacher's own writing: private unless the author chooses to share it."""

    class Visibility(models.TextChoices):
        PRIVATE = "private", "Only me"
        CYCLE_GROUP = "cycle_group", "My cycle group"
        COACHES = "coaches", "Coaches and mentors"

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reflections"
    )
    body = _capped_text(limit=LONG_MAX)
    visibility = models.CharField(
        max_length=16, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    cycle = models.ForeignKey(
        Cycle, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    visit = models.ForeignKey(
        Visit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    creation_token = _creation_token()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "author", "creation_token"],
                name="reflection_created_once",
            )
        ]

    def __str__(self):
        return f"Reflection by {self.author} on {self.created_at:%Y-%m-%d}"


class ReflectionReply(SchoolOwned):
    """A colleague's answer to a shared reflection."""

    reflection = models.ForeignKey(
        Reflection, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    body = _capped_text(limit=NOTE_MAX)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return f"Reply by {self.author}"


class Goal(Versioned, SchoolOwned):
    """What I will try in my classroom, and when I will check back on it."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="goals"
    )
    text = _capped_text("What I will try in my classroom", limit=NOTE_MAX)
    # Null once the owner says no further follow-up is wanted.
    follow_up_on = models.DateField(
        "Follow up on", null=True, blank=True, default=default_follow_up_on
    )
    cycle = models.ForeignKey(
        Cycle, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    creation_token = _creation_token()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["school", "follow_up_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "owner", "creation_token"],
                name="goal_created_once",
            )
        ]

    def __str__(self):
        return self.text[:60]


class GoalCheckIn(SchoolOwned):
    """Did I try it, did it work as I anticipated, and why or why not."""

    class Results(models.TextChoices):
        YES = "yes", "Yes"
        PARTLY = "partly", "Partly"
        NO = "no", "No"

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="check_ins")
    tried = models.BooleanField("Did I try it?")
    results_as_anticipated = models.CharField(
        "Did I get the results I anticipated?",
        max_length=8,
        choices=Results.choices,
        blank=True,
    )
    why = _capped_text("Why or why not?", limit=NOTE_MAX, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    creation_token = _creation_token()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # Results only make sense for something that was tried.
            models.CheckConstraint(
                condition=Q(tried=True) | Q(results_as_anticipated=""),
                name="checkin_results_only_when_tried",
            ),
            models.UniqueConstraint(
                fields=["goal", "creation_token"], name="checkin_created_once"
            ),
        ]

    def __str__(self):
        return f"Check-in on {self.goal}"


class Observation(SchoolOwned):
    """One observer's record of one visit: when it ran and what was seen."""

    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="observations"
    )
    observer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "observer"], name="one_observation_per_observer"
            )
        ]

    def __str__(self):
        return f"Observation by {self.observer} of {self.visit}"


class Evidence(SchoolOwned):
    """One thing seen or heard about students, or one tap on a look-for.

    client_id is made by the browser before the first save, so an entry sent
    again after a dropped connection updates the same row instead of adding one.
    """

    class StudentFocus(models.TextChoices):
        DOING = "doing", "Doing"
        SAYING = "saying", "Saying"
        THINKING = "thinking", "Thinking"

    observation = models.ForeignKey(
        Observation, on_delete=models.CASCADE, related_name="evidence"
    )
    # Unique per school (the constraint below): the browser makes it.
    client_id = models.UUIDField()
    text = models.TextField(blank=True, max_length=EVIDENCE_MAX_CHARS)
    # PROTECT: a look-for that evidence used is archived, never deleted
    # (cycles.services.look_for_remove relies on it), so evidence keeps it.
    look_for = models.ForeignKey(
        LookFor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence",
    )
    student_focus = models.CharField(
        "Students were", max_length=8, choices=StudentFocus.choices, blank=True
    )
    # A tap on a look-for: a time-stamped tally mark, with or without words.
    is_tally = models.BooleanField(default=False)
    # Peer learning labs: the What / So What / Now What organizer.
    what = models.TextField(
        "What we saw and heard", blank=True, max_length=EVIDENCE_MAX_CHARS
    )
    so_what = models.TextField(
        "So what: why it matters for students",
        blank=True,
        max_length=EVIDENCE_MAX_CHARS,
    )
    now_what = models.TextField(
        "Now what: for my practice", blank=True, max_length=EVIDENCE_MAX_CHARS
    )
    noted_at = models.DateTimeField(default=timezone.now)
    bright_spot = models.BooleanField(default=False)
    # When the host first read the bright spot as a note of thanks.
    host_thanked_at = models.DateTimeField(null=True, blank=True)
    host_agreed_to_wall_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["noted_at", "pk"]
        verbose_name_plural = "evidence"
        constraints = [
            models.CheckConstraint(
                condition=Q(bright_spot=True) | Q(host_agreed_to_wall_at=None),
                name="wall_only_for_bright_spots",
            ),
            models.UniqueConstraint(
                fields=["school", "client_id"], name="evidence_client_id_per_school"
            ),
        ]

    def __str__(self):
        return self.text[:60] or self.what[:60] or "Tally"

    @property
    def on_wall(self) -> bool:
        return self.host_agreed_to_wall_at is not None


class ImportedEvidence(SchoolOwned):
    """Evidence that came back in with a school export without its room.

    An export applies the downloader's visibility rules: a principal's export
    carries others' evidence without its visit, observer or time (jel.permissions
    EvidenceDisclosure), so on re-import it cannot become an Evidence row (which
    needs an observation of one visit). It is kept here, exactly as exported,
    and a later export writes it out again under the same rules.
    """

    cycle = models.ForeignKey(
        Cycle, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    look_for = models.ForeignKey(
        LookFor, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Only when the export disclosed them (the downloader's own entries).
    observer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    noted_at = models.DateTimeField(null=True, blank=True)
    client_id = models.UUIDField(null=True, blank=True)
    text = models.TextField(blank=True, max_length=EVIDENCE_MAX_CHARS)
    student_focus = models.CharField(
        max_length=8, choices=Evidence.StudentFocus.choices, blank=True
    )
    is_tally = models.BooleanField(default=False)
    what = models.TextField(blank=True, max_length=EVIDENCE_MAX_CHARS)
    so_what = models.TextField(blank=True, max_length=EVIDENCE_MAX_CHARS)
    now_what = models.TextField(blank=True, max_length=EVIDENCE_MAX_CHARS)
    bright_spot = models.BooleanField(default=False)

    class Meta:
        verbose_name_plural = "imported evidence"

    def __str__(self):
        return self.text[:60] or self.what[:60] or "Tally"


class SchoolExport(SchoolOwned):
    """One download of a school's whole data, built by a Celery task.

    The zip is written for its requester with their visibility rules applied,
    so only they may download it (observations.selectors.school_export_of).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being written"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    # The requester's role when they asked: the rules the export applies.
    role = models.CharField(max_length=16)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent.")
    step = models.CharField(max_length=200, blank=True)
    # Relative to settings.VAR_DIR.
    file_name = models.CharField(max_length=300, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    rows = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Export of {self.school} for {self.requested_by}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
