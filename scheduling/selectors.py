"""Reads of the master schedule: what kind of day a date is, who teaches when.

All selectors take the school explicitly or fall back to the active
django-scopes scope, and run inside that scope.
"""

import copy
import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q

from jel.dates import week_start
from jel.permissions import ABILITIES
from scheduling.actions import prefetch_actions
from scheduling.conflict_rules import Conflict, booking_check
from scheduling.day_facts import (
    DayInfo,
    bell_schedule,
    calendar_reads,
    day_info,
    day_infos,
    period_label,
    period_labels_on,
    period_on,
    school_has_windows,
    school_or_scope,
    sections_meeting,
    sections_of,
    slot_in,
    windows_on,
    with_details,
)
from scheduling.models import (
    Booking,
    CalendarToken,
    Coverage,
    CoverRelease,
    Period,
    Section,
)
from scheduling.suggestions import (
    BookingFeedback,
    CoverageOption,
    CoverNeed,
    Slot,
    booking_feedback,
    booking_suggestions,
    cover_plan_for,
    coverage_suggestions,
)

# The reads of a day and of a booking request live beside the rules they serve
# (scheduling.day_facts, conflict_rules, suggestions); callers read them here.
__all__ = [
    "BookingFeedback",
    "Conflict",
    "CoverNeed",
    "CoverageOption",
    "DayInfo",
    "Slot",
    "booking_check",
    "booking_feedback",
    "booking_suggestions",
    "cover_plan_for",
    "coverage_suggestions",
    "day_info",
    "day_infos",
    "period_label",
    "period_labels_on",
    "period_on",
    "school_has_windows",
    "sections_meeting",
    "slot_in",
    "week_start",
    "windows_on",
    "with_details",
]

_school = school_or_scope


def periods_on(*, school=None, day: dt.date) -> list[Period]:
    """The bell schedule of a date, in order; empty when there is no school."""
    info = day_info(school=school, day=day)
    if not info.is_school_day:
        return []
    return list(bell_schedule(info.day_type))


def class_periods_on(*, school=None, day: dt.date) -> list[Period]:
    return [
        p for p in periods_on(school=school, day=day) if p.kind == Period.Kind.CLASS
    ]


def teaching_periods(*, user, day: dt.date, school=None) -> list[Period]:
    """The periods of a date in which user teaches; each carries `.section`."""
    info = day_info(school=school, day=day)
    if not info.is_school_day:
        return []
    today = {
        p.number: p for p in bell_schedule(info.day_type) if p.kind == Period.Kind.CLASS
    }
    taught = []
    for section in sections_of(
        school=_school(school), day=day, day_type=info.day_type, teacher=user
    ):
        period = today.get(section.period.number)
        if period is not None:
            # A copy: the bell schedule may be shared (calendar_reads), and
            # .section is this teacher's.
            period = copy.copy(period)
            period.section = section
            taught.append(period)
    return sorted(taught, key=lambda p: p.starts_at)


def planning_periods(*, user, day: dt.date, school=None) -> list[Period]:
    """The class periods of a date in which user does not teach."""
    taught = {p.number for p in teaching_periods(user=user, day=day, school=school)}
    return [
        p for p in class_periods_on(school=school, day=day) if p.number not in taught
    ]


def bookings_for_user(*, user, start, end, school=None, include_cancelled=False):
    """Bookings user is in (any role, or covering a class) between two dates."""
    school = _school(school)
    if isinstance(start, dt.datetime):
        start = start.date()
    if isinstance(end, dt.datetime):
        end = end.date()
    bookings = Booking.objects.filter(
        school=school, date__gte=start, date__lte=end
    ).filter(Q(people__user=user) | Q(host=user) | Q(coverages__covered_by=user))
    if not include_cancelled:
        bookings = bookings.filter(status=Booking.Status.SCHEDULED)
    # The school too: a cover duty's times are read at its time zone.
    return with_details(bookings.distinct()).select_related("school")


def feed_bookings(*, user, start, end, school=None) -> list[Booking]:
    """What user's calendar feed shows: their bookings, cancelled ones too, and
    those where they no longer cover a class (shown as cancelled duties)."""
    school = _school(school)
    mine = bookings_for_user(
        user=user, school=school, start=start, end=end, include_cancelled=True
    )
    released = Booking.objects.filter(
        school=school,
        date__gte=start,
        date__lte=end,
        cover_releases__released=user,
    )
    ids = set(mine.values_list("pk", flat=True)) | set(
        released.values_list("pk", flat=True)
    )
    return prefetch_actions(
        # The school too: each event is written at the school's time zone.
        with_details(
            Booking.objects.filter(pk__in=ids).select_related("school")
        ).prefetch_related(
            Prefetch(
                "cover_releases",
                queryset=CoverRelease.objects.filter(released=user).select_related(
                    "observer", "section", "section__period", "section__room"
                ),
            )
        )
    )


def bookings_between(*, school=None, start: dt.date, end: dt.date):
    """The school's scheduled bookings between two dates, with their people."""
    school = _school(school)
    return with_details(
        Booking.objects.filter(
            school=school,
            date__gte=start,
            date__lte=end,
            status=Booking.Status.SCHEDULED,
        )
    )


