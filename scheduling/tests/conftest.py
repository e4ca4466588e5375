import datetime as dt
from dataclasses import dataclass

import pytest
from django_scopes import scope

from jel.models import Role
from jel.tests.factories import staff
from scheduling.tests.factories import build_schedule

# A Tuesday inside the fall semester with no holiday.
TUESDAY = dt.date(2026, 12, 1)


@dataclass
class Schedule:
    school: object
    host: object
    observer: object
    ann: object
    bo: object
    periods: dict
    sections: dict
    term: object
    regular: object
    year: object


@pytest.fixture
def sched(cast):
    """A week-day schedule: who teaches which of seven periods.

    host teaches 1-5 (plans in 6, 7); observer Omar teaches 2, 3, 4, 6, 7
    (plans in 1, 5); Ann plans in 3 and 7; Bo plans in 3 and 5.
    """
    school = cast.school
    host = staff(school, Role.TEACHER, full_name="Hope Host", department="English")
    observer = staff(school, Role.TEACHER, full_name="Omar Haddad")
    ann = staff(school, Role.TEACHER, full_name="Ann Able", department="Science")
    bo = staff(school, Role.TEACHER, full_name="Bo Baker", department="Science")
    with scope(school=school):
        built = build_schedule(
            school,
            teaching={
                host: [1, 2, 3, 4, 5],
                observer: [2, 3, 4, 6, 7],
                ann: [1, 2, 4, 5, 6],
                bo: [1, 2, 4, 6, 7],
                cast.teacher: [1, 2, 3, 5, 7],
            },
        )
    return Schedule(
        school=school,
        host=host,
        observer=observer,
        ann=ann,
        bo=bo,
        periods=built["periods"],
        sections=built["sections"],
        term=built["term"],
        regular=built["regular"],
        year=built["year"],
    )
