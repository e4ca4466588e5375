"""What a dashboard is about: the period and the slices, from the URL."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.utils import timezone

from cycles.models import Cycle, Visit
from jel.dates import grade_band
from jel.models import Membership, Role, StaffProfile
from observations.models import Evidence
from observations.selectors import visit_started_q
from scheduling import calendar
from scheduling.models import Term

TEACHING_ROLES = (Role.TEACHER, Role.MENTOR)
HEATMAP_BY = {"department": "Department", "grade": "Grade band"}
MAX_RANGE_DAYS = 3 * 366 + 31


@dataclass(frozen=True)
class Filters:
    """What a dashboard is about: a period and, for trends, narrower slices."""

    start: dt.date
    end: dt.date
    term: Term | None = None
    kind: str = ""
    problem_id: int | None = None
    department: str = ""
    by: str = "department"

    @property
    def period_label(self) -> str:
        dates = f"{self.start:%d %b %Y} to {self.end:%d %b %Y}"
        return f"{self.term.name}: {dates}" if self.term else dates

    def active(self) -> dict:
        """The narrowing filters in use: name -> the value chosen."""
        chosen = {
            "kind": self.kind,
            "problem": self.problem_id,
            "department": self.department,
        }
        return {name: value for name, value in chosen.items() if value}


def resolve_filters(
    *,
    school,
    term: Term | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    kind: str = "",
    problem_id: int | None = None,
    department: str = "",
    by: str = "",
    today: dt.date | None = None,
) -> Filters:
    """Dates from the chosen range, else the chosen term, else this term or year
    (the school calendar's: the shortest term containing today, else its year)."""
    if not (start and end):
        today = today or timezone.localdate()
        if term is None:
            term = calendar.term_for(school=school, day=today)
        if term is not None:
            start, end = term.starts_on, term.ends_on
        else:
            start, end = calendar.year_bounds(school=school, day=today)
    else:
        term = None
    return Filters(
        start=start,
        end=end,
        term=term,
        kind=kind or "",
        problem_id=problem_id,
        department=department or "",
        by=by if by in HEATMAP_BY else "department",
    )


def member_of_school(*, school, user_id):
    """The user with that id if they are a member of the school, else None."""
    membership = (
        Membership.objects.filter(school=school, user_id=user_id)
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


def departments_of(*, school) -> list[str]:
    return list(
        StaffProfile.objects.filter(school=school)
        .exclude(department="")
        .values_list("department", flat=True)
        .distinct()
        .order_by("department")
    )


def host_groups(*, school) -> dict[int, dict]:
    """Each staff member's department and grade band, for grouping their classroom."""
    rows = StaffProfile.objects.filter(school=school).values(
        "membership__user_id", "department", "grade_levels"
    )
    return {
        row["membership__user_id"]: {
            "department": row["department"] or "No department",
            "grade": grade_band(row["grade_levels"]),
        }
        for row in rows
    }


def period_visits(*, school, filters: Filters):
    return Visit.objects.filter(
        school=school, date__gte=filters.start, date__lte=filters.end
    ).exclude(cycle__status=Cycle.Status.CANCELLED)


def observed_only(visits, *, now=None):
    """Visits that took place: started, with evidence recorded. A visit planned
    for next week, or one nobody wrote anything in, was not observed."""
    return visits.filter(visit_started_q(now=now)).filter(
        Exists(Evidence.objects.filter(observation__visit=OuterRef("pk")))
    )


def observed_pairs(visits, *, now=None):
    """(visit, observer) rows of the visits that took place where that observer
    recorded evidence: who observed what, counted only when it happened."""
    return Visit.observers.through.objects.filter(
        visit__in=observed_only(visits, now=now).values("pk")
    ).filter(
        Exists(
            Evidence.objects.filter(
                observation__visit=OuterRef("visit"),
                observation__observer=OuterRef("user"),
            )
        )
    )
