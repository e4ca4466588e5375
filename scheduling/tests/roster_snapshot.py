"""Every row an import may write, as plain values, to compare before and after."""

from django_scopes import scopes_disabled

from jel.models import District, Membership, School, User
from scheduling.models import (
    AcademicYear,
    DayType,
    Period,
    Room,
    SchoolDay,
    Section,
    TeachingAssignment,
    Term,
)

MODELS = (
    District,
    School,
    User,
    Membership,
    AcademicYear,
    Term,
    DayType,
    Period,
    SchoolDay,
    Room,
    Section,
    TeachingAssignment,
)


@scopes_disabled()
def snapshot() -> dict:
    return {
        model.__name__: sorted(
            tuple(sorted(row.items())) for row in model.objects.values()
        )
        for model in MODELS
    }
