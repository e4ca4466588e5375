"""Home page panels: this week's visits, follow-ups due, notes of thanks."""

import datetime

from django.utils import timezone

from jel.dates import week_start
from observations import selectors
from scheduling import panels as schedule_panels


def visits_panel(request) -> dict | None:
    """Visits the user observes or hosts today and in the rest of this week."""
    today = timezone.localdate()
    week_end = week_start(today) + datetime.timedelta(days=6)
    visits = list(
        selectors.visits_for_person(user=request.user, start=today, end=week_end)
    )
    if not visits:
        return None
    return {
        "today": [visit for visit in visits if visit.date == today],
        "later": [visit for visit in visits if visit.date != today],
        "user": request.user,
    }


def visit_bookings_listed_here(request, bookings):
    """The schedule's home panel leaves these visits to the panel above."""
    return selectors.bookings_of_visits_for_person(user=request.user, bookings=bookings)


# Loaded from ObservationsConfig.ready(), with the panels of this module.
schedule_panels.add_home_bookings_shown_elsewhere(visit_bookings_listed_here)


def follow_ups(request) -> dict | None:
    """Goals whose follow-up day has come: the check-in is waiting."""
    today = timezone.localdate()
    goals = list(selectors.goals_due_for_follow_up(user=request.user, today=today))
    if not goals:
        return None
    return {"goals": goals, "today": today}


def thanks_panel(request) -> dict | None:
    """Bright spots observers noted in the user's room that they have not read."""
    count = selectors.new_bright_spots_for_host(user=request.user).count()
    if not count:
        return None
    return {"count": count}
