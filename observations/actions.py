"""Observations' answer to scheduling.actions.action_for: observers observe.

Registered before cycles' answer, so an observer of a visit in any cycle (a
one-visit micro-observation planned through "Plan a visit" too), in any week,
is sent to the capture page.
"""

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import prefetch_related_objects
from django.urls import reverse

from scheduling import actions


def action_source(booking, user):
    try:
        visit = booking.visit
    except ObjectDoesNotExist:  # not a cycle's visit
        return None
    if "observers" not in getattr(visit, "_prefetched_objects_cache", {}):
        # Asked once per person of the booking: read the observers once.
        prefetch_related_objects([visit], "observers")
    if not any(o.pk == user.pk for o in visit.observers.all()):
        return None
    host = visit.host.full_name if visit.host_id else "the host"
    return actions.Action(
        label=f"Record evidence in {host}'s class",
        url=reverse("observations:capture", args=[visit.pk]),
        verb=actions.OBSERVE,
    )


# What action_source reads of a booking, for a list of them (prefetch_actions).
action_source.prefetch = ("visit__observers", "visit__host")
