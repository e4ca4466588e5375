"""seed_demo on any day gives a school in the middle of its year.

Each test seeds once on its date and checks what a user would notice there
(see demo_checks); the dates are the awkward ones: in term, winter break, the
mornings the clocks change, early and late summer, and years ahead.
"""

import datetime as dt
import io
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command
from django_scopes import scopes_disabled

from jel.tests.demo_checks import assert_school_in_action
from scheduling.models import AcademicYear, Booking, ObservationWindow, Term

pytestmark = pytest.mark.django_db
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def _at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=NEW_YORK)


def _seed():
    call_command("seed_demo", stdout=io.StringIO())


def test_in_term_the_window_is_open_and_visits_are_this_week():
    _seed()  # the suite clock: Monday 30 November 2026
    school, today = assert_school_in_action()
    with scopes_disabled():
        assert AcademicYear.objects.filter(school=school).count() == 1
        window = ObservationWindow.objects.get(
            school=school, starts_on__lte=today, ends_on__gte=today
        )
        assert window.name == "Quarter 2 visits"
        planned = Booking.objects.filter(title__startswith="Visit to")
        days = sorted(planned.values_list("date", flat=True))
        assert days == [dt.date(2026, 12, 1), dt.date(2026, 12, 3)]
        # Next week's rounds and their debrief are booked too.
        later = Booking.objects.exclude(title__startswith="Visit to")
        assert {b.date.isocalendar()[1] for b in later} == {50}


def test_during_winter_break_the_visits_wait_for_january():
    with time_machine.travel(_at(2026, 12, 28, 10, 0), tick=False):
        _seed()
        school, today = assert_school_in_action()
    with scopes_disabled():
        first = min(Booking.objects.values_list("date", flat=True))
    assert first == dt.date(2027, 1, 4)


@pytest.mark.parametrize(
    "moment",
    [
        pytest.param(_at(2027, 3, 14, 7, 30), id="spring-forward-2027"),
        pytest.param(_at(2026, 11, 1, 7, 30), id="fall-back-2026"),
        pytest.param(_at(2027, 9, 8, 13, 0), id="early-september-2027"),
    ],
)
def test_on_the_mornings_the_clocks_change_and_early_in_the_year(moment):
    with time_machine.travel(moment, tick=False):
        _seed()
        assert_school_in_action()


def test_early_july_is_the_summer_session():
    with time_machine.travel(_at(2027, 7, 5, 9, 0), tick=False):
        _seed()
        school, today = assert_school_in_action()
        with scopes_disabled():
            term = Term.objects.get(
                school=school, starts_on__lte=today, ends_on__gte=today
            )
            assert (term.name, term.year.name) == ("Summer session", "2026-27")


def test_late_july_books_the_first_school_week_of_the_next_year():
    with time_machine.travel(_at(2027, 7, 26, 9, 0), tick=False):
        _seed()
        school, today = assert_school_in_action()
    with scopes_disabled():
        names = set(AcademicYear.objects.values_list("name", flat=True))
        assert names == {"2026-27", "2027-28"}  # the history reaches last year
        first = AcademicYear.objects.get(name="2027-28").starts_on
        assert first == dt.date(2027, 8, 23)
        days = Booking.objects.values_list("date", flat=True)
        assert all(first <= day <= first + dt.timedelta(days=4) for day in days)


def test_years_ahead_in_2030():
    with time_machine.travel(_at(2030, 3, 10, 7, 30), tick=False):
        _seed()
        school, today = assert_school_in_action()
    with scopes_disabled():
        assert AcademicYear.objects.filter(name="2029-30").exists()


def test_a_week_later_adds_the_present_and_keeps_the_past():
    from jel.tests.test_seed_demo import _snapshot

    _seed()
    before = _snapshot()
    with time_machine.travel(_at(2026, 12, 7, 8, 0), tick=False):
        _seed()
        assert_school_in_action()
    after = _snapshot()
    for label, rows in before.items():
        kept = {row["id"] for row in after[label]}
        assert {row["id"] for row in rows} <= kept, f"{label} lost rows"
    with scopes_disabled():
        from cycles.models import Cycle

        keys = list(Cycle.objects.values_list("title", "starts_on"))
        assert len(keys) == len(set(keys))
        bookings = list(Booking.objects.values_list("date", "title", "starts_at"))
        assert len(bookings) == len(set(bookings))
        # Two planned visits a week, each week once.
        assert Booking.objects.filter(title__startswith="Visit to").count() == 4
    assert len(after["cycles.Cycle"]) > len(before["cycles.Cycle"])
