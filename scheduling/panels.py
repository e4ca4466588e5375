"""Blocks this app adds to the home and profile pages (see jel.registry)."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from jel.dates import week_start
from jel.permissions import can
from scheduling import selectors


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
    items = [
        {"booking": b, "role": selectors.role_of(b, request.user)} for b in bookings
    ]
    return {
        "today": [i for i in items if i["booking"].date == today],
        "later": [i for i in items if i["booking"].date > today],
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
