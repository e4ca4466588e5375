import pytest

from jel.models import Role
from jel.tests.factories import staff
from observations.tests.factories import cycle_with_visit


@pytest.fixture
def host(cast):
    """A teacher whose classroom the cast's teacher visits."""
    return staff(cast.school, Role.TEACHER, full_name="Hana Host", years=8)


@pytest.fixture
def visit(cast, host):
    """Today's rounds visit: the coach facilitates, the cast's teacher observes."""
    return cycle_with_visit(
        cast.school, host=host, observers=[cast.teacher], facilitator=cast.coach
    )
