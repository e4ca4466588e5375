"""The core: people, districts, schools, and each person's role in a school."""

import datetime
import zoneinfo

from django.contrib.auth.models import (
    AbstractBaseUser,
    BaseUserManager,
    PermissionsMixin,
)
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django_scopes import ScopedManager

from jel.concurrency import Versioned
from jel.dates import grade_span

NEW_TEACHER_YEARS = 3


def time_zone_choices():
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their school e-mail address."""

    email = models.EmailField("e-mail address", unique=True)
    full_name = models.CharField(max_length=150)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        "admin site access", default=False, help_text="Superusers only in practice."
    )
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


class District(models.Model):
    name = models.CharField(max_length=200, unique=True)
    # The SIS's OneRoster sourcedId of the district org, once a roster named it.
    sourced_id = models.CharField(max_length=255, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["sourced_id"],
                condition=~models.Q(sourced_id=""),
                name="district_sourced_id_unique",
            )
        ]

    def __str__(self):
        return self.name


class School(models.Model):
    """The tenant: every school-owned record points here."""

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="schools"
    )
    name = models.CharField(max_length=200)
    time_zone = models.CharField(
        max_length=64, default="America/New_York", choices=time_zone_choices
    )
    privacy_threshold = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(2), MaxValueValidator(50)],
        help_text="Aggregates over fewer classrooms than this are suppressed.",
    )
    grade_levels = models.JSONField(
        default=list, help_text="Grades taught here, e.g. [6, 7, 8]; 0 is kindergarten."
    )
    sourced_id = models.CharField(
        max_length=255, blank=True, help_text="The school org's OneRoster sourcedId."
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "name"], name="school_name_unique"
            ),
            models.UniqueConstraint(
                fields=["district", "sourced_id"],
                condition=~models.Q(sourced_id=""),
                name="school_sourced_id_unique",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def grade_span(self) -> str:
        return grade_span(self.grade_levels)


class Role(models.TextChoices):
    PRINCIPAL = "principal", "Principal / building leader"
    COACH = "coach", "Coach"
    MENTOR = "mentor", "Mentor"
    TEACHER = "teacher", "Teacher"
    DISTRICT = "district", "District staff"
    # From a roster: no observing or coaching ability until a principal grants one.
    AIDE = "aide", "Aide"


# Which roles may do what lives in jel/permissions.py (role sets and abilities).


class SchoolOwned(models.Model):
    """A row that belongs to exactly one school, scoped by django-scopes.

    An unscoped query fails loudly; middleware scopes each request to the
    user's current school, so another school's row is simply not found.
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")

    objects = ScopedManager(school="school")

    class Meta:
        abstract = True


class Membership(models.Model):
    """A user's role in one school. One user may belong to several schools.

    Not scoped by django-scopes: the scope middleware reads it to find the scope.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # From a OneRoster import: the person's sourcedId and the role the roster
    # gave. While `role` equals `roster_role` a new roster may change it; once
    # a principal set another role, re-imports keep theirs.
    sourced_id = models.CharField(max_length=255, blank=True)
    roster_role = models.CharField(max_length=16, blank=True, choices=Role.choices)

    class Meta:
        ordering = ["school__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "school"], name="one_role_per_school"
            )
        ]
        indexes = [
            models.Index(fields=["school", "sourced_id"], name="membership_sourced_idx")
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.school}"


class StaffProfile(SchoolOwned):
    """What a school knows about a staff member's teaching."""

    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="profile"
    )
    years_experience = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(60)]
    )
    department = models.CharField(max_length=80, blank=True)
    grade_levels = models.JSONField(default=list, blank=True)

    def __str__(self):
        return f"Profile of {self.membership.user}"

    @property
    def is_new_teacher(self) -> bool:
        return self.years_experience < NEW_TEACHER_YEARS


# --- Reminders and notifications ---------------------------------------------
# Reminders live in the core so every app can schedule them without importing
# a higher app: scheduling derives visit reminders, cycles debrief reminders,
# observations goal follow-ups; jel delivers them all, exactly once.


class ReminderKind(models.TextChoices):
    VISIT_TOMORROW = "visit_tomorrow", "Visit tomorrow"
    VISIT_SOON = "visit_soon", "Visit starting soon"
    PREBRIEF = "prebrief", "Lab pre-brief"
    DEBRIEF_DUE = "debrief_due", "Debrief due"
    DEBRIEF_MEETING = "debrief_meeting", "Debrief meeting"
    MICRO_DEBRIEF_NUDGE = "micro_debrief_nudge", "Micro-observation debrief nudge"
    DEBRIEF_OVERDUE = "debrief_overdue", "Debrief overdue"
    REFLECTION_PROMPT = "reflection_prompt", "Reflection prompt"
    GOAL_FOLLOW_UP = "goal_follow_up", "Goal follow-up"
    WEEKLY_DIGEST = "weekly_digest", "Weekly digest for coaches"
    HOST_REQUEST = "host_request", "Asked to host a lab"
    HOST_ANSWER = "host_answer", "A host answered your request"
    COVER_ASKED = "cover_asked", "Asked to cover a class"
    REFLECTION_SHARED = "reflection_shared", "A reflection shared with you"
    REFLECTION_REPLY = "reflection_reply", "A reply to your reflection"
    BRIGHT_SPOT = "bright_spot", "Bright spots (from your room, or yours on the wall)"
    MORE_TODAY = "more_today", "More today (notices past your daily limit)"


