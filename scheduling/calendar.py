"""The one school calendar: which school year, term or semester contains a date.

Backed by the school's AcademicYear and Term rows (the master schedule). Host
rotation, swap-day caps, coverage fairness and the dashboards all ask here, so
"this school year" means the same thing everywhere. A school that has not set
up its year yet gets August to July, the US school-year convention.
"""

import datetime as dt

from scheduling.day_facts import calendar_once
from scheduling.models import AcademicYear, Term


def school_year_for(*, school, day: dt.date) -> AcademicYear | None:
    """The academic year that contains the day, if the school has set it up."""
    return calendar_once(
        ("year of", school.pk, day),
        lambda: (
            AcademicYear.objects.filter(
                school=school, starts_on__lte=day, ends_on__gte=day
            )
            .order_by("starts_on")
            .first()
        ),
    )


def year_bounds(*, school, day: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day of the school year of the day (August-July if none)."""
    year = school_year_for(school=school, day=day)
    if year is not None:
        return year.starts_on, year.ends_on
    start_year = day.year if day.month >= 8 else day.year - 1
    return dt.date(start_year, 8, 1), dt.date(start_year + 1, 7, 31)


def term_for(*, school, day: dt.date, kind: str | None = None) -> Term | None:
    """The term of that kind ("semester", "quarter"...) containing the day; the
    shortest such term when no kind is given."""
    terms = Term.objects.filter(school=school, starts_on__lte=day, ends_on__gte=day)
    if kind is not None:
        terms = terms.filter(kind=kind)
    found = list(terms)
    return min(found, key=lambda t: (t.ends_on - t.starts_on, t.pk), default=None)


def semester_for(*, school, day: dt.date) -> Term | None:
    return term_for(school=school, day=day, kind=Term.Kind.SEMESTER)


def semester_bounds(*, school, day: dt.date) -> tuple[dt.date, dt.date]:
    """The semester containing the day, or its half of the school year if the
    school has no semesters (August-December, January-July)."""
    semester = semester_for(school=school, day=day)
    if semester is not None:
        return semester.starts_on, semester.ends_on
    first, last = year_bounds(school=school, day=day)
    if day.month >= 8:
        return first, dt.date(day.year, 12, 31)
    return dt.date(day.year, 1, 1), last
