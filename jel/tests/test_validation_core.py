"""The shared input limits: dates a school could mean, ids that fit, one-line text."""

import datetime as dt

import pytest
import time_machine
from django import forms
from django.urls import Resolver404, resolve

from jel import validation


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2027, 2, 24, 15, 0, tzinfo=dt.UTC)):
        yield


class _Form(forms.Form):
    day = validation.SchoolDateField()
    title = validation.OneLineField()
    notes = validation.TextField(max_length=50, required=False)


@pytest.mark.parametrize(
    "value, error",
    [
        ("0001-01-01", "Give a date from 1 January 2000 on."),
        ("1900-09-01", "Give a date from 1 January 2000 on."),
        ("9999-12-31", "Give a date on or before 24 February 2032"),
        ("2027-02-30", "Enter a valid date."),
    ],
)
def test_a_date_no_school_means_is_a_field_error(value, error):
    form = _Form({"day": value, "title": "Rounds"})
    assert not form.is_valid()
    assert error in form.errors["day"][0]


def test_this_year_and_the_year_after_next_are_fine():
    for value in ("2027-02-24", "2000-01-01", "2032-02-24"):
        assert _Form({"day": value, "title": "Rounds"}).is_valid(), value


def test_a_title_with_a_line_break_is_refused_and_a_trailing_one_is_trimmed():
    form = _Form({"day": "2027-03-01", "title": "Rounds\nBEGIN:VEVENT"})
    assert form.errors["title"] == ["Keep this to one line (no line breaks)."]
    form = _Form({"day": "2027-03-01", "title": "Rounds in Room 12\n"})
    assert form.is_valid() and form.cleaned_data["title"] == "Rounds in Room 12"


def test_long_text_and_control_characters_get_a_message_that_says_the_cap():
    form = _Form({"day": "2027-03-01", "title": "x", "notes": "y" * 51})
    assert form.errors["notes"] == ["Keep this to 50 characters (this has 51)."]
    form = _Form({"day": "2027-03-01", "title": "x", "notes": "a\x07b"})
    assert "control characters" in form.errors["notes"][0]


@pytest.mark.parametrize(
    "value, parsed",
    [
        ("12", 12),
        (" 7 ", 7),
        ("0", None),
        ("-1", None),
        ("abc", None),
        ("1e5", None),
        ("1.5", None),
        (str(2**63), None),
        (str(2**63 - 1), 2**63 - 1),
        ("", None),
        (None, None),
        ("١٢", None),
    ],
)
def test_parse_id_takes_only_ids_that_fit_a_64_bit_column(value, parsed):
    assert validation.parse_id(value) == parsed


@pytest.mark.parametrize(
    "value, parsed",
    [
        ("2027-03-01", dt.date(2027, 3, 1)),
        ("0001-01-01", None),
        ("9999-01-01", None),
        ("abc", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_school_date(value, parsed):
    assert validation.parse_school_date(value) == parsed


def test_an_id_too_long_for_a_column_is_not_a_route():
    assert resolve("/cycles/123/").kwargs == {"pk": 123}
    with pytest.raises(Resolver404):
        resolve(f"/cycles/{2**64}/")
