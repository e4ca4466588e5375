"""The visit planner's live check (htmx): conflicts and cover as the form is filled.

The "Plan a visit" page itself is cycles' (cycles/tests/test_quick_visit.py).
"""

import pytest
from django.urls import reverse

from scheduling.tests.conftest import TUESDAY


def form_data(sched, period=3, observers=None, **extra):
    data = {
        "host": sched.host.pk,
        "observers": [o.pk for o in (observers or [sched.observer])],
        "date": TUESDAY.isoformat(),
        "period": sched.periods[period].pk,
        "minutes": 15,
        "title": "",
        "window_override_reason": "",
    }
    data.update(extra)
    return data


def test_htmx_check_shows_conflicts_as_the_form_is_filled(login, cast, sched):
    client = login(cast.principal)
    response = client.post(
        reverse("scheduling:visit_check"), form_data(sched), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "<html" not in html
    assert "Omar Haddad teaches Haddad class P3 in Period 3." in html
    free = client.post(reverse("scheduling:visit_check"), form_data(sched, period=5))
    assert "Everyone is free then" in free.content.decode()


def test_htmx_check_with_chosen_cover_shows_no_conflict(login, cast, sched):
    data = form_data(sched, **{f"cover_{sched.observer.pk}": sched.bo.pk})
    html = (
        login(cast.principal)
        .post(reverse("scheduling:visit_check"), data)
        .content.decode()
    )
    assert "Everyone is free then" in html
    assert f'value="{sched.bo.pk}" checked' in html


@pytest.mark.parametrize("missing", ["host", "date", "period"])
def test_htmx_check_asks_for_missing_fields(login, cast, sched, missing):
    data = form_data(sched)
    data.pop(missing)
    html = (
        login(cast.principal)
        .post(reverse("scheduling:visit_check"), data)
        .content.decode()
    )
    assert "Fill in the host, date, period and observers" in html


def test_htmx_check_of_a_filled_form_says_what_is_wrong_not_fill_in(login, cast, sched):
    data = form_data(sched, minutes=120)
    html = (
        login(cast.principal)
        .post(reverse("scheduling:visit_check"), data)
        .content.decode()
    )
    assert "Fill in the host" not in html
    assert "Not checked yet" in html and "Minutes:" in html


def test_htmx_check_reads_a_fortnight_of_free_slots_in_bounded_queries(
    login, cast, sched, django_assert_max_num_queries
):
    client = login(cast.principal)
    # Omar teaches then: the check looks for free slots over the next days.
    with django_assert_max_num_queries(60):
        html = client.post(
            reverse("scheduling:visit_check"), form_data(sched)
        ).content.decode()
    assert "Free for everyone" in html
