"""Input checked before it reaches the database: one home for the limits.

Forms, query strings and the API use these, so a date in year 1 or 9999, an
id of 2**63, "abc" where an id goes, a line break in a calendar title or a
megabyte in a text box is refused with a message the person can act on, never
a server error.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db.models import Model
from django.utils import timezone

# Dates a school could mean: nothing before this, and no more than this many
# years after today (a plan for the year after next is the farthest a school
# books; a typo like 2206 is refused).
EARLIEST_DATE = dt.date(2000, 1, 1)
YEARS_AHEAD = 5

# Ids: a positive number that fits a 64-bit column (SQLite overflows past it;
# PostgreSQL's bigint too). The `id` path converter uses the same cap.
ID_MAX = 2**63 - 1

# Text limits, by what the box is for. Models and forms both use them, so they
# agree; derived texts (a reminder's subject, a calendar summary) are built to
# fit their columns from these.
TITLE_MAX = 200  # a cycle's or visit's title: one line
LINE_MAX = 300  # a one-line answer: a look-for, a focus, a question
NOTE_MAX = 5_000  # a note: pre-brief, debrief notes, a check-in, a goal
LONG_MAX = 20_000  # long writing: a reflection


def latest_date(today: dt.date | None = None) -> dt.date:
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:  # 29 February
        return today.replace(year=today.year + YEARS_AHEAD, day=28)


def check_school_date(value: dt.date | None) -> None:
    """Refuse a date no school would mean (before 2000, or years ahead)."""
    if value is None:
        return
    if isinstance(value, dt.datetime):
        value = value.date()
    if value < EARLIEST_DATE:
        raise ValidationError(
            "Give a date from %(earliest)s on.",
            code="date_too_early",
            params={"earliest": EARLIEST_DATE.strftime("%-d %B %Y")},
        )
    latest = latest_date()
    if value > latest:
        raise ValidationError(
            "Give a date on or before %(latest)s: that is further ahead than a "
            "school plans.",
            code="date_too_late",
            params={"latest": latest.strftime("%-d %B %Y")},
        )


class SchoolDateField(forms.DateField):
    """A date field that refuses dates no school would mean."""

    default_validators = [check_school_date]


def parse_school_date(value: str | None) -> dt.date | None:
    """A query string's date (YYYY-MM-DD) a school could mean, else None."""
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(str(value).strip())
    except ValueError:
        return None
    try:
        check_school_date(day)
    except ValidationError:
        return None
    return day


def parse_id(value) -> int | None:
    """A query string's or form's id if it is one (1 .. 2**63-1), else None."""
    text = str(value).strip() if value is not None else ""
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    number = int(text)
    return number if 1 <= number <= ID_MAX else None


class IdConverter:
    """`<id:pk>` in URLs: digits that fit a 64-bit id; longer ones are a 404."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


def check_one_line(value: str) -> None:
    """Titles go into calendar summaries and e-mail subjects: one line only."""
    if value and any(ch in value for ch in "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"):
        raise ValidationError(
            "Keep this to one line (no line breaks).", code="one_line"
        )


def check_no_control_characters(value: str) -> None:
    """NUL and other control characters cannot be stored (PostgreSQL refuses NUL)."""
    bad = {chr(n) for n in range(32) if chr(n) not in "\t\n\r"} | {"\x7f"}
    if value and any(ch in bad for ch in value):
        raise ValidationError(
            "Remove the invisible control characters from this text.",
            code="control_characters",
        )


class OneLineField(forms.CharField):
    """A title or short answer: one line, a length cap, no control characters."""

    def __init__(self, *, max_length: int = TITLE_MAX, **kwargs):
        super().__init__(max_length=max_length, **kwargs)
        self.validators += [check_one_line, check_no_control_characters]

    def to_python(self, value):
        value = super().to_python(value)
        # Pasted text often ends in a line break; that is not a second line.
        return value.strip() if value else value


class TextField(forms.CharField):
    """Free writing with a length cap and a message that says the cap."""

    def __init__(self, *, max_length: int = NOTE_MAX, **kwargs):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 4}))
        super().__init__(max_length=max_length, **kwargs)
        self.error_messages["max_length"] = (
            f"Keep this to {max_length:,} characters (this has %(show_value)s)."
        )
        self.validators += [check_no_control_characters]


def max_length_validator(limit: int) -> MaxLengthValidator:
    """For models' TextFields: the same cap the form says, checked by full_clean."""
    return MaxLengthValidator(
        limit, message=f"Keep this to {limit:,} characters (this has %(show_value)s)."
    )


class SchoolDateTimeField(forms.DateTimeField):
    """A date and time whose day a school could mean (see check_school_date)."""

    default_validators = [check_school_date]


def _invalid_choice(field):
    return ValidationError(
        field.error_messages["invalid_choice"], code="invalid_choice"
    )


class IdChoiceField(forms.ModelChoiceField):
    """A choice by id: "abc", "²" or 2**63 is "not one of the choices", never a
    query the database cannot run (SQLite overflows on a huge integer)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if not isinstance(value, Model) and parse_id(value) is None:
            raise _invalid_choice(self)
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several choices by id; any value that is not an id is refused as such."""

    def _check_values(self, value):
        for item in value:
            if not isinstance(item, Model) and parse_id(item) is None:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": item},
                )
        return super()._check_values(value)
