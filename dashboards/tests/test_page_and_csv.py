"""Each report is one view: its page, its `.csv` route and `?format=csv` agree."""

import pytest
from django.urls import reverse

from dashboards.tests.test_trends import PERIOD, trend_data

ROUTES = [
    ("coach", "dashboards:trends", "summary"),
    ("coach", "dashboards:participation", "teachers"),
    ("coach", "dashboards:follow_through", "debriefs"),
    ("coach", "dashboards:essa", "criteria"),
    ("teacher", "dashboards:my_learning", "figures"),
    ("coach", "dashboards:essa_teacher", "criteria"),
    ("district", "dashboards:district", "schools"),
]


@pytest.mark.parametrize(("who", "route", "table"), ROUTES)
def test_format_csv_on_the_page_gives_the_csv_route(cast, login, who, route, table):
    trend_data(cast)
    args = [cast.teacher.pk] if route == "dashboards:essa_teacher" else []
    client = login(getattr(cast, who))
    query = {**PERIOD, "table": table}
    page = client.get(reverse(route, args=args), PERIOD)
    assert page["Content-Type"].startswith("text/html")
    assert f"{reverse(route + '_csv', args=args)}?" in page.content.decode()
    as_format = client.get(reverse(route, args=args), {**query, "format": "csv"})
    as_route = client.get(reverse(route + "_csv", args=args), query)
    assert as_format["Content-Type"].startswith("text/csv")
    assert as_format["Content-Disposition"] == as_route["Content-Disposition"]
    assert as_format.content == as_route.content


def test_csv_link_drops_the_format_and_table_of_the_page_url(cast, login):
    client = login(cast.coach)
    page = client.get(
        reverse("dashboards:trends"), {**PERIOD, "table": "weekly", "format": "html"}
    ).content.decode()
    assert "trends.csv?start=2026-09-01&amp;end=2026-12-31&amp;table=summary" in page
    assert "format=html" not in page


def test_no_such_table_is_404(cast, login):
    client = login(cast.coach)
    response = client.get(reverse("dashboards:trends_csv"), {"table": "nope"})
    assert response.status_code == 404
