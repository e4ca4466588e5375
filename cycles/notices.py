"""A cycle's hand-offs, heard: a lab host is told they are asked, the planner
is told the answer.

Derived afresh from the cycle's hosts each time the cycle is planned, edited,
moved along or a host answers, and kept in step through the core's
reminders_sync (exactly once by its unique key). A request is asked once: its
time is that of the first notice, so re-deriving (an edit, new reminder times)
never asks again; an answer's time is the host's own (`responded_at`), so a
changed answer is told again and the same answer never twice.
"""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from cycles.models import Cycle, CycleParticipant
from jel.models import Reminder, ReminderKind, ReminderState
from jel.services import ReminderSpec, reminders_sync

HostResponse = CycleParticipant.HostResponse
# "host-request:<cycle>:<host>" and "host-answer:<cycle>:<host>".
ABOUT_REQUEST = "host-request"
ABOUT_ANSWER = "host-answer"
# A request or answer derived late (a worker down, a slow edit) still goes out.
LATE_OK = dt.timedelta(days=30)
# Where a host answers: the cycle page's "Will you host this lab?" section.
HOSTING_ANCHOR = "hosting-heading"


def _about(prefix: str, cycle: Cycle, user_id: int) -> str:
    return f"{prefix}:{cycle.pk}:{user_id}"


def _asked_at(about: str) -> dt.datetime | None:
    return (
        Reminder.objects.filter(about=about, kind=ReminderKind.HOST_REQUEST)
        .exclude(state=ReminderState.CANCELLED)
        .order_by("due_at")
        .values_list("due_at", flat=True)
        .first()
    )


def _askers(cycle: Cycle, host) -> list:
    """Who asked: the planner, and the facilitator if someone else."""
    people = {cycle.created_by, cycle.facilitator} - {None, host}
    return sorted(people, key=lambda user: user.pk)


def _request_specs(cycle: Cycle, part: CycleParticipant, about: str) -> list:
    if not cycle.is_open or part.host_response != HostResponse.PENDING:
        return []
    asker = cycle.created_by or cycle.facilitator
    by = f"{asker} asks" if asker else "You are asked"
    first = cycle.visits.order_by("date", "starts_at").first()
    when = f" on {first.date:%A %-d %B}" if first else ""
    return [
        ReminderSpec(
            kind=ReminderKind.HOST_REQUEST,
            recipient=part.user,
            due_at=_asked_at(about) or timezone.now(),
            subject=f"Will you host a lab? {cycle.title}",
            body=f"{by} whether colleagues may visit your class{when} for the lab "
            f"“{cycle.title}”. Hosting is your choice: agree or decline on the "
            "cycle's page. Nobody is told why if you decline.",
            link=reverse("cycles:detail", args=[cycle.pk]) + f"#{HOSTING_ANCHOR}",
        )
    ]


def _answer_specs(cycle: Cycle, part: CycleParticipant) -> list:
    answered = (HostResponse.ACCEPTED, HostResponse.DECLINED)
    if part.host_response not in answered or part.responded_at is None:
        return []
    accepted = part.host_response == HostResponse.ACCEPTED
    verb = "agreed to host" if accepted else "declined to host"
    then = (
        "The lab can go ahead in their room."
        if accepted
        else "Ask another colleague, or plan the lab in another room."
    )
    return [
        ReminderSpec(
            kind=ReminderKind.HOST_ANSWER,
            recipient=asker,
            due_at=part.responded_at,
            subject=f"{part.user} {verb}: {cycle.title}",
            body=f"{part.user} {verb} the lab “{cycle.title}”. {then}",
            link=reverse("cycles:detail", args=[cycle.pk]),
        )
        for asker in _askers(cycle, part.user)
    ]


def cycle_notices_sync(cycle: Cycle) -> None:
    """Bring a cycle's host requests and answers in step with its hosts."""
    hosts = {
        part.user_id: part
        for part in cycle.memberships.filter(
            role=CycleParticipant.Role.HOST
        ).select_related("user")
    }
    # Hosts taken off the cycle: their request, if still to come, is dropped.
    known = {
        int(about.rsplit(":", 1)[1])
        for about in Reminder.objects.filter(
            about__startswith=f"{ABOUT_REQUEST}:{cycle.pk}:"
        ).values_list("about", flat=True)
    }
    for user_id in known | set(hosts):
        part = hosts.get(user_id)
        request_about = _about(ABOUT_REQUEST, cycle, user_id)
        reminders_sync(
            school=cycle.school,
            about=request_about,
            wanted=_request_specs(cycle, part, request_about) if part else [],
            too_late_after=LATE_OK,
        )
        if part is not None:
            reminders_sync(
                school=cycle.school,
                about=_about(ABOUT_ANSWER, cycle, user_id),
                wanted=_answer_specs(cycle, part),
                too_late_after=LATE_OK,
            )
