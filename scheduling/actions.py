"""What a person does about a booking, and the page where they do it.

Every notice, e-mail, calendar entry and list that mentions a booking links to
`action_for(booking, user).url`: the page where that person does what it asks.
Scheduling knows bookings, people and cover, so it answers for cover duty and,
by default, with the booking's own page. Higher apps answer for what they own
(cycles: hosting a visit, a debrief or pre-brief; observations: observing)
without scheduling importing them:

    register_action_source(source, order=50)

where source(booking, user) returns an Action or None; a source may name, as
`source.prefetch`, the lookups it reads from a booking, so that a list of
bookings is read for it at once (prefetch_actions). Sources are asked in
`order` (lower first, then registration order); the first Action wins; when
none answers, cover duty leads to the booking page's cover section, anything
else to the booking page.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.urls import reverse

# The words on buttons, one per kind of action.
OBSERVE = "Observe"
HOST = "Host"
COVER = "Cover"
DEBRIEF = "Debrief"
PREBRIEF = "Pre-brief"
FACILITATE = "Facilitate"
REFLECT = "Reflect"
OPEN = "Open"

COVER_ANCHOR = "cover"


@dataclass(frozen=True)
class Action:
    """A button: its sentence (label), where it goes (url, a path) and its word."""

    label: str
    url: str
    verb: str

    @property
    def absolute_url(self) -> str:
        """The url with JEL_BASE_URL in front, for e-mails and calendars."""
        return absolute(self.url)

    @property
    def is_booking_page(self) -> bool:
        """True when it only leads to the booking's own page (nothing more to do)."""
        return self.verb == OPEN


def absolute(path: str) -> str:
    if not path or "://" in path:
        return path
    return f"{settings.JEL_BASE_URL.rstrip('/')}{path}"


_sources: list[tuple[int, int, Callable]] = []


def register_action_source(source: Callable, *, order: int = 50) -> None:
    """Add source(booking, user) -> Action | None; registering twice is a no-op."""
    if any(existing is source for _o, _n, existing in _sources):
        return
    _sources.append((order, len(_sources), source))
    _sources.sort(key=lambda item: (item[0], item[1]))


def prefetch_actions(bookings) -> list:
    """Bookings read at once for what every source's action_for reads of them
    (a week or a feed of them): a fixed number of queries, not some per booking."""
    bookings = list(bookings)
    lookups = dict.fromkeys(
        lookup
        for _order, _n, source in _sources
        for lookup in getattr(source, "prefetch", ())
    )
    if bookings and lookups:
        prefetch_related_objects(bookings, *lookups)
    return bookings


def booking_url(booking) -> str:
    return reverse("scheduling:booking_detail", args=[booking.pk])


def default_action(booking) -> Action:
    return Action(label=f"See {booking.title}", url=booking_url(booking), verb=OPEN)


def cover_action(booking, user) -> Action | None:
    """The user's cover duty at this booking, if they cover someone's class."""
    for cover in _coverages(booking):
        if cover.covered_by_id == user.pk:
            course = cover.section.course if cover.section_id else "class"
            return Action(
                label=f"Cover {cover.observer}'s {course}",
                url=f"{booking_url(booking)}#{COVER_ANCHOR}",
                verb=COVER,
            )
    return None


def _coverages(booking):
    if "coverages" in getattr(booking, "_prefetched_objects_cache", {}):
        return booking.coverages.all()
    # Not prefetched (one booking's reminders): the duty's words in one query.
    return booking.coverages.select_related("observer", "section")


def action_for(booking, user) -> Action:
    """The one thing `user` does about `booking`, and where they do it."""
    if user is not None and not booking.is_cancelled:
        for _order, _n, source in _sources:
            action = source(booking, user)
            if action is not None:
                return action
        action = cover_action(booking, user)
        if action is not None:
            return action
    return default_action(booking)