class ReminderState(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    CANCELLED = "cancelled", "Cancelled"
    FAILED = "failed", "Failed"
    # Sent inside another notice: a block's (fold_key) or the day's "more today".
    FOLDED = "folded", "Folded into another notice"


class Reminder(SchoolOwned):
    """A message due at a time to a person; e-mailed once and shown in the app."""

    recipient = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=32, choices=ReminderKind.choices)
    # What the reminder is about, e.g. "booking:42" or "goal:7": its derivations
    # are found, moved and cancelled by this key.
    about = models.CharField(max_length=64)
    due_at = models.DateTimeField()
    # When e-mail may go out: due_at, later for quiet hours or a retry's backoff.
    send_after = models.DateTimeField()
    state = models.CharField(
        max_length=16, choices=ReminderState.choices, default=ReminderState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    claim_token = models.UUIDField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    link = models.CharField(max_length=300, blank=True)
    ics = models.TextField(blank=True, help_text="An iCalendar attachment, if any.")
    is_deadline = models.BooleanField(default=False)
    # Notices of one kind to one person with the same fold key (a block of
    # visits, a day) go out as one: the first, listing each in `items`.
    fold_key = models.CharField(max_length=64, blank=True)
    folded_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    items = models.JSONField(
        default=list, blank=True, help_text='Folded notices: [{"text", "link"}].'
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-due_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "about", "recipient", "due_at"],
                name="reminder_unique_key",
            )
        ]
        indexes = [
            models.Index(fields=["state", "send_after"], name="reminder_due_idx"),
            models.Index(fields=["recipient", "due_at"], name="reminder_inbox_idx"),
            models.Index(fields=["about"], name="reminder_about_idx"),
        ]

    def __str__(self):
        when = f"{self.due_at:%Y-%m-%d %H:%M}"
        return f"{self.get_kind_display()} for {self.recipient} at {when}"

    @property
    def key(self) -> str:
        return f"{self.kind}|{self.about}|{self.recipient_id}|{self.due_at.isoformat()}"


class OutboundEmail(SchoolOwned):
    """The outbox: an e-mail JEL has decided to send, written in the same
    transaction that marks its reminder sent, then shipped by a task.

    Its unique key makes the decision exactly-once. Shipping is at-least-once:
    a shipper claims the row (`shipping_token`, `shipping_since`), hands the
    message to the mail server outside any transaction, then marks it shipped
    in one statement. Only a process killed between the server's acceptance and
    that statement causes a resend, with the same Message-ID.
    """

    key = models.CharField(max_length=200, unique=True)
    to = models.EmailField()
    # The person the message is from, if any ("Name <address>"): replies reach
    # them, not JEL's sending address.
    reply_to = models.CharField(max_length=300, blank=True)
    subject = models.CharField(max_length=200)
    text = models.TextField()
    html = models.TextField(blank=True)
    ics = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    shipping_token = models.UUIDField(null=True, blank=True, editable=False)
    shipping_since = models.DateTimeField(null=True, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["shipped_at", "created_at"], name="outbox_unshipped")
        ]

    def __str__(self):
        return f"{self.subject} → {self.to}"


class NotificationSettings(Versioned, SchoolOwned):
    """A person's e-mail choices in one school; in-app notices are always on."""

    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="notification_settings"
    )
    email_off = models.JSONField(
        default=list, blank=True, help_text="Reminder kinds not to e-mail."
    )
    quiet_start = models.TimeField(default=datetime.time(20, 0))
    quiet_end = models.TimeField(default=datetime.time(7, 0))

    def __str__(self):
        return f"Notification settings of {self.membership.user}"

    @classmethod
    def for_membership(cls, membership: "Membership") -> "NotificationSettings":
        """The person's saved choices, or the defaults (unsaved) if they made none."""
        found = cls.objects.filter(membership=membership).first()
        return found or cls(membership=membership, school_id=membership.school_id)

    def wants_email(self, kind: str) -> bool:
        return kind not in self.email_off


class ReminderTimings(Versioned, SchoolOwned):
    """When each kind of reminder goes out at one school; a principal edits them."""

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="+")
    visit_tomorrow_at = models.TimeField(
        "Visit tomorrow: time on the school day before", default=datetime.time(16, 0)
    )
    visit_soon_minutes = models.PositiveSmallIntegerField(
        "Visit soon: minutes before the visit",
        default=15,
        validators=[MinValueValidator(5), MaxValueValidator(120)],
    )
    reflection_prompt_at = models.TimeField(
        "Reflection prompt: time on the afternoon of the visit",
        default=datetime.time(15, 30),
    )
    micro_debrief_nudge_hours = models.PositiveSmallIntegerField(
        "Micro-observation debrief: hours after the visit for the nudge",
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(23)],
    )
    follow_up_at = models.TimeField(
        "Goal follow-up: time on the follow-up day", default=datetime.time(7, 30)
    )
    follow_up_again_days = models.PositiveSmallIntegerField(
        "Goal follow-up: days later to ask again",
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(14)],
    )
    digest_at = models.TimeField(
        "Weekly digest for coaches: time on Monday", default=datetime.time(7, 0)
    )
    daily_cap = models.PositiveSmallIntegerField(
        "Most notices a person gets in a day",
        default=6,
        validators=[MinValueValidator(2), MaxValueValidator(30)],
        help_text="Past it, the day's other notices come together in one "
        "'more today' notice; deadlines always come on their own.",
    )
    more_today_at = models.TimeField(
        "'More today' notice: time of day", default=datetime.time(17, 0)
    )

    def __str__(self):
        return f"Reminder timings of {self.school}"

    @classmethod
    def for_school(cls, school: School) -> "ReminderTimings":
        """The school's timings, or the defaults when it has not changed them."""
        found = cls.objects.filter(school=school).first()
        return found or cls(school=school)
