"""Blocks this app adds to the home and profile pages (see jel.registry)."""

import datetime as dt
from collections.abc import Callable

from django.urls import reverse
from django.utils import timezone

from jel.dates import week_start
from jel.permissions import can
from scheduling import selectors

# An app above this one that lists some of these bookings on home in its own
# panel, with what to do about them (observations: a visit with "Observe"),
# says which, so the same visit is not shown twice.
# Each hook: hook(request, bookings) -> the pks of the bookings it shows.
_shown_elsewhere: list[Callable] = []


def add_home_bookings_shown_elsewhere(hook: Callable) -> None:
    if hook not in _shown_elsewhere:
        _shown_elsewhere.append(hook)


def home_panel(request) -> dict | None:
    """The signed-in person's bookings today and for the rest of this week."""
    if request.membership is None:
        return None
    today = timezone.localdate()
    friday = week_start(today) + dt.timedelta(days=4)
    end = max(friday, today)
    bookings = list(
        selectors.bookings_for_user(user=request.user, start=today, end=end)
    )
    elsewhere: set = set()
    for hook in _shown_elsewhere:
        elsewhere |= set(hook(request, bookings))
    items = [
        {"booking": b, "role": selectors.role_of(b, request.user)}
        for b in bookings
        if b.pk not in elsewhere
    ]
    return {
        "today": [i for i in items if i["booking"].date == today],
        "later": [i for i in items if i["booking"].date > today],
        "visits_above": bool(elsewhere),
        "can_plan": can(request, "plan_visits"),
    }


def profile_panel(request) -> dict | None:
    """The person's calendar feed address, to subscribe, regenerate or revoke."""
    if request.membership is None:
        return None
    token = selectors.calendar_token_for(user=request.user)
    url = None
    if token is not None:
        url = request.build_absolute_uri(reverse("scheduling:feed", args=[token.token]))
    return {"token": token, "url": url}
