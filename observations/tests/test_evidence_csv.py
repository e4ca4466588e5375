"""A cycle's evidence as CSV: opens right in Excel and pandas, formulas stay text,
and an evaluator's export says that other observers' entries were left out."""

import datetime as dt

import pandas as pd
import pytest
from django.urls import reverse
from django.utils import timezone

from jel.csv_export import WITHHELD_MARK
from jel.tests.csv_checks import csv_frame, csv_rows
from observations.tests.factories import cycle_with_visit, evidence

NOTED = dt.datetime(2026, 11, 30, 13, 5, 30, tzinfo=dt.UTC)


@pytest.fixture
def risky_entries(cast, visit):
    evidence(
        visit, cast.teacher, '=HYPERLINK("http://evil.example","café")', noted_at=NOTED
    )
    evidence(visit, cast.teacher, "-2 students off task", noted_at=NOTED)
    evidence(visit, cast.teacher, "@mention the target", noted_at=NOTED)
    evidence(visit, cast.teacher, "", is_tally=True, noted_at=NOTED)
    evidence(visit, cast.teacher, "", is_tally=True, noted_at=NOTED)
    return visit


def _get(client, visit):
    return client.get(reverse("observations:cycle_evidence_csv", args=[visit.cycle_id]))


def test_evidence_csv_has_a_bom_and_neutralises_formula_text(
    cast, risky_entries, login
):
    rows = csv_rows(_get(login(cast.teacher), risky_entries))
    assert rows[0] == [
        "look_for",
        "students_were",
        "text",
        "what",
        "so_what",
        "now_what",
        "noted_at",
        "tally_marks",
    ]
    texts = [row[2] for row in rows[1:]]
    assert texts[:3] == [
        '\'=HYPERLINK("http://evil.example","café")',
        "'-2 students off task",
        "'@mention the target",
    ]
    # New York is UTC-5 on 30 November; the time is ISO with its offset.
    assert rows[1][6] == "2026-11-30T08:05:30-05:00"
    assert not any(WITHHELD_MARK in row[0] for row in rows)


def test_evidence_csv_opens_in_pandas_with_tallies_as_numbers(
    cast, risky_entries, login
):
    frame = csv_frame(_get(login(cast.teacher), risky_entries))
    assert pd.api.types.is_numeric_dtype(frame["tally_marks"])
    assert frame["tally_marks"].sum() == 2
    noted = pd.to_datetime(frame["noted_at"].dropna(), utc=True)
    assert set(noted) == {pd.Timestamp(NOTED)}


def test_an_evaluators_export_below_the_threshold_says_rows_were_withheld(
    cast, host, login
):
    visit = cycle_with_visit(
        cast.school,
        host=host,
        observers=[cast.principal, cast.teacher],
        facilitator=cast.principal,
    )
    evidence(visit, cast.teacher, "Students compared two solution paths")
    evidence(visit, cast.principal, "Students wrote a claim first")
    response = _get(login(cast.principal), visit)
    rows = csv_rows(response)
    assert [row[2] for row in rows[1:-1]] == ["Students wrote a claim first"]
    assert rows[-1] == [
        f"{WITHHELD_MARK} only your own entries are here; the cycle's other "
        "evidence is from fewer than 3 classrooms, so it would point at the host."
    ]
    assert len(csv_frame(response)) == 1


def test_noted_at_is_local_time(cast, visit, login):
    evidence(visit, cast.teacher, "Students talk", noted_at=timezone.now())
    rows = csv_rows(_get(login(cast.teacher), visit))
    assert rows[1][6].startswith("2026-11-30T08:0")
    assert rows[1][6].endswith("-05:00")