def coverage_counts(*, school=None, start: dt.date, end: dt.date) -> list[dict]:
    """How many classes each colleague covered, most first, for fairness checks."""
    school = _school(school)
    rows = (
        Coverage.objects.filter(
            school=school,
            covered_by__isnull=False,
            booking__status=Booking.Status.SCHEDULED,
            booking__date__gte=start,
            booking__date__lte=end,
        )
        .values("covered_by", "covered_by__full_name")
        .annotate(count=Count("id"))
        .order_by("-count", "covered_by__full_name")
    )
    return [
        {
            "user_id": r["covered_by"],
            "name": r["covered_by__full_name"],
            "count": r["count"],
        }
        for r in rows
    ]


def calendar_token_for(*, user, school=None):
    """The person's live feed token here, if any."""
    return CalendarToken.objects.filter(
        school=_school(school), user=user, revoked_at__isnull=True
    ).first()


@dataclass
class WeekRow:
    """One period of a person's day: what they teach, visit or cover then."""

    period: Period
    section: Section | None = None
    entries: list = None  # (booking, what) pairs: "host", "observer", "covering"

    @property
    def is_planning(self) -> bool:
        return self.period.kind == Period.Kind.CLASS and self.section is None


@dataclass
class WeekDay:
    info: DayInfo
    rows: list
    other: list  # bookings outside any period (after school)

    @property
    def date(self):
        return self.info.date


def role_of(booking, user) -> str:
    if booking.host_id == user.pk:
        return "host"
    for person in booking.people.all():
        if person.user_id == user.pk:
            return person.role
    return "covering"


def week_for_user(*, user, monday: dt.date, school=None) -> list[WeekDay]:
    """A person's Monday-Friday: periods, classes, planning, bookings, cover duties."""
    school = _school(school)
    friday = monday + dt.timedelta(days=4)
    by_date: dict = {}
    # Each booking's button (action_for) is read with the week, not one by one.
    for booking in prefetch_actions(
        bookings_for_user(user=user, start=monday, end=friday, school=school)
    ):
        by_date.setdefault(booking.date, []).append(booking)
    # The person's sections of the week's terms, read once for the five days.
    sections = [
        (section, {d.pk for d in section.meets_on.all()})
        for section in Section.objects.filter(
            school=school,
            is_active=True,
            teacher=user,
            term__starts_on__lte=friday,
            term__ends_on__gte=monday,
        )
        .select_related("period", "room", "teacher", "term")
        .prefetch_related("meets_on")
    ]
    with calendar_reads():  # a bell schedule is read once for the week
        return _week_days(school, user, monday, friday, sections, by_date)


def _week_days(school, user, monday, friday, sections, by_date) -> list[WeekDay]:
    days = []
    for day, info in day_infos(school=school, start=monday, end=friday).items():
        if not info.is_school_day:
            days.append(WeekDay(info, [], []))
            continue
        # As sections_meeting: of a term running that day, meeting on every
        # day type (none named) or on this one.
        taught = {
            s.period.number: s
            for s, meets_on in sections
            if s.term.starts_on <= day <= s.term.ends_on
            and (not meets_on or info.day_type.pk in meets_on)
        }
        rows = [
            WeekRow(
                period=p,
                section=taught.get(p.number) if p.kind == Period.Kind.CLASS else None,
                entries=[],
            )
            for p in bell_schedule(info.day_type)
        ]
        other = []
        tz = school.tz
        for booking in by_date.get(day, []):
            start = booking.starts_at.astimezone(tz).time()
            role = role_of(booking, user)
            row = next(
                (r for r in rows if r.period.starts_at <= start < r.period.ends_at),
                None,
            )
            if row is None:
                other.append((booking, role))
            else:
                row.entries.append((booking, role))
        days.append(WeekDay(info, rows, other))
    return days


def school_week(*, monday: dt.date, school=None) -> list[tuple]:
    """Each weekday of the week with the school's bookings that day."""
    school = _school(school)
    friday = monday + dt.timedelta(days=4)
    by_date: dict = {}
    for booking in bookings_between(school=school, start=monday, end=friday):
        by_date.setdefault(booking.date, []).append(booking)
    infos = day_infos(school=school, start=monday, end=friday)
    return [(info, by_date.get(day, [])) for day, info in infos.items()]


def coverage_on(*, day: dt.date, school=None):
    """Every class covered on a date, in time order, for the office's plan."""
    school = _school(school)
    return (
        Coverage.objects.filter(
            school=school,
            booking__date=day,
            booking__status=Booking.Status.SCHEDULED,
        )
        .select_related(
            "booking",
            "booking__room",
            "booking__period",
            "observer",
            "covered_by",
            "section",
            "section__room",
            "section__period",
        )
        .order_by("booking__starts_at", "observer__full_name")
    )


def booking_is_visible_to(*, booking, user, role) -> bool:
    """Visit planners see every booking; others only the ones they are in or cover."""
    if role in ABILITIES["plan_visits"]:
        return True
    if booking.host_id == user.pk:
        return True
    if any(p.user_id == user.pk for p in booking.people.all()):
        return True
    return any(c.covered_by_id == user.pk for c in booking.coverages.all())
