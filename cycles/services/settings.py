"""A school's own limits and targets for cycles."""

from django.db import transaction

from cycles.models import CycleSettings


def cycle_settings_for(*, school) -> CycleSettings:
    """The school's cycle settings, created with defaults the first time."""
    found, _ = CycleSettings.objects.get_or_create(school=school)
    return found


@transaction.atomic
def cycle_settings_update(*, school, by, **fields) -> CycleSettings:
    """Change a school's cycle limits and targets."""
    found = cycle_settings_for(school=school)
    for name, value in fields.items():
        setattr(found, name, value)
    found.full_clean()
    found.save()
    return found
