"""The master schedule and who is where when.

A school's calendar (years, terms, school days and their day types), its bell
schedules (periods per day type), rooms, sections and teams come from the SIS
or the editing pages. Bookings (visits, pre-briefs, debriefs, meetings) are
planned against them through `scheduling.services`; cycles link their visits to
a Booking rather than keeping times of their own.

Periods belong to one day type. A section names the period it meets in on the
default day type; on another day type it meets in the period with the same
number, so a late-start Wednesday moves every class without new sections.
"""

import datetime as dt
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property

from jel.concurrency import Versioned
from jel.models import School, SchoolOwned
from jel.validation import check_school_date


class AcademicYear(SchoolOwned):
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="academic_years"
    )
    name = models.CharField(max_length=40, help_text="For example 2026-27.")
    starts_on = models.DateField()
    ends_on = models.DateField()
    sourced_id = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "name"], name="academic_year_name_unique"
            ),
            models.UniqueConstraint(
                fields=["school", "sourced_id"],
                condition=~Q(sourced_id=""),
                name="academic_year_sourced_id_unique",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="academic_year_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.name


class Term(SchoolOwned):
    class Kind(models.TextChoices):
        SEMESTER = "semester", "Semester"
        QUARTER = "quarter", "Quarter"
        TRIMESTER = "trimester", "Trimester"
        YEAR = "year", "Full year"

    year = models.ForeignKey(
        AcademicYear, on_delete=models.CASCADE, related_name="terms"
    )
    name = models.CharField(max_length=60)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    starts_on = models.DateField()
    ends_on = models.DateField()
    sourced_id = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["starts_on", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["year", "name"], name="term_name_unique"),
            models.UniqueConstraint(
                fields=["school", "sourced_id"],
                condition=~Q(sourced_id=""),
                name="term_sourced_id_unique",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="term_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.year})"


class DayType(Versioned, SchoolOwned):
    """A kind of school day with its own bell schedule: Regular, Late start, A day.

    Versioned: its edit page saves the name and every period together, so a
    stale page is refused as a whole (jel.concurrency)."""

    name = models.CharField(max_length=60)
    is_default = models.BooleanField(
        default=False,
        help_text="Used on weekdays that have no school-day entry of their own.",
    )

    class Meta:
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "name"], name="day_type_name_unique"
            )
        ]

    def __str__(self):
        return self.name


class Period(SchoolOwned):
    """One block of a day type's bell schedule, with wall-clock times."""

    class Kind(models.TextChoices):
        CLASS = "class", "Class"
        LUNCH = "lunch", "Lunch"
        ADVISORY = "advisory", "Advisory"
        PASSING = "passing", "Passing"
        OTHER = "other", "Other"

    day_type = models.ForeignKey(
        DayType, on_delete=models.CASCADE, related_name="periods"
    )
    name = models.CharField(max_length=40, help_text="For example Period 3 or Lunch.")
    number = models.PositiveSmallIntegerField(
        help_text="Class periods with the same number are the same class slot "
        "on every day type."
    )
    starts_at = models.TimeField()
    ends_at = models.TimeField()
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.CLASS)

    class Meta:
        ordering = ["day_type", "starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["day_type", "number", "kind"], name="period_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="period_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def minutes(self) -> int:
        start = self.starts_at.hour * 60 + self.starts_at.minute
        end = self.ends_at.hour * 60 + self.ends_at.minute
        return end - start


class SchoolDay(Versioned, SchoolOwned):
    """A date's day type, or that there is no school (a holiday)."""

    date = models.DateField(validators=[check_school_date])
    day_type = models.ForeignKey(
        DayType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="days",
    )
    is_school_day = models.BooleanField(default=True)
    note = models.CharField(
        max_length=120, blank=True, help_text="For example Thanksgiving."
    )

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "date"], name="school_day_unique"
            ),
            models.CheckConstraint(
                condition=Q(is_school_day=False) | Q(day_type__isnull=False),
                name="school_day_has_day_type",
            ),
        ]

    def __str__(self):
        if not self.is_school_day:
            return f"{self.date}: no school"
        return f"{self.date}: {self.day_type}"


class Room(SchoolOwned):
    name = models.CharField(max_length=60)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="room_name_unique")
        ]

    def __str__(self):
        return self.name


