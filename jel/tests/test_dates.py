"""The shared date, clock and grade helpers."""

import datetime as dt

from jel.dates import add_minutes, grade_band, grade_span, week_start


def test_week_start_is_the_monday():
    assert week_start(dt.date(2026, 12, 3)) == dt.date(2026, 11, 30)
    assert week_start(dt.date(2026, 11, 30)) == dt.date(2026, 11, 30)
    assert week_start(dt.date(2026, 12, 6)) == dt.date(2026, 11, 30)


def test_add_minutes_keeps_the_wall_clock():
    assert add_minutes(dt.time(9, 50), 15) == dt.time(10, 5)
    assert add_minutes(dt.time(10, 5), -15) == dt.time(9, 50)


def test_grade_labels():
    assert grade_span([8, 6, 7]) == "6-8"
    assert grade_span([0, 1, 2]) == "K-2"
    assert grade_span([7]) == "7"
    assert grade_span([]) == ""
    assert grade_band([6, 7, 8]) == "Grades 6-8"
    assert grade_band([7]) == "Grade 7"
    assert grade_band(None) == "No grade"
