"""A teacher's week and the school's week, and the home panel."""

import time_machine
from django.urls import reverse
from django_scopes import scope

from scheduling.models import Booking
from scheduling.services import booking_plan
from scheduling.tests.conftest import TUESDAY
from scheduling.tests.factories import SchoolDayFactory

WEEK = "2026-11-30"


def _visit(sched, cast):
    with scope(school=sched.school):
        return booking_plan(
            school=sched.school,
            by=cast.principal,
            kind=Booking.Kind.VISIT,
            title="Visit to Hope",
            date=TUESDAY,
            period=sched.periods[3],
            host=sched.host,
            observers=[sched.observer],
            coverage={sched.observer: sched.ann},
        )


def test_my_week_shows_classes_planning_and_the_visit(login, sched, cast):
    _visit(sched, cast)
    page = login(sched.observer).get(reverse("scheduling:my_week"), {"week": WEEK})
    html = page.content.decode()
    assert "Omar Haddad: week of 30 November 2026" in html
    assert "Haddad class P2" in html and "Planning" in html
    assert "Visit to Hope" in html and "(observer, 09:50-10:05)" in html
    assert "Your class: Ann Able covers" in html


def test_my_week_shows_cover_duty_to_the_coverer(login, sched, cast):
    _visit(sched, cast)
    html = (
        login(sched.ann)
        .get(reverse("scheduling:my_week"), {"week": WEEK})
        .content.decode()
    )
    assert "Covering a class for Visit to Hope" in html


def test_my_week_says_when_there_is_no_school(login, sched, cast):
    SchoolDayFactory(
        school=sched.school,
        date=TUESDAY,
        is_school_day=False,
        note="Snow day",
    )
    html = (
        login(sched.host)
        .get(reverse("scheduling:my_week"), {"week": WEEK})
        .content.decode()
    )
    assert "No school: Snow day." in html


def test_my_week_query_count_is_pinned(
    login, sched, cast, django_assert_max_num_queries
):
    _visit(sched, cast)
    client = login(sched.observer)
    with django_assert_max_num_queries(40):
        client.get(reverse("scheduling:my_week"), {"week": WEEK})


def test_school_week_shows_who_visits_whom_and_coverage(
    login, sched, cast, django_assert_max_num_queries
):
    _visit(sched, cast)
    client = login(cast.principal)
    with django_assert_max_num_queries(16):
        page = client.get(reverse("scheduling:school_week"), {"week": WEEK})
    html = page.content.decode()
    assert "Omar Haddad → Hope Host" in html
    assert "Ann Able for Omar Haddad" in html


def test_school_week_is_for_planners(login, sched, cast):
    response = login(cast.teacher).get(reverse("scheduling:school_week"))
    assert response.status_code == 403


def test_home_panel_lists_todays_visit(login, sched, cast):
    _visit(sched, cast)
    with time_machine.travel("2026-12-01 08:00 -05:00", tick=False):
        html = login(sched.host).get(reverse("home")).content.decode()
    assert "Your bookings this week" in html
    assert "Visit to Hope" in html and "host" in html


def test_home_panel_shows_cover_duty_later_this_week(login, sched, cast):
    _visit(sched, cast)
    with time_machine.travel("2026-11-30 08:00 -05:00", tick=False):
        html = login(sched.ann).get(reverse("home")).content.decode()
    assert "Later this week" in html and "Cover a class: Visit to Hope" in html


def test_home_panel_empty_state_says_what_to_do(login, sched, cast):
    with time_machine.travel("2026-11-30 08:00 -05:00", tick=False):
        teacher_html = login(sched.host).get(reverse("home")).content.decode()
    assert "Nothing booked for you for the rest of this week." in teacher_html
    assert "My week shows your planning periods" in teacher_html
    with time_machine.travel("2026-11-30 08:00 -05:00", tick=False):
        principal_html = login(cast.principal).get(reverse("home")).content.decode()
    assert "Plan a visit" in principal_html


def test_nav_links_by_role(login, sched, cast):
    teacher_html = login(cast.teacher).get(reverse("home")).content.decode()
    assert "My week" in teacher_html
    assert reverse("scheduling:school_week") not in teacher_html
    coach_html = login(cast.coach).get(reverse("home")).content.decode()
    assert reverse("scheduling:school_week") in coach_html


def test_school_week_says_when_there_is_no_school(login, sched, cast):
    SchoolDayFactory(
        school=sched.school, date=TUESDAY, is_school_day=False, note="Snow day"
    )
    html = (
        login(cast.principal)
        .get(reverse("scheduling:school_week"), {"week": WEEK})
        .content.decode()
    )
    assert "No school: Snow day." in html


def test_bulk_day_infos_match_one_by_one(sched, cast, in_school):
    import datetime as dt

    from scheduling.selectors import day_info, day_infos

    SchoolDayFactory(school=sched.school, date=TUESDAY, is_school_day=False)
    start, end = dt.date(2026, 11, 28), dt.date(2026, 12, 8)
    bulk = day_infos(school=sched.school, start=start, end=end)
    assert list(bulk) == [start + dt.timedelta(days=i) for i in range(11)]
    for day, info in bulk.items():
        assert info == day_info(school=sched.school, day=day)
