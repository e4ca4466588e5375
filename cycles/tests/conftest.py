import datetime as dt

import pytest
from django_scopes import scope

from cycles.tests.factories import problem
from jel.models import Role
from jel.tests.factories import staff
from scheduling.tests.factories import build_schedule


@pytest.fixture
def scoped(cast):
    with scope(school=cast.school):
        yield cast


@pytest.fixture
def teachers(cast):
    """Six teachers of mixed experience, departments and grades, with a timetable.

    Period 2 (08:55-09:45): the two old hands and Sia teach; the rest plan.
    """
    school = cast.school
    people = {
        "new_math": staff(
            school,
            Role.TEACHER,
            full_name="Nia New",
            years=1,
            department="Mathematics",
            grades=(6,),
        ),
        "old_math": staff(
            school,
            Role.TEACHER,
            full_name="Olga Old",
            years=20,
            department="Mathematics",
            grades=(7,),
        ),
        "new_ela": staff(
            school,
            Role.TEACHER,
            full_name="Ned Novice",
            years=0,
            department="English",
            grades=(8,),
        ),
        "old_ela": staff(
            school,
            Role.TEACHER,
            full_name="Vera Veteran",
            years=15,
            department="English",
            grades=(6,),
        ),
        "mid_sci": staff(
            school,
            Role.TEACHER,
            full_name="Sam Science",
            years=6,
            department="Science",
            grades=(7,),
        ),
        "mid_ss": staff(
            school,
            Role.TEACHER,
            full_name="Sia Social",
            years=8,
            department="Social Studies",
            grades=(8,),
        ),
    }
    teaching = {
        "old_math": [1, 2, 3, 4, 5],
        "old_ela": [1, 2, 3, 4, 6],
        "new_math": [1, 3, 4, 5, 6],
        "new_ela": [1, 3, 4, 5, 7],
        "mid_sci": [1, 3, 4, 6, 7],
        "mid_ss": [2, 3, 4, 5, 6],
    }
    with scope(school=school):
        built = build_schedule(
            school, teaching={people[k]: v for k, v in teaching.items()}
        )
    people["_schedule"] = built
    return people


@pytest.fixture
def ready_problem(cast):
    with scope(school=cast.school):
        return problem(cast.school, cast.principal)


@pytest.fixture
def visit_day():
    return dt.date(2026, 12, 3)
