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


@shared_task(acks_late=True, ignore_result=True)
def build_school_export(export_id: int) -> None:
    """Write one requested school export (observations.services.school_export_write)."""
    from observations.models import SchoolExport
    from observations.services import school_export_write

    with scopes_disabled():
        export = (
            SchoolExport.objects.select_related("school", "requested_by")
            .filter(pk=export_id)
            .first()
        )
    if export is None or export.is_finished:
        return  # gone, or a redelivery of a finished job
    with scope(school=export.school):
        school_export_write(export=export)
