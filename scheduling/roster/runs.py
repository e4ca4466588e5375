"""Import runs from the upload page: check, confirm, import, forget the file."""

import datetime as dt
import logging
import uuid

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from jel.models import Role
from scheduling.models import ImportRun
from scheduling.roster import import_roster

logger = logging.getLogger(__name__)
UPLOADS = "roster-uploads"
KEEP_UNCONFIRMED = dt.timedelta(days=1)


def _scope_of(run: ImportRun) -> dict:
    if run.scope == ImportRun.Scope.DISTRICT:
        return {"district": run.school.district}
    return {"school": run.school}


def _path(run: ImportRun):
    return settings.VAR_DIR / run.file_name


def _forget_file(run: ImportRun) -> None:
    if run.file_name:
        _path(run).unlink(missing_ok=True)
        run.file_name = ""


def roster_upload(*, school, by, role: str, upload) -> ImportRun:
    """Keep the uploaded zip, dry-run it, and say what it would change."""
    scope = (
        ImportRun.Scope.DISTRICT if role == Role.DISTRICT else ImportRun.Scope.SCHOOL
    )
    file_name = f"{UPLOADS}/{school.pk}/{uuid.uuid4().hex}.zip"
    path = settings.VAR_DIR / file_name
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    run = ImportRun(
        school=school,
        uploaded_by=by,
        scope=scope,
        status=ImportRun.Status.CHECKED,
        original_name=(upload.name or "")[:200],
        file_name=file_name,
    )
    result = import_roster(path, dry_run=True, **_scope_of(run))
    run.version = result.version
    run.counts = dict(result.counts)
    run.errors = [p.as_dict() for p in result.problems]
    run.warnings = result.warnings
    if not result.ok:
        run.status = ImportRun.Status.REFUSED
        _forget_file(run)
    run.save()
    return run


def roster_confirm(*, run: ImportRun, by) -> ImportRun:
    """Queue the checked run's import (a second confirmation changes nothing)."""
    with transaction.atomic():
        locked = ImportRun.objects.select_for_update().get(pk=run.pk)
        if locked.status != ImportRun.Status.CHECKED or not locked.file_name:
            return locked
        locked.status = ImportRun.Status.QUEUED
        locked.confirmed_at = timezone.now()
        locked.step = "Waiting to start"
        locked.save(update_fields=["status", "confirmed_at", "step"])
    from scheduling.tasks import import_roster_run

    import_roster_run.delay_on_commit(locked.pk)
    return locked


def roster_run_import(*, run: ImportRun) -> ImportRun:
    """Import the confirmed upload, moving the run's progress as it goes.

    The checks commit their progress file by file; the writing is one
    transaction (all or nothing), shown as one step.
    """
    rows = ImportRun.objects.filter(pk=run.pk)

    def progress(percent: int, step: str):
        rows.update(status=ImportRun.Status.RUNNING, progress=percent, step=step)

    progress(0, "Starting")
    try:
        result = import_roster(_path(run), progress=progress, **_scope_of(run))
    except Exception as error:  # the row says it failed; the log says why
        logger.exception("roster import %s failed", run.pk)
        result, failure = None, f"The import could not run ({error})."
    run.refresh_from_db()
    _forget_file(run)
    run.finished_at = timezone.now()
    run.progress = 100
    if result is None:
        run.status, run.step = ImportRun.Status.FAILED, failure
    elif not result.ok:
        run.status, run.step = ImportRun.Status.FAILED, "Refused: nothing was written"
        run.errors = [p.as_dict() for p in result.problems]
    else:
        run.status, run.step = ImportRun.Status.DONE, "Done"
        run.counts = dict(result.counts)
        run.warnings = result.warnings
    run.save()
    return run


@scopes_disabled()
def roster_uploads_forget(*, now=None) -> int:
    """Delete uploads never confirmed within a day; how many were forgotten."""
    cutoff = (now or timezone.now()) - KEEP_UNCONFIRMED
    forgotten = 0
    for run in ImportRun.objects.filter(
        status=ImportRun.Status.CHECKED, created_at__lt=cutoff
    ).exclude(file_name=""):
        _forget_file(run)
        run.status = ImportRun.Status.EXPIRED
        run.save(update_fields=["file_name", "status"])
        forgotten += 1
    return forgotten
