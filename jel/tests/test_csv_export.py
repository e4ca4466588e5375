"""The one CSV writer: a BOM for Excel, typed values, formulas neutralised."""

import datetime as dt
import io
import zoneinfo

import pandas as pd
import pytest

from jel.csv_export import WITHHELD_MARK, csv_response, csv_value, neutralised


@pytest.mark.parametrize(
    "text", ["=1+1", "+33 1 23", "-2", "@SUM(A1)", "\tTab", "\rReturn"]
)
def test_text_that_starts_a_formula_gets_an_apostrophe(text):
    assert neutralised(text) == f"'{text}"


@pytest.mark.parametrize("text", ["Students talk", "café", "", "'quoted", "3 = 3"])
def test_other_text_is_left_as_written(text):
    assert neutralised(text) == text


def test_values_are_typed_not_display_text():
    new_york = zoneinfo.ZoneInfo("America/New_York")
    assert csv_value(8) == 8
    assert csv_value(0.39) == 0.39
    assert csv_value(True) is True
    assert csv_value(None) == ""
    assert csv_value(dt.date(2026, 11, 2)) == "2026-11-02"
    at = dt.datetime(2026, 11, 2, 9, 30, tzinfo=new_york)
    assert csv_value(at) == "2026-11-02T09:30-05:00"
    assert csv_value(at.replace(second=5)) == "2026-11-02T09:30:05-05:00"
    assert csv_value(-3) == -3  # a negative number is a number, not a formula


def test_response_has_a_bom_and_opens_in_pandas_with_numbers_typed():
    response = csv_response(
        "x.csv",
        ["Name", "Count", "Share (%)", "Suppressed", "Week"],
        [
            ["café", 8, 39, False, dt.date(2026, 11, 2)],
            ['=HYPERLINK("http://x")', None, None, True, dt.date(2026, 11, 9)],
        ],
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    assert response.content.startswith(b"\xef\xbb\xbfName,Count")
    frame = pd.read_csv(io.BytesIO(response.content), encoding="utf-8-sig")
    assert list(frame["Name"]) == ["café", '\'=HYPERLINK("http://x")']
    assert pd.api.types.is_numeric_dtype(frame["Count"])
    assert pd.api.types.is_numeric_dtype(frame["Share (%)"])
    assert pd.api.types.is_bool_dtype(frame["Suppressed"])
    assert frame["Count"].isna().tolist() == [False, True]
    assert list(frame["Week"]) == ["2026-11-02", "2026-11-09"]


def test_withheld_rows_are_said_on_the_last_line():
    response = csv_response("x.csv", ["a", "b"], [[1, 2]], withheld="3 more rows")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines == ["a,b", "1,2", f"{WITHHELD_MARK} 3 more rows"]
    complete = csv_response("x.csv", ["a", "b"], [[1, 2]])
    assert WITHHELD_MARK not in complete.content.decode("utf-8-sig")
