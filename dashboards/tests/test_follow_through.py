"""Follow-through: debriefs on time (micro within 24 hours), goals, reflections."""

import datetime as dt

import pandas as pd
import time_machine
from django.urls import reverse
from django_scopes import scopes_disabled

from cycles.models import Cycle, Debrief
from dashboards.tests import factories as make
from jel.csv_export import WITHHELD_MARK
from jel.tests.csv_checks import csv_frame, csv_rows
from observations.models import Goal, GoalCheckIn, Reflection

PERIOD = {"start": "2026-09-01", "end": "2026-12-31"}
NOW = dt.datetime(2026, 11, 25, 17, 0, tzinfo=dt.UTC)


def _at(day, hour=15):
    return dt.datetime(2026, 10, day, hour, 0, tzinfo=dt.UTC)


def follow_through_data(cast):
    rounds = make.cycle(cast.school, title="Rounds on writing targets")
    make.debrief(rounds, due_at=_at(5), held_at=_at(5, 14))  # on time
    make.debrief(rounds, due_at=_at(6), held_at=_at(8))  # late
    make.debrief(rounds, due_at=_at(7))  # overdue
    make.debrief(rounds, due_at=NOW + dt.timedelta(days=10))  # not due yet
    micro = make.cycle(cast.school, kind=Cycle.Kind.MICRO, title="Micro on talk")
    visit = make.visit(micro, cast.outsider, [cast.teacher], dt.date(2026, 10, 5))
    # Due 24 hours after the visit; held 20 hours after.
    make.debrief(micro, the_visit=visit, due_at=_at(6), held_at=_at(5, 19))
    with scopes_disabled():
        checked = Goal.objects.create(
            school=cast.school, owner=cast.teacher, text="Cold calling"
        )
        GoalCheckIn.objects.create(
            school=cast.school, goal=checked, tried=True, results_as_anticipated="yes"
        )
        Goal.objects.create(
            school=cast.school,
            owner=cast.teacher,
            text="Exit tickets",
            follow_up_on=dt.date(2026, 11, 20),
        )
        Goal.objects.create(
            school=cast.school, owner=cast.outsider, text="Wait time", follow_up_on=None
        )
        Reflection.objects.create(
            school=cast.school, author=cast.teacher, body="SECRET private thoughts"
        )
        Reflection.objects.create(
            school=cast.school,
            author=cast.teacher,
            body="Shared with coaches",
            visibility=Reflection.Visibility.COACHES,
        )
        Reflection.objects.create(
            school=cast.school, author=cast.outsider, body="SECRET musings"
        )


def _rows(client, table):
    response = client.get(
        reverse("dashboards:follow_through_csv"), {**PERIOD, "table": table}
    )
    return csv_rows(response)


@time_machine.travel(NOW, tick=False)
def test_debriefs_on_time_late_and_overdue_by_cycle_type(cast, login):
    follow_through_data(cast)
    rows = _rows(login(cast.coach), "debriefs")
    assert rows == [
        [
            "Cycle type",
            "Due",
            "Held on time",
            "Held late",
            "Overdue",
            "Not due yet",
            "Share held on time (%)",
        ],
        ["Instructional rounds", "4", "1", "1", "1", "1", "33"],
        ["Micro-observation", "1", "1", "0", "0", "0", "100"],
        ["All cycle types", "5", "2", "1", "1", "1", "50"],
    ]


@time_machine.travel(NOW, tick=False)
def test_goals_followed_up_and_reflections_are_counts_only(cast, login):
    follow_through_data(cast)
    client = login(cast.coach)
    assert _rows(client, "goals")[1:] == [["3", "2", "1", "1", "50"]]
    assert _rows(client, "reflections")[1:] == [["3", "2", "1"]]
    page = client.get(reverse("dashboards:follow_through"), PERIOD).content.decode()
    for body in (page, *(str(_rows(client, t)) for t in ("goals", "reflections"))):
        assert "SECRET" not in body
        assert "Shared with coaches" not in body


@time_machine.travel(NOW, tick=False)
def test_overdue_debriefs_are_listed_with_links(cast, login, unscoped):
    follow_through_data(cast)
    client = login(cast.principal)
    assert _rows(client, "overdue")[1:] == [
        ["Rounds on writing targets", "Instructional rounds", "2026-10-07T11:00-04:00"],
    ]
    page = client.get(reverse("dashboards:follow_through"), PERIOD).content.decode()
    overdue = Debrief.objects.get(held_at__isnull=True, due_at__lt=NOW)
    link = reverse("cycles:debrief", args=[overdue.pk])
    assert f'<a href="{link}">Rounds on writing targets</a>' in page
    assert "<td>07 Oct 2026 11:00</td>" in page
    assert "Not all are listed" not in page


@time_machine.travel(NOW, tick=False)
def test_follow_through_csvs_open_in_pandas_with_numbers_typed(cast, login):
    follow_through_data(cast)
    client = login(cast.coach)
    url = reverse("dashboards:follow_through_csv")
    debriefs = csv_frame(client.get(url, {**PERIOD, "table": "debriefs"}))
    for column in debriefs.columns[1:]:
        assert pd.api.types.is_numeric_dtype(debriefs[column]), column
    goals = csv_frame(client.get(url, {**PERIOD, "table": "goals"}))
    assert all(pd.api.types.is_numeric_dtype(goals[c]) for c in goals.columns)
    overdue = csv_frame(client.get(url, {**PERIOD, "table": "overdue"}))
    due = pd.to_datetime(overdue["Debrief was due"], utc=True)
    assert list(due) == [pd.Timestamp("2026-10-07 15:00", tz="UTC")]


@time_machine.travel(NOW, tick=False)
def test_an_overdue_list_cut_at_fifty_says_so_in_the_csv_and_on_the_page(cast, login):
    rounds = make.cycle(cast.school, title="Rounds on writing targets")
    for n in range(51):
        make.debrief(rounds, due_at=_at(1) + dt.timedelta(hours=n))
    client = login(cast.principal)
    response = client.get(
        reverse("dashboards:follow_through_csv"), {**PERIOD, "table": "overdue"}
    )
    rows = csv_rows(response)
    assert len(rows) == 1 + 50 + 1
    assert rows[-1] == [
        f"{WITHHELD_MARK} more than 50 debriefs are overdue; "
        "this lists the 50 due longest ago."
    ]
    assert len(csv_frame(response)) == 50
    page = client.get(reverse("dashboards:follow_through"), PERIOD).content.decode()
    assert "Not all are listed: more than 50 debriefs are overdue" in page
