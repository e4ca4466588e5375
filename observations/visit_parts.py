"""An observer's part in a visit on the cycle page, booked or not.

A past visit keeps its observer's way in: the observation they recorded, or
"Record late" while the visit's debrief is not held; a visit to come, Observe.
"""

from django.urls import reverse

from observations.models import Evidence
from observations.selectors import visit_has_started
from scheduling import actions

RECORD_LATE = "Record late"
YOUR_OBSERVATION = "Your observation"


def visit_part(*, visit, user, debrief_held: bool):
    if not any(o.pk == user.pk for o in visit.observers.all()):
        return None
    url = reverse("observations:capture", args=[visit.pk])
    host = visit.host.full_name if visit.host_id else "the host"
    if not visit_has_started(visit=visit):
        return actions.Action(
            label=f"Record evidence in {host}'s class",
            url=url,
            verb=actions.OBSERVE,
        )
    entries = Evidence.objects.filter(
        observation__visit=visit, observation__observer=user
    ).count()
    if entries:
        noun = "entry" if entries == 1 else "entries"
        return actions.Action(
            label=f"what you recorded in {host}'s class ({entries} {noun})",
            url=url,
            verb=YOUR_OBSERVATION,
        )
    if debrief_held:
        return None
    return actions.Action(
        label=f"you recorded nothing yet in {host}'s class", url=url, verb=RECORD_LATE
    )
