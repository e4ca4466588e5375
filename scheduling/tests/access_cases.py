import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from jel.tests.access import AccessCase
from scheduling.models import (
    Booking,
    BookingPerson,
    Coverage,
    DayType,
    ObservationWindow,
    Period,
)

PUBLIC = {
    "scheduling:feed": "calendar apps cannot sign in; the 256-bit token in the "
    "address is the key, and a revoked or unknown token answers 404 "
    "(scheduling/tests/test_feed.py)",
}


def _marker(cast):
    return cast.school.name


@scopes_disabled()
def _day_type(cast):
    day_type, _ = DayType.objects.get_or_create(
        school=cast.school, name="Regular", defaults={"is_default": True}
    )
    return day_type


@scopes_disabled()
def _booking(cast):
    """A visit to cast.teacher's class, observed by the coach (made once)."""
    if "booking" not in cast.objects:
        cast.objects["booking"] = _new_booking(cast)
    return cast.objects["booking"]


def _new_booking(cast):
    day_type = _day_type(cast)
    period, _ = Period.objects.get_or_create(
        school=cast.school,
        day_type=day_type,
        number=3,
        kind=Period.Kind.CLASS,
        defaults={
            "name": "Period 3",
            "starts_at": dt.time(9, 50),
            "ends_at": dt.time(10, 40),
        },
    )
    start = dt.datetime(2026, 12, 1, 9, 50, tzinfo=cast.school.tz)
    booking = Booking.objects.create(
        school=cast.school,
        kind=Booking.Kind.VISIT,
        title="Visit to Terry",
        date=start.date(),
        period=period,
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=15),
        host=cast.teacher,
        created_by=cast.principal,
    )
    BookingPerson.objects.create(
        school=cast.school, booking=booking, user=cast.teacher, role="host"
    )
    BookingPerson.objects.create(
        school=cast.school, booking=booking, user=cast.coach, role="observer"
    )
    return booking


@scopes_disabled()
def _coverage(cast):
    """The coach's class needs a substitute during the booking (made once)."""
    if "coverage" not in cast.objects:
        cast.objects["coverage"] = Coverage.objects.create(
            school=cast.school,
            booking=_booking(cast),
            observer=cast.coach,
            needs_substitute=True,
        )
    return cast.objects["coverage"]


@scopes_disabled()
def _window(cast):
    return ObservationWindow.objects.create(
        school=cast.school,
        name="Quarter 2 visits",
        starts_on=dt.date(2026, 11, 30),
        ends_on=dt.date(2026, 12, 11),
    )


def page(route, allowed="principal", wrong_role="teacher", **options):
    return AccessCase(
        route=route,
        url=lambda cast: reverse(route),
        allowed=allowed,
        wrong_role=wrong_role,
        record=False,
        marker=_marker,
        **options,
    )


CASES = [
    page(
        "scheduling:my_week",
        allowed="teacher",
        wrong_role=None,
        every_role_reason="everyone sees their own week",
    ),
    page("scheduling:school_week", allowed="coach"),
    page("scheduling:visit_check", method="post", data=lambda cast: {}),
    page("scheduling:period_times"),
    page("scheduling:coverage_plan", allowed="coach"),
    page(
        "scheduling:coverage_email",
        redirect="scheduling:coverage_plan",
        method="post",
        data=lambda cast: {
            "to": "office@school.example.org",
            "date": timezone.localdate().isoformat(),
        },
    ),
    page("scheduling:coverage_counts", wrong_role="coach"),
    page("scheduling:setup"),
    page("scheduling:day_type_new"),
    page("scheduling:window_new"),
    page("scheduling:school_days"),
    page(
        "scheduling:calendar_token",
        allowed="teacher",
        wrong_role=None,
        every_role_reason="everyone manages their own calendar address",
        redirect="profile",
        method="post",
        data=lambda cast: {"action": "regenerate"},
    ),
    page(
        "scheduling:api_bookings",
        allowed="teacher",
        wrong_role=None,
        every_role_reason="everyone reads their own bookings",
    ),
    page(
        "scheduling:api_check",
        method="post",
        data=lambda cast: {"date": "2026-12-01", "start_time": "15:10"},
    ),
    AccessCase(
        route="scheduling:booking_detail",
        url=lambda cast: reverse("scheduling:booking_detail", args=[_booking(cast).pk]),
        allowed="teacher",
        every_role_reason="anyone in a booking (any role) opens it",
        unrelated="outsider",
    ),
    AccessCase(
        route="scheduling:booking_ics",
        url=lambda cast: reverse("scheduling:booking_ics", args=[_booking(cast).pk]),
        allowed="teacher",
        every_role_reason="anyone in a booking (any role) downloads it",
        unrelated="outsider",
    ),
    AccessCase(
        route="scheduling:booking_cancel",
        url=lambda cast: reverse("scheduling:booking_cancel", args=[_booking(cast).pk]),
        allowed="principal",
        wrong_role="teacher",
        redirect="scheduling:booking_detail",
        method="post",
    ),
    AccessCase(
        route="scheduling:booking_move",
        url=lambda cast: reverse("scheduling:booking_move", args=[_booking(cast).pk]),
        allowed="principal",
        wrong_role="teacher",
    ),
    AccessCase(
        route="scheduling:coverage_assign",
        url=lambda cast: reverse(
            "scheduling:coverage_assign", args=[_coverage(cast).pk]
        ),
        allowed="principal",
        wrong_role="teacher",
        redirect="scheduling:booking_detail",
        method="post",
        data=lambda cast: {f"cover-{_coverage(cast).pk}-covered_by": "substitute"},
    ),
    AccessCase(
        route="scheduling:day_type_edit",
        url=lambda cast: reverse("scheduling:day_type_edit", args=[_day_type(cast).pk]),
        allowed="principal",
        wrong_role="teacher",
    ),
    AccessCase(
        route="scheduling:window_edit",
        url=lambda cast: reverse("scheduling:window_edit", args=[_window(cast).pk]),
        allowed="principal",
        wrong_role="teacher",
    ),
    AccessCase(
        route="scheduling:window_delete",
        url=lambda cast: reverse("scheduling:window_delete", args=[_window(cast).pk]),
        allowed="principal",
        wrong_role="teacher",
        redirect="scheduling:setup",
        method="post",
    ),
]