class Section(SchoolOwned):
    """A class that meets in one period of a term, taught by one teacher."""

    course = models.CharField(max_length=120, help_text="For example Math 7.")
    code = models.CharField(
        max_length=60, blank=True, help_text="The SIS's sourcedId, for imports."
    )
    room = models.ForeignKey(
        Room, on_delete=models.SET_NULL, null=True, blank=True, related_name="sections"
    )
    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="sections"
    )
    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="sections")
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sections_taught",
    )
    meets_on = models.ManyToManyField(
        DayType,
        blank=True,
        related_name="+",
        help_text="Day types it meets on (A/B rotation); empty means every day.",
    )
    grade_level = models.PositiveSmallIntegerField(null=True, blank=True)
    # The OneRoster class sourcedId; a roster deactivates what it no longer
    # lists (never deletes: visits and observations keep their class).
    sourced_id = models.CharField(max_length=255, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["period__number", "course"]
        indexes = [models.Index(fields=["school", "teacher"])]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "sourced_id"],
                condition=~Q(sourced_id=""),
                name="section_sourced_id_unique",
            )
        ]

    def __str__(self):
        return f"{self.course} ({self.period})"


class TeachingAssignment(SchoolOwned):
    """A teacher's enrollment in a class from the roster.

    The section's `teacher` is its primary active assignment's teacher (the
    one the schedule plans around); co-teachers are kept here.
    """

    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="assignments"
    )
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    sourced_id = models.CharField(max_length=255)
    is_primary = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-is_primary", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "sourced_id"], name="assignment_sourced_id_unique"
            )
        ]

    def __str__(self):
        return f"{self.teacher} teaches {self.section}"


class ImportRun(SchoolOwned):
    """One upload of a OneRoster export: its dry-run report, then its import.

    The uploaded zip is kept under VAR_DIR only until the import is confirmed
    and run, or for a day (scheduling.tasks.forget_roster_uploads).
    """

    class Status(models.TextChoices):
        CHECKED = "checked", "Checked, waiting for your confirmation"
        REFUSED = "refused", "Refused: the export has problems"
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Failed"
        EXPIRED = "expired", "Not confirmed in time"

    class Scope(models.TextChoices):
        SCHOOL = "school", "This school"
        DISTRICT = "district", "The whole district"

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    scope = models.CharField(max_length=16, choices=Scope.choices)
    status = models.CharField(max_length=16, choices=Status.choices)
    version = models.CharField(max_length=8, blank=True)
    original_name = models.CharField(max_length=200, blank=True)
    # Relative to settings.VAR_DIR; blank once forgotten.
    file_name = models.CharField(max_length=300, blank=True)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent.")
    step = models.CharField(max_length=200, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Roster import {self.pk} at {self.school}"

    @property
    def is_working(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class Team(SchoolOwned):
    """A grade-level, department or PLC team and its collaboration time."""

    class Kind(models.TextChoices):
        GRADE = "grade", "Grade level"
        DEPARTMENT = "department", "Department"
        PLC = "plc", "PLC"

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"

    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="teams"
    )
    plc_day_of_week = models.PositiveSmallIntegerField(
        choices=Weekday.choices, null=True, blank=True
    )
    plc_period = models.ForeignKey(
        Period, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    plc_starts_at = models.TimeField(
        null=True, blank=True, help_text="When the PLC meets outside a period."
    )
    plc_ends_at = models.TimeField(null=True, blank=True)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="team_name_unique")
        ]

    def __str__(self):
        return self.name


class ObservationWindow(Versioned, SchoolOwned):
    """Dates (and periods) set aside for visits."""

    name = models.CharField(max_length=120)
    term = models.ForeignKey(
        Term, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    starts_on = models.DateField(validators=[check_school_date])
    ends_on = models.DateField(validators=[check_school_date])
    periods = models.ManyToManyField(
        Period,
        blank=True,
        related_name="+",
        help_text="Leave empty for every period; other day types match by number.",
    )

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="window_ends_after_start",
            )
        ]

    def __str__(self):
        return self.name


