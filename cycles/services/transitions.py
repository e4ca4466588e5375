"""A cycle's status moves, and a lab host's answer."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cycles import notices, rules
from cycles.models import Cycle, CycleParticipant, CycleTransition
from cycles.reminders import cycle_reminders_sync
from cycles.services import booking
from cycles.services.validation import schedule_errors

Status = Cycle.Status
PartRole = CycleParticipant.Role


def _record(cycle, to_status, by, note=""):
    CycleTransition.objects.create(
        school=cycle.school,
        cycle=cycle,
        from_status=cycle.status,
        to_status=to_status,
        by=by,
        note=note,
    )
    cycle.status = to_status
    cycle.save(update_fields=["status", "updated_at"])


@transaction.atomic
def cycle_transition(*, cycle: Cycle, to_status: str, by, note: str = "") -> Cycle:
    """Move a cycle along draft → scheduled → in progress → debriefed → closed."""
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if not rules.can_move(cycle.status, to_status):
        raise ValidationError(
            {
                "status": f"A {cycle.get_status_display().lower()} cycle cannot "
                f"become {Status(to_status).label.lower()}."
            }
        )
    if to_status == Status.SCHEDULED:
        errors = schedule_errors(cycle)
        if errors:
            raise ValidationError(errors)
        # The schedule decides whether the visits can happen then: a conflict
        # refuses the whole plan, naming each visit and who is busy.
        booking.book_visits(cycle, by=by)
        booking.book_debrief(cycle, by=by)
        booking.book_prebrief(cycle, by=by)
    if to_status == Status.CANCELLED:
        booking.cancel_bookings(cycle, by=by)
    if to_status == Status.DEBRIEFED:
        not_held = cycle.debriefs.filter(held_at__isnull=True).count()
        if not_held:
            raise ValidationError(
                {
                    "held_at": "Record the debrief first: open it, write what the "
                    "group concluded and tick that it has been held."
                }
            )
    if to_status == Status.CLOSED and cycle.problem_of_practice_id:
        # Freeze the problem's text as it stood: later edits make new versions.
        cycle.problem_version = cycle.problem_of_practice.versions.order_by(
            "-number"
        ).first()
        cycle.save(update_fields=["problem_version"])
    _record(cycle, to_status, by, note)
    cycle_reminders_sync(cycle)
    return cycle


def cycle_schedule(*, cycle: Cycle, by) -> Cycle:
    """Schedule a draft cycle after checking its type's rules."""
    return cycle_transition(cycle=cycle, to_status=Status.SCHEDULED, by=by)


@transaction.atomic
def host_respond(*, cycle: Cycle, user, accept: bool) -> CycleParticipant:
    """A lab host agrees to open their room, or declines; only they can answer."""
    part = CycleParticipant.objects.filter(
        cycle=cycle, user=user, role=PartRole.HOST
    ).first()
    if part is None:
        raise ValidationError({"__all__": "You are not a host in this cycle."})
    if not cycle.is_open:
        raise ValidationError({"__all__": "This cycle is no longer open."})
    part.host_response = (
        CycleParticipant.HostResponse.ACCEPTED
        if accept
        else CycleParticipant.HostResponse.DECLINED
    )
    part.responded_at = timezone.now()
    part.save(update_fields=["host_response", "responded_at"])
    # The host's request is answered; whoever asked is told the answer.
    notices.cycle_notices_sync(cycle)
    return part
