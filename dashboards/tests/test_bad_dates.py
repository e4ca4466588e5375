"""Dates no school means (year 1, 9999) on a dashboard: a field error, not a 500."""

import pytest
from django.urls import reverse

BAD = [("0001-01-01", "0001-01-02"), ("9999-12-30", "9999-12-31")]


@pytest.mark.parametrize(("start", "end"), BAD)
@pytest.mark.parametrize("route", ["dashboards:essa", "dashboards:trends"])
def test_the_page_and_its_csv_fall_back_to_this_term(cast, login, route, start, end):
    client = login(cast.coach)
    page = client.get(reverse(route), {"start": start, "end": end})
    assert page.status_code == 200
    assert "Give a date" in page.content.decode()
    export = client.get(reverse(f"{route}_csv"), {"start": start, "end": end})
    assert export.status_code == 200


@pytest.mark.parametrize(("start", "end"), BAD)
def test_the_api_says_which_date_is_wrong(cast, login, start, end):
    response = login(cast.coach).get(
        reverse("dashboards:api_essa"), {"start": start, "end": end}
    )
    assert response.status_code == 400
    assert "Give a date" in str(response.json()["start"])


def test_one_refused_date_gets_its_own_message_not_a_second_about_the_pair(cast, login):
    page = login(cast.coach).get(
        reverse("dashboards:trends"), {"start": "2026-11-01", "end": "9999-12-31"}
    )
    body = page.content.decode()
    assert "Give a date on or before" in body
    assert "Give both dates of the range, or neither." not in body