class Booking(SchoolOwned):
    """People, a room and a time: a visit, pre-brief, debrief or meeting."""

    class Kind(models.TextChoices):
        VISIT = "visit", "Visit"
        PREBRIEF = "prebrief", "Pre-brief"
        DEBRIEF = "debrief", "Debrief"
        MEETING = "meeting", "Meeting"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    date = models.DateField()
    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Stored in UTC; computed from the school's wall clock on `date` so that a
    # 09:00 visit stays at 09:00 across a daylight saving change.
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    room = models.ForeignKey(
        Room, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hosted_bookings",
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.SCHEDULED
    )
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(
        default=0, help_text="iCalendar SEQUENCE; bumped on every change."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    window_override_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["school", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="booking_ends_after_start",
            )
        ]

    def __str__(self):
        return f"{self.title} on {self.date}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class BookingPerson(SchoolOwned):
    class Role(models.TextChoices):
        HOST = "host", "Host"
        OBSERVER = "observer", "Observer"
        FACILITATOR = "facilitator", "Facilitator"
        ATTENDEE = "attendee", "Attendee"

    booking = models.ForeignKey(
        Booking, on_delete=models.CASCADE, related_name="people"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookings"
    )
    role = models.CharField(max_length=16, choices=Role.choices)

    class Meta:
        ordering = ["role", "user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "user"], name="booking_person_unique"
            )
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"


def cover_duty_span(booking, section) -> tuple[dt.datetime, dt.datetime]:
    """When a cover duty runs: the class's whole period that day (the observer
    may be away for a block of visits in it), else the booking's own times."""
    if section is not None:
        period = booking.period
        if period is None or period.number != section.period.number:
            from scheduling.day_facts import period_on

            period = period_on(
                school=booking.school, day=booking.date, period=section.period
            )
        if period is not None:
            tz = booking.school.tz
            return (
                dt.datetime.combine(booking.date, period.starts_at, tzinfo=tz),
                dt.datetime.combine(booking.date, period.ends_at, tzinfo=tz),
            )
    return booking.starts_at, booking.ends_at


class Coverage(SchoolOwned):
    """Who teaches an observer's class while they are at a booking."""

    booking = models.ForeignKey(
        Booking, on_delete=models.CASCADE, related_name="coverages"
    )
    observer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    section = models.ForeignKey(
        Section, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    covered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coverage_duties",
    )
    needs_substitute = models.BooleanField(default=False)
    # Why a substitute is needed, said on the coverage plan: "No colleague is
    # free in Period 3." (a substitute is the last resort).
    substitute_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["booking__starts_at", "observer__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "observer", "section"], name="coverage_unique"
            ),
            models.CheckConstraint(
                condition=Q(covered_by__isnull=False) | Q(needs_substitute=True),
                name="coverage_has_someone",
            ),
        ]

    def __str__(self):
        who = self.covered_by or "a substitute"
        return f"{who} covers {self.observer} ({self.booking})"

    @cached_property
    def duty_span(self) -> tuple[dt.datetime, dt.datetime]:
        """When the coverer teaches the class (cover_duty_span)."""
        return cover_duty_span(self.booking, self.section if self.section_id else None)

    @property
    def duty_starts_at(self):
        return self.duty_span[0]

    @property
    def duty_ends_at(self):
        return self.duty_span[1]


class CoverRelease(SchoolOwned):
    """A colleague no longer covering an observer's class at a booking.

    Kept so their calendar shows that cover duty as cancelled (same UID, a
    higher SEQUENCE) instead of having it vanish; gone when they cover it again.
    """

    booking = models.ForeignKey(
        Booking, on_delete=models.CASCADE, related_name="cover_releases"
    )
    observer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    released = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    section = models.ForeignKey(
        Section, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    released_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "observer", "released"],
                name="cover_release_unique",
            )
        ]

    def __str__(self):
        return f"{self.released} no longer covers {self.observer} ({self.booking})"


def new_calendar_token() -> str:
    # 32 random bytes: 256 bits, far beyond guessing.
    return secrets.token_urlsafe(32)


class CalendarToken(SchoolOwned):
    """The secret in a person's calendar feed address for one school."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_tokens",
    )
    token = models.CharField(max_length=64, unique=True, default=new_calendar_token)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "user"],
                condition=Q(revoked_at__isnull=True),
                name="one_live_calendar_token",
            )
        ]

    def __str__(self):
        return f"Calendar feed of {self.user}"
