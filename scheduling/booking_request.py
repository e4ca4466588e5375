"""One booking request: what someone asks the schedule for, in one object.

The service (booking_plan), the check (booking_check) and the suggestions all
take a BookingRequest, so the dozen fields of a booking are named once here
rather than in every signature.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from django.utils import timezone

from scheduling.models import Booking, BookingPerson, Period

# Value for an observer in BookingRequest.coverage when a substitute covers.
SUBSTITUTE = "substitute"


def normalise_coverage(coverage) -> dict:
    """{observer id: User or SUBSTITUTE} from a mapping keyed by users or ids."""
    plan = {}
    for observer, cover in (coverage or {}).items():
        key = getattr(observer, "pk", observer)
        plan[int(key)] = cover if cover is not None else SUBSTITUTE
    return plan


@dataclass(frozen=True)
class BookingRequest:
    """People, a room and a time someone wants booked (or checked) at a school.

    period and/or start_time say when (a start time alone for times outside the
    periods, such as after school); coverage maps each observer who teaches then
    to a colleague or SUBSTITUTE, and its keys are the people whose class is
    covered. exclude_booking_id names the booking being moved (or a frozenset
    of ids: a cycle's own bookings while its plan is checked again): it never
    conflicts with itself.
    """

    school: object
    date: dt.date
    kind: str = Booking.Kind.VISIT
    title: str = ""
    description: str = ""
    by: object = None
    period: Period | None = None
    start_time: dt.time | None = None
    minutes: int = 15
    host: object = None
    observers: tuple = ()
    facilitator: object = None
    attendees: tuple = ()
    room: object = None
    coverage: Mapping = field(default_factory=dict)
    window_override_reason: str = ""
    exclude_booking_id: int | frozenset | None = None

    def __post_init__(self):
        # Frozen: normalise through object.__setattr__, once, idempotently.
        start = self.start_time
        if isinstance(start, dt.datetime):
            start = timezone.localtime(start, self.school.tz).time()
        set_ = object.__setattr__
        set_(self, "start_time", start.replace(tzinfo=None) if start else None)
        set_(self, "observers", tuple(self.observers or ()))
        set_(self, "attendees", tuple(self.attendees or ()))
        set_(self, "coverage", normalise_coverage(self.coverage))
        set_(self, "window_override_reason", self.window_override_reason or "")

    @classmethod
    def for_booking(cls, booking, **changes) -> "BookingRequest":
        """The request that would book an existing booking again, with changes."""
        by_role: dict = {}
        for person in booking.people.all():
            by_role.setdefault(person.role, []).append(person.user)
        facilitators = by_role.get(BookingPerson.Role.FACILITATOR, [])
        fields = {
            "school": booking.school,
            "date": booking.date,
            "kind": booking.kind,
            "title": booking.title,
            "description": booking.description,
            "period": booking.period,
            "start_time": timezone.localtime(booking.starts_at, booking.school.tz),
            "minutes": booking.minutes,
            "host": booking.host,
            "observers": by_role.get(BookingPerson.Role.OBSERVER, []),
            "facilitator": facilitators[0] if facilitators else None,
            "attendees": by_role.get(BookingPerson.Role.ATTENDEE, []),
            "room": booking.room,
            "coverage": {
                c.observer_id: c.covered_by or SUBSTITUTE
                for c in booking.coverages.all()
            },
            "window_override_reason": booking.window_override_reason,
            "exclude_booking_id": booking.pk,
        }
        return cls(**{**fields, **changes})

    @classmethod
    def for_move(
        cls,
        booking,
        *,
        date,
        period=None,
        start_time=None,
        minutes=None,
        room=None,
        coverage=None,
        window_override_reason=None,
    ) -> "BookingRequest":
        """The request that moves a booking; its people and cover follow unless
        replaced, and a visit follows its host's class into that class's room."""
        changes = {
            "date": date,
            "period": period,
            "start_time": start_time,
            "minutes": minutes or booking.minutes,
            "room": room,
        }
        if room is None and booking.kind != Booking.Kind.VISIT:
            changes["room"] = booking.room
        if coverage is not None:
            changes["coverage"] = coverage
        if window_override_reason is not None:
            changes["window_override_reason"] = window_override_reason
        return cls.for_booking(booking, **changes)

    def but(self, **changes) -> "BookingRequest":
        """The same request with some fields changed."""
        return replace(self, **changes)

    @property
    def is_visit(self) -> bool:
        return self.kind == Booking.Kind.VISIT

    @property
    def participants(self) -> list[tuple]:
        """(user, role) of everyone but the host, each once, observers first."""
        seen = {self.host.pk} if self.host is not None else set()
        pairs = []
        for users, role in (
            (self.observers, BookingPerson.Role.OBSERVER),
            (
                [self.facilitator] if self.facilitator else [],
                BookingPerson.Role.FACILITATOR,
            ),
            (self.attendees, BookingPerson.Role.ATTENDEE),
        ):
            for user in users:
                if user.pk not in seen:
                    seen.add(user.pk)
                    pairs.append((user, role))
        return pairs

    @property
    def everyone(self) -> list[tuple]:
        """(user, role) of the host (first) and every participant."""
        host = [(self.host, BookingPerson.Role.HOST)] if self.host is not None else []
        return host + self.participants

    @property
    def people_ids(self) -> set[int]:
        return {user.pk for user, _role in self.everyone}

    @property
    def covered_ids(self) -> set[int]:
        """Who has cover arranged for their class, so their teaching is no conflict."""
        return set(self.coverage)
