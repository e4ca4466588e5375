"""Celery jobs of the core. Tasks take ids; the rows make them idempotent."""

import logging

from celery import shared_task
from django_scopes import scopes_disabled

from jel import services

log = logging.getLogger(__name__)


@shared_task(acks_late=True, ignore_result=True)
def send_due_reminders() -> int:
    """Every minute: claim due reminders and queue one delivery task each."""
    # Across all schools on purpose: the job serves every tenant.
    with scopes_disabled():
        ids = services.reminders_claim_due()
        lost = services.outbound_unshipped()
    for reminder_id in ids:
        deliver_reminder.delay(reminder_id)
    for outbound_id in lost:
        ship_outbound_email.delay(outbound_id)
    if ids or lost:
        log.info(
            "reminders queued", extra={"claimed": len(ids), "requeued_email": len(lost)}
        )
    return len(ids)


@shared_task(acks_late=True, ignore_result=True)
def deliver_reminder(reminder_id: int) -> str:
    with scopes_disabled():
        try:
            return services.reminder_deliver(reminder_id=reminder_id)
        except Exception:
            # Recorded on the row (attempts, last_error, backoff); the beat job
            # claims it again when its retry time comes.
            log.exception(
                "reminder delivery failed", extra={"reminder_id": reminder_id}
            )
            return "failed"


@shared_task(
    acks_late=True,
    ignore_result=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    max_retries=5,
)
def ship_outbound_email(outbound_id: int) -> bool:
    with scopes_disabled():
        return services.outbound_ship(outbound_id=outbound_id)
