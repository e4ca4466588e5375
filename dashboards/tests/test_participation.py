"""Participation: counts per teacher, shares of staff, reciprocity and pairings."""

import datetime as dt

import pandas as pd
from django.urls import reverse

from cycles.models import Cycle
from dashboards.tests import factories as make
from jel.models import Role
from jel.tests.csv_checks import csv_frame, csv_rows
from jel.tests.factories import staff

PERIOD = {"start": "2026-09-01", "end": "2026-12-31"}
DAY = dt.date(2026, 10, 6)


def _teachers(cast):
    school = cast.school
    return {
        "t1": staff(school, Role.TEACHER, full_name="Tess One", years=1),
        "t2": staff(
            school, Role.TEACHER, full_name="Tom Two", years=10, department="English"
        ),
        "t3": staff(
            school, Role.TEACHER, full_name="Tia Three", years=5, department="Science"
        ),
        "t4": staff(school, Role.TEACHER, full_name="Ted Four", years=8),
    }


def participation_data(cast):
    """Micro: 1<->2 returned, 4 visited 3 not yet. Swap pairs: 1-4 and 2-3."""
    t = _teachers(cast)
    micro = make.cycle(cast.school, kind=Cycle.Kind.MICRO)
    make.visit(micro, t["t1"], [t["t2"]], DAY)
    make.visit(micro, t["t2"], [t["t1"]], DAY + dt.timedelta(days=1))
    make.visit(micro, t["t3"], [t["t4"]], DAY)
    swap = make.cycle(cast.school, kind=Cycle.Kind.SWAP)
    for host, guest in [("t1", "t4"), ("t4", "t1"), ("t2", "t3"), ("t3", "t2")]:
        make.visit(swap, t[host], [t[guest]], DAY)
    return t


def _rows(client, table):
    response = client.get(
        reverse("dashboards:participation_csv"), {**PERIOD, "table": table}
    )
    return csv_rows(response)


def test_visits_observed_and_hosted_per_teacher_are_counts(cast, login):
    participation_data(cast)
    rows = _rows(login(cast.coach), "teachers")
    assert rows[0] == ["Teacher", "Department", "Visits observed", "Visits hosted"]
    assert rows[1:] == [
        ["Olive Outsider", "Mathematics", "0", "0"],
        ["Ted Four", "Mathematics", "2", "1"],
        ["Terry Teacher", "Mathematics", "0", "0"],
        ["Tess One", "Mathematics", "2", "2"],
        ["Tia Three", "Science", "1", "2"],
        ["Tom Two", "English", "2", "2"],
    ]


def test_share_of_staff_who_observed_and_hosted(cast, login):
    participation_data(cast)
    rows = _rows(login(cast.coach), "staff")
    assert rows == [
        ["Measure", "Teachers", "Teaching staff", "Share (%)"],
        ["Observed at least once", "4", "6", "67"],
        ["Hosted at least once", "4", "6", "67"],
    ]
    page = login(cast.coach).get(reverse("dashboards:participation"), PERIOD)
    assert "<td>4 of 6</td><td>67%</td>" in page.content.decode()


def test_who_has_not_hosted_yet(cast, login):
    participation_data(cast)
    rows = _rows(login(cast.coach), "not_hosted")
    assert rows[1:] == [
        ["Olive Outsider", "Mathematics"],
        ["Terry Teacher", "Mathematics"],
    ]


def test_micro_reciprocity_and_swap_pairings(cast, login):
    participation_data(cast)
    client = login(cast.coach)
    assert _rows(client, "pairs") == [
        ["Measure", "Share of pairs (%)", "Pairs matching", "Pairs", "Suppressed"],
        [
            "Micro-observation pairs where the visit was returned",
            *["50", "1", "2", "False"],
        ],
        ["Swap pairs across content areas", "50", "1", "2", "False"],
        ["Swap pairs of a new with an experienced teacher", "50", "1", "2", "False"],
    ]
    assert _rows(client, "return_visits")[1:] == [
        ["Tia Three", "Ted Four", "Tia Three visits Ted Four"],
    ]


def test_pairing_figures_over_two_classrooms_are_suppressed(cast, login):
    t = _teachers(cast)
    micro = make.cycle(cast.school, kind=Cycle.Kind.MICRO)
    make.visit(micro, t["t1"], [t["t2"]], DAY)
    make.visit(micro, t["t2"], [t["t1"]], DAY)
    rows = _rows(login(cast.coach), "pairs")
    assert rows[1][1:] == ["", "", "", "True"]


def test_participation_page_shows_chart_and_tables(cast, login):
    participation_data(cast)
    response = login(cast.principal).get(reverse("dashboards:participation"), PERIOD)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-chart="chart-staff"' in page
    assert "Tia Three visits Ted Four" in page
    assert response.context["report"].charts["staff"]["datasets"][0]["data"] == [
        67,
        67,
    ]


def test_participation_csvs_open_in_pandas_with_numbers_typed(cast, login):
    participation_data(cast)
    client = login(cast.coach)
    url = reverse("dashboards:participation_csv")
    numeric = {
        "teachers": ["Visits observed", "Visits hosted"],
        "staff": ["Teachers", "Teaching staff", "Share (%)"],
        "pairs": ["Share of pairs (%)", "Pairs matching", "Pairs"],
    }
    for table, columns in numeric.items():
        frame = csv_frame(client.get(url, {**PERIOD, "table": table}))
        for column in columns:
            assert pd.api.types.is_numeric_dtype(frame[column]), (table, column)


def test_only_visits_that_took_place_count_as_observed_and_hosted(cast, login):
    """A visit counts once it has started and its observer recorded evidence:
    not one planned for next week (even with evidence written early, as the
    capture page used to allow), nor one nobody wrote anything in."""
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from observations.models import Evidence

    t = _teachers(cast)
    micro = make.cycle(cast.school, kind=Cycle.Kind.MICRO)
    make.visit(micro, t["t1"], [t["t2"]], DAY)  # took place
    make.visit(micro, t["t3"], [t["t4"]], DAY, observed=False)  # nothing written
    # Next week, with evidence already in (written before the rule held).
    later = timezone.localdate() + dt.timedelta(days=7)
    early = make.visit(micro, t["t4"], [t["t1"]], later)
    with scopes_disabled():
        assert Evidence.objects.filter(observation__visit=early).exists()
    rows = {
        row[0]: row[2:]
        for row in _rows(login(cast.coach), "teachers")[1:]
        if row[0] in ("Tess One", "Tom Two", "Tia Three", "Ted Four")
    }
    assert rows == {
        "Tess One": ["0", "1"],
        "Tom Two": ["1", "0"],
        "Tia Three": ["0", "0"],
        "Ted Four": ["0", "0"],
    }
