"""An aide from the roster uses the school but may not observe or plan."""

import pytest
from django.urls import reverse

from jel.models import Role
from jel.tests.factories import staff


@pytest.fixture
def aide(cast):
    return staff(cast.school, Role.AIDE, full_name="Al Aide")


def test_an_aide_sees_home_and_their_week(aide, login):
    client = login(aide)
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert "Your principal decides whether you join visits" in home.content.decode()
    assert client.get(reverse("scheduling:my_week")).status_code == 200


@pytest.mark.parametrize(
    "route", ["cycles:new", "scheduling:school_week", "scheduling:roster"]
)
def test_an_aide_may_not_plan_observe_or_roster(aide, login, route):
    assert login(aide).get(reverse(route)).status_code == 403
