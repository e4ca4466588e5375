"""Cycles' answers to scheduling.actions.action_for.

A visit's host goes to the booking page's host section (time, room, who comes),
its facilitator (there to lead the group, not to record) to the cycle's page;
a debrief's or pre-brief's people go to the debrief page or the cycle's
pre-brief. Observing a visit is observations' answer (its capture page), given
before this one.
"""

from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse

from scheduling import actions

HOST_ANCHOR = "host"
PREBRIEF_ANCHOR = "prebrief"


def _related(booking, name):
    try:
        return getattr(booking, name)
    except ObjectDoesNotExist:  # a reverse one-to-one with no row
        return None


def _in_booking(booking, user) -> bool:
    return any(p.user_id == user.pk for p in booking.people.all())


def _in_cycle(cycle, user) -> bool:
    return cycle.facilitator_id == user.pk or any(
        m.user_id == user.pk for m in cycle.memberships.all()
    )


def action_source(booking, user):
    visit = _related(booking, "visit")
    if visit is not None:
        if visit.host_id == user.pk or booking.host_id == user.pk:
            return actions.Action(
                label="What to expect when visitors come to your class",
                url=f"{actions.booking_url(booking)}#{HOST_ANCHOR}",
                verb=actions.HOST,
            )
        if visit.cycle.facilitator_id == user.pk:
            return actions.Action(
                label=f"Facilitate {visit.cycle.title}",
                url=reverse("cycles:detail", args=[visit.cycle_id]),
                verb=actions.FACILITATE,
            )
        return None
    debrief = _related(booking, "debrief")
    if debrief is not None:
        if _in_booking(booking, user) or _in_cycle(debrief.cycle, user):
            return actions.Action(
                label=f"Debrief of {debrief.cycle.title}",
                url=reverse("cycles:debrief", args=[debrief.pk]),
                verb=actions.DEBRIEF,
            )
        return None
    cycle = _related(booking, "prebrief_of")
    if cycle is not None and (_in_booking(booking, user) or _in_cycle(cycle, user)):
        return actions.Action(
            label=f"Pre-brief of {cycle.title}",
            url=reverse("cycles:detail", args=[cycle.pk]) + f"#{PREBRIEF_ANCHOR}",
            verb=actions.PREBRIEF,
        )
    return None


# What action_source reads of a booking, for a list of them (prefetch_actions).
action_source.prefetch = (
    "visit__cycle__memberships",
    "debrief__cycle__memberships",
    "prebrief_of__memberships",
)
