"""The core: people, districts, schools, and each person's role in a school."""

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

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "name"], name="school_name_unique"
            )
        ]

    def __str__(self):
        return self.name

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def grade_span(self) -> str:
        grades = sorted(self.grade_levels)
        if not grades:
            return ""
        label = {0: "K"}
        return f"{label.get(grades[0], grades[0])}-{label.get(grades[-1], grades[-1])}"


class Role(models.TextChoices):
    PRINCIPAL = "principal", "Principal / building leader"
    COACH = "coach", "Coach"
    MENTOR = "mentor", "Mentor"
    TEACHER = "teacher", "Teacher"
    DISTRICT = "district", "District staff"


# Who may do what, by role. Views name these sets rather than spelling roles out.
LEADERS = frozenset({Role.PRINCIPAL})
FACILITATORS = frozenset({Role.PRINCIPAL, Role.COACH, Role.MENTOR})
EVALUATORS = frozenset({Role.PRINCIPAL, Role.DISTRICT})
SCHOOL_STAFF = frozenset({Role.PRINCIPAL, Role.COACH, Role.MENTOR, Role.TEACHER})
ALL_ROLES = frozenset(Role)


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

    class Meta:
        ordering = ["school__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "school"], name="one_role_per_school"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.school}"


class StaffProfile(models.Model):
    """What a school knows about a staff member's teaching."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="profile"
    )
    years_experience = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(60)]
    )
    department = models.CharField(max_length=80, blank=True)
    grade_levels = models.JSONField(default=list, blank=True)

    objects = ScopedManager(school="school")

    def __str__(self):
        return f"Profile of {self.membership.user}"

    @property
    def is_new_teacher(self) -> bool:
        return self.years_experience < NEW_TEACHER_YEARS
