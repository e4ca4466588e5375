"""The cycle form's live requests answer in a fixed number of queries.

The check and the availability panel run on every change of the form; each day
they read is read once, so more hosts or observers do not mean more queries.
"""

import pytest
import time_machine
from django.urls import reverse

pytestmark = pytest.mark.django_db

# The form's live check, hosts and observers included (the form's choices
# read them too).
CHECK_QUERIES = 32
AVAILABILITY_QUERIES = 22

FROZEN = "2026-12-01 08:00 -05:00"


def _check_data(teachers, visit_day, hosts, observers, **extra):
    return {
        "kind": "rounds",
        "visit_date": visit_day.isoformat(),
        "period": teachers["_schedule"]["periods"][3].pk,
        "minutes": 10,
        "hosts": [teachers[name].pk for name in hosts],
        "observers": [teachers[name].pk for name in observers],
        "arrange_cover": "on",
        **extra,
    }


@time_machine.travel(FROZEN, tick=False)
def test_the_live_check_with_cover_is_pinned(
    login, cast, teachers, visit_day, django_assert_max_num_queries
):
    client = login(cast.coach)
    # Everyone teaches period 3: each observer's class needs cover.
    data = _check_data(
        teachers, visit_day, ("old_math", "old_ela"), ("new_math", "new_ela")
    )
    with django_assert_max_num_queries(CHECK_QUERIES):
        response = client.post(reverse("cycles:check"), data)
    assert response.status_code == 200
    assert "Olga Old teaches then: ready to visit." in response.content.decode()


@time_machine.travel(FROZEN, tick=False)
def test_the_live_check_does_not_grow_with_hosts_and_observers(
    login, cast, teachers, visit_day, django_assert_max_num_queries
):
    client = login(cast.coach)
    # Four hosts of 10 minutes overrun period 3: the fixes are read too.
    data = _check_data(
        teachers,
        visit_day,
        ("old_math", "old_ela", "mid_sci", "mid_ss"),
        ("new_math", "new_ela"),
    )
    with django_assert_max_num_queries(CHECK_QUERIES):
        response = client.post(reverse("cycles:check"), data)
    assert response.status_code == 200
    assert "Sia Social" in response.content.decode()


@time_machine.travel(FROZEN, tick=False)
def test_the_availability_panel_is_pinned(
    login, cast, teachers, visit_day, django_assert_max_num_queries
):
    client = login(cast.coach)
    query = {
        "kind": "lab",
        "visit_date": visit_day.isoformat(),
        "period": teachers["_schedule"]["periods"][2].pk,
    }
    with django_assert_max_num_queries(AVAILABILITY_QUERIES):
        response = client.get(
            reverse("cycles:availability"), query, HTTP_HX_REQUEST="true"
        )
    assert response.status_code == 200
    # Period 2: the two old hands and Sia teach; the rest plan.
    assert "Olga Old" in response.content.decode()
