"""Celery jobs of observations."""

from celery import shared_task
from django_scopes import scope, scopes_disabled

from jel.models import School
from observations.reminders import weekly_digest_sync


@shared_task(acks_late=True, ignore_result=True)
def send_weekly_digests() -> int:
    """Hourly: write each school's Monday digest once its 07:00 has come."""
    created = 0
    with scopes_disabled():
        schools = list(School.objects.all())
    for school in schools:
        with scope(school=school):
            created += weekly_digest_sync(school=school)
    return created
