"""Recording a debrief in the protocol of its cycle's type."""

import datetime as dt
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cycles import selectors
from cycles.kinds import DEBRIEF_ALWAYS, spec_for
from cycles.models import Debrief, WalkNextStep
from cycles.reminders import cycle_reminders_sync
from cycles.services.validation import limit_errors
from jel.concurrency import claimed_edit


def _held_at(debrief: Debrief, *, held: bool | None, held_at):
    """When the debrief was held: kept once recorded, now when first ticked."""
    if held is None:
        return held_at
    if not held:
        return None
    return debrief.held_at or held_at or timezone.now()


def _group_step_errors(cycle, group_steps) -> dict:
    groups = selectors.walk_group_numbers(cycle=cycle)
    steps = {n: (group_steps or {}).get(n, "").strip() for n in groups}
    missing = [n for n, text in steps.items() if not text]
    if not missing:
        return {}
    return {
        "group_steps": "Each group records exactly one next step. Missing for group "
        + ", ".join(str(n) for n in missing)
        + "."
    }


@transaction.atomic
def debrief_record(
    *, debrief: Debrief, seen_version: int | None = None, **record
) -> Debrief:
    """Save what a debrief concluded, in the protocol of the cycle's type.

    `held` (from the debrief page) marks it held now, keeps the time it was
    first recorded, or clears it; without it, `held_at` is taken as given. A
    record drawn from an older version than the saved one raises StaleEdit.
    """
    with claimed_edit(debrief, seen=seen_version):
        return _debrief_record(debrief=debrief, **record)


def _debrief_record(
    *,
    debrief: Debrief,
    by,
    held: bool | None = None,
    held_at: dt.datetime | None = None,
    attendees=None,
    group_steps: dict[int, str] | None = None,
    **fields,
) -> Debrief:
    cycle = debrief.cycle
    spec = spec_for(cycle.kind).debrief
    allowed = set(spec.fields) | set(DEBRIEF_ALWAYS)
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(
            dict.fromkeys(unknown, "This cycle type's debrief has no such field.")
        )
    held_at = _held_at(debrief, held=held, held_at=held_at)
    errors = limit_errors(
        Debrief, {name: (value or "").strip() for name, value in fields.items()}
    )
    for number, text in (group_steps or {}).items():
        step_errors = limit_errors(WalkNextStep, {"next_step": (text or "").strip()})
        if step_errors:
            errors[f"group_{number}"] = step_errors["next_step"]
    if held_at is not None and held_at > timezone.now() + timedelta(minutes=5):
        errors["held_at"] = "A debrief cannot be held in the future."
    if spec.group_steps and held_at is not None:
        errors.update(_group_step_errors(cycle, group_steps))
    if errors:
        raise ValidationError(errors)
    for name, value in fields.items():
        setattr(debrief, name, (value or "").strip())
    debrief.held_at = held_at
    debrief.save()
    if attendees is not None:
        debrief.attendees.set(attendees)
    if group_steps:
        for number, text in group_steps.items():
            if text.strip():
                WalkNextStep.objects.update_or_create(
                    debrief=debrief,
                    group_number=number,
                    defaults={"school": debrief.school, "next_step": text.strip()},
                )
    cycle_reminders_sync(cycle)
    return debrief
