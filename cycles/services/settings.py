"""A school's own limits and targets for cycles."""

from django.db import IntegrityError, transaction

from cycles.models import CycleSettings
from jel.concurrency import claimed_edit


def cycle_settings_for(*, school) -> CycleSettings:
    """The school's cycle settings, created with defaults the first time."""
    found, _ = CycleSettings.objects.get_or_create(school=school)
    return found


def _saved_settings(school) -> CycleSettings:
    """The school's row, inserted with the defaults if nobody saved it yet.

    The defaults a page shows before anyone saved count as version 1, so of
    two forms drawn from them the first save wins and the second is stale.
    """
    found = CycleSettings.objects.filter(school=school).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return CycleSettings.objects.create(school=school)
    except IntegrityError:  # another form saved them first
        return CycleSettings.objects.get(school=school)


@transaction.atomic
def cycle_settings_update(
    *, school, by, seen_version: int | None = None, **fields
) -> CycleSettings:
    """Change a school's cycle limits and targets (StaleEdit if drawn stale)."""
    found = _saved_settings(school)
    with claimed_edit(found, seen=seen_version):
        for name, value in fields.items():
            setattr(found, name, value)
        found.full_clean()
    found.save()
    return found
