"""The dashboards' API returns numbers as numbers, as the CSVs do (issue 16,
item 3): never the page's words ("4 of 6", "67%", "Week of 05 Oct 2026")."""

import re

import time_machine
from django.urls import reverse

from dashboards.tests.test_follow_through import NOW, follow_through_data
from dashboards.tests.test_participation import PERIOD, participation_data
from dashboards.tests.test_trends import trend_data

WORDS = re.compile(r"\d+ of \d+|\d+%|^Week of|^(Met|Not yet)$")


def _tables(client, route):
    response = client.get(reverse(route), PERIOD)
    assert response.status_code == 200
    return {table["key"]: table for table in response.json()["tables"]}


def _no_words_for_numbers(tables):
    """No cell reads like a number written as words."""
    for table in tables.values():
        assert len(table["suppressed"]) == len(table["rows"]), table["key"]
        for row in table["rows"]:
            for value in row:
                if isinstance(value, str):
                    assert not WORDS.search(value), (table["key"], value)


def test_participation_shares_are_counts_and_a_number(cast, login):
    participation_data(cast)
    tables = _tables(login(cast.coach), "dashboards:api_participation")
    assert tables["staff"]["rows"] == [
        [
            "Observed at least once",
            {"count": 4, "out_of": 6},
            {"share": 67, "count": 4, "out_of": 6},
        ],
        [
            "Hosted at least once",
            {"count": 4, "out_of": 6},
            {"share": 67, "count": 4, "out_of": 6},
        ],
    ]
    assert tables["staff"]["suppressed"] == [False, False]
    _no_words_for_numbers(tables)


@time_machine.travel(NOW, tick=False)
def test_follow_through_share_due_and_moments_are_typed(cast, login):
    follow_through_data(cast)
    tables = _tables(login(cast.coach), "dashboards:api_follow_through")
    rounds = tables["debriefs"]["rows"][0]
    assert rounds[0] == "Instructional rounds"
    assert rounds[1:6] == [4, 1, 1, 1, 1]
    assert rounds[6] == {"share": 33, "count": 1, "out_of": 3}
    overdue = tables["overdue"]["rows"]
    assert overdue and all(
        isinstance(v, str) and v[:4] == "2026" and "T" in v
        for row in overdue
        for v in row
        if isinstance(v, str) and v[:2] == "20"
    )
    _no_words_for_numbers(tables)


def test_trends_weeks_are_iso_mondays_and_suppressed_cells_flagged(cast, login):
    trend_data(cast)
    tables = _tables(login(cast.coach), "dashboards:api_trends")
    heat = tables["heatmap"]
    assert heat["rows"][0][1] == {
        "suppressed": True,
        "note": heat["rows"][0][1]["note"],
    }
    assert heat["suppressed"][0] is True
    weeks = [row[0] for row in tables["weekly"]["rows"]]
    assert weeks[:2] == ["2026-10-05", "2026-10-12"]
    _no_words_for_numbers(tables)


def test_essa_met_is_a_boolean_and_hours_a_number(cast, login):
    participation_data(cast)
    tables = _tables(login(cast.coach), "dashboards:api_essa")
    assert {row[1] for row in tables["criteria"]["rows"]} <= {True, False}
    figures = dict(tables["figures"]["rows"])
    assert figures["Cycles with visits"] == 2
    assert isinstance(figures["Teacher hours in visits and debriefs"], int | float)
