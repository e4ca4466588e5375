"""A term plan (the principal's intentions and the solver's proposal) and its visits.

Imported by cycles.models, so the rows are the cycles app's (migration 0008).
A proposal is only a proposal: accepting it creates ordinary cycles, bookings
and reminders through the cycles and scheduling services.
"""

from django.conf import settings
from django.db import models

from jel.models import School, SchoolOwned


class TermPlan(SchoolOwned):
    class Status(models.TextChoices):
        SOLVING = "solving", "Solving"
        PROPOSED = "proposed", "Proposed"
        FAILED = "failed", "Could not be solved"
        ACCEPTED = "accepted", "Accepted"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    term = models.ForeignKey(
        "scheduling.Term", on_delete=models.CASCADE, related_name="+"
    )
    teams = models.ManyToManyField("scheduling.Team", blank=True, related_name="+")
    # What the principal asked for (cycles.planner.intentions.Intentions).
    intentions = models.JSONField(default=dict)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.SOLVING
    )
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    # The solver's and the baseline's figures, and what blocks an intention.
    figures = models.JSONField(default=dict, blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Plan of {self.term}"


class PlannedVisit(SchoolOwned):
    """One proposed visit: an observer in a host's class, and who covers."""

    plan = models.ForeignKey(TermPlan, on_delete=models.CASCADE, related_name="visits")
    kind = models.CharField(max_length=16, default="micro")
    date = models.DateField()
    period = models.ForeignKey(
        "scheduling.Period", on_delete=models.PROTECT, related_name="+"
    )
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    observer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    # The observer teaches then: a colleague in their planning period covers,
    # or (the last resort) a substitute.
    covered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    needs_substitute = models.BooleanField(default=False)
    locked = models.BooleanField(default=False)
    # The visit accepted: the micro-observation cycle it became.
    cycle = models.ForeignKey(
        "cycles.Cycle",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["date", "period__starts_at", "pk"]

    def __str__(self):
        return f"{self.observer} visits {self.host} on {self.date}"
