"""A period that ends before it starts: a field error in the summary, not the
database's constraint name."""

from django.urls import reverse

from scheduling.tests.test_setup_pages import _formset


def _post_odd_day(client):
    data = {"name": "Odd day"}
    row = {"name": "Period 1", "number": "1", "kind": "class"}
    data.update(_formset([], [{**row, "starts_at": "09:00", "ends_at": "08:00"}]))
    return client.post(reverse("scheduling:day_type_new"), data)


def test_the_end_time_is_marked_and_linked_from_the_summary(login, sched, cast):
    response = _post_odd_day(login(cast.principal))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Constraint" not in body and "period_ends_after_start" not in body
    assert "this one starts at 09:00, so it must end later than that" in body
    assert "data-error-summary" in body and 'tabindex="-1"' in body
    assert 'href="#id_periods-0-ends_at"' in body
    assert 'id="id_periods-0-ends_at"' in body
