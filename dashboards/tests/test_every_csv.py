"""Every dashboard CSV, every table: a BOM, opens in pandas, and no display text
where a number belongs ("63% (5 of 8 visits)", "39%", "Week of 02 Nov 2026")."""

import re

import pytest
import time_machine
from django.urls import reverse

from dashboards.tests.test_follow_through import NOW, follow_through_data
from dashboards.tests.test_trends import trend_data
from jel.tests.csv_checks import csv_frame, csv_rows

PERIOD = {"start": "2026-09-01", "end": "2026-12-31"}
DISPLAY_TEXT = re.compile(r"^\d+%|\d+ of \d+|^Week of |suppressed \(")
TABLES = {
    "dashboards:trends_csv": ["summary", "weekly", "heatmap"],
    "dashboards:participation_csv": [
        "teachers",
        "staff",
        "not_hosted",
        "pairs",
        "return_visits",
    ],
    "dashboards:follow_through_csv": ["debriefs", "goals", "reflections", "overdue"],
    "dashboards:essa_csv": ["criteria", "figures"],
    "dashboards:my_learning_csv": ["criteria", "figures"],
}


@pytest.mark.parametrize("route", list(TABLES))
@time_machine.travel(NOW, tick=False)
def test_every_table_is_a_typed_csv(cast, login, route):
    trend_data(cast)
    follow_through_data(cast)
    client = login(cast.coach)
    for table in TABLES[route]:
        response = client.get(reverse(route), {**PERIOD, "table": table})
        rows = csv_rows(response)
        frame = csv_frame(response)
        assert list(frame.columns) == rows[0], (route, table)
        # The ESSA "Figures" and "Rule" columns are sentences by design.
        words = {"Figures", "Rule"}
        for name, *cells in zip(*rows, strict=True):
            if name in words:
                continue
            shown = [c for c in cells if DISPLAY_TEXT.search(c)]
            assert shown == [], (route, table, name)
