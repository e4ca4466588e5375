"""Reads of the core."""

from django.utils import timezone

from jel.models import Reminder, ReminderState


def notifications_for(*, user, limit=50):
    """Reminders due for a person in the current school, newest first (in-app)."""
    return (
        Reminder.objects.filter(recipient=user, due_at__lte=timezone.now())
        .exclude(state__in=[ReminderState.CANCELLED, ReminderState.FOLDED])
        .order_by("-due_at")[:limit]
    )


def unread_count(*, user) -> int:
    return (
        Reminder.objects.filter(
            recipient=user, due_at__lte=timezone.now(), read_at=None
        )
        .exclude(state__in=[ReminderState.CANCELLED, ReminderState.FOLDED])
        .count()
    )


def failed_reminders(*, limit=100):
    """Reminders that could not be delivered after every retry, for the principal."""
    return (
        Reminder.objects.filter(state=ReminderState.FAILED)
        .select_related("recipient")
        .order_by("-due_at")[:limit]
    )
