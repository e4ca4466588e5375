"""Celery jobs of scheduling: the OneRoster upload's import and its clean-up."""

from celery import shared_task
from django_scopes import scope, scopes_disabled


@shared_task(acks_late=True, ignore_result=True)
def import_roster_run(run_id: int) -> None:
    """Import one confirmed roster upload (scheduling.roster.runs)."""
    from scheduling.models import ImportRun
    from scheduling.roster.runs import roster_run_import

    with scopes_disabled():
        run = ImportRun.objects.select_related("school__district").filter(pk=run_id)
        run = run.first()
    if run is None or run.status != ImportRun.Status.QUEUED:
        return  # gone, or a redelivery of a run already under way or done
    with scope(school=run.school):
        roster_run_import(run=run)


@shared_task(acks_late=True, ignore_result=True)
def forget_roster_uploads() -> int:
    """Hourly: delete roster uploads that were never confirmed within a day."""
    from scheduling.roster.runs import roster_uploads_forget

    return roster_uploads_forget()
