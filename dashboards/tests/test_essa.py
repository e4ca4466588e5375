"""The ESSA report pages: the school's and each teacher's own."""

import datetime as dt

import pandas as pd
from django.urls import reverse
from django_scopes import scopes_disabled

from dashboards.tests import factories as make
from jel.models import Role
from jel.tests.csv_checks import csv_frame, csv_rows
from jel.tests.factories import staff
from observations.models import Goal

PERIOD = {"start": "2026-09-01", "end": "2026-11-20"}


def essa_data(cast):
    """The cast teacher observes three rooms in two cycles and hosts once."""
    school = cast.school
    hosts = [staff(school, Role.TEACHER, full_name=f"Essa Host {n}") for n in range(3)]
    visitor = staff(school, Role.TEACHER, full_name="Essa Visitor")
    found = make.look_for(school, "Students justify answers")
    first = make.cycle(school, look_fors=[found])
    second = make.cycle(school, look_fors=[found])
    teacher = cast.teacher
    make.visit(
        first,
        hosts[0],
        [teacher],
        dt.date(2026, 9, 7),
        seen=[found],
        tallies={found: 2},
    )
    make.visit(
        first,
        hosts[1],
        [teacher],
        dt.date(2026, 9, 8),
        seen=[found],
        tallies={found: 1},
    )
    make.visit(second, hosts[2], [teacher], dt.date(2026, 10, 26), seen=[found])
    make.visit(second, teacher, [visitor], dt.date(2026, 10, 27), seen=[found])
    held = dt.datetime(2026, 10, 28, 19, tzinfo=dt.UTC)
    make.debrief(second, due_at=held, held_at=held, attendees=[teacher, visitor])
    with scopes_disabled():
        Goal.objects.filter(owner=teacher).delete()
    return hosts


def _rows(response):
    return csv_rows(response)


def test_teacher_sees_their_own_criteria_with_figures_and_rules(cast, login):
    essa_data(cast)
    response = login(cast.teacher).get(reverse("dashboards:my_learning"), PERIOD)
    page = response.content.decode()
    assert response.status_code == 200
    assert "2 cycles joined over 8 weeks" in page
    assert "1.5 hours (60 visit minutes, 1 debrief)" in page
    assert "At least 3 hours in classroom visits and debriefs" in page
    results = {r["key"]: r["met"] for r in response.context["report"].extra["results"]}
    assert results == {
        "sustained": True,
        "intensive": False,
        "collaborative": True,
        "job_embedded": True,
        "data_driven": True,
        "classroom_focused": True,
    }


def test_own_report_csv_has_the_figures(cast, login):
    essa_data(cast)
    rows = _rows(
        login(cast.teacher).get(
            reverse("dashboards:my_learning_csv"), {**PERIOD, "table": "figures"}
        )
    )
    assert rows == [
        ["Figure", "Value"],
        ["Cycles joined", "2"],
        ["Weeks spanned", "8"],
        ["Hours in visits and debriefs", "1.5"],
        ["Colleagues learned with", "4"],
        ["Evidence entries recorded", "6"],
        ["Classroom visits (hosted and observed)", "4"],
    ]


def test_teacher_cannot_open_another_teachers_report(cast, login):
    essa_data(cast)
    url = reverse("dashboards:essa_teacher", args=[cast.outsider.pk])
    assert login(cast.teacher).get(url).status_code == 403


def test_coach_opens_a_teachers_report_but_the_principal_may_not(cast, login, client):
    essa_data(cast)
    url = reverse("dashboards:essa_teacher", args=[cast.teacher.pk])
    response = login(cast.coach).get(url, PERIOD)
    assert response.status_code == 200
    assert "2 cycles joined over 8 weeks" in response.content.decode()
    client.logout()
    assert login(cast.principal).get(url, PERIOD).status_code == 403


def test_another_schools_teacher_is_not_found(cast, login):
    url = reverse("dashboards:essa_teacher", args=[cast.other_teacher.pk])
    assert login(cast.coach).get(url).status_code == 404


def test_school_report_counts_teachers_meeting_each_criterion(cast, login):
    essa_data(cast)
    rows = _rows(
        login(cast.principal).get(
            reverse("dashboards:essa_csv"), {**PERIOD, "table": "criteria"}
        )
    )
    assert rows[0] == ["Criterion", "Met", "Figures", "Rule", "Suppressed"]
    criteria = {row[0]: row[1:] for row in rows[1:]}
    # Teaching staff: the cast teacher and outsider, three hosts, one visitor.
    assert criteria["Classroom-focused"][:2] == ["False", "1 of 6 teachers (17%)"]
    assert criteria["Sustained"][:2] == ["False", "1 of 6 teachers (17%)"]
    assert criteria["Classroom-focused"][2].startswith("At least 50% of teachers")
    assert criteria["Classroom-focused"][3] == "False"
    page = login(cast.principal).get(reverse("dashboards:essa"), PERIOD)
    assert "Not yet" in page.content.decode()


def test_school_report_figures(cast, login):
    essa_data(cast)
    rows = _rows(
        login(cast.coach).get(
            reverse("dashboards:essa_csv"), {**PERIOD, "table": "figures"}
        )
    )
    assert rows[1:] == [
        ["Cycles with visits", "2", "False"],
        ["Weeks spanned", "8", "False"],
        ["Teacher hours in visits and debriefs", "3.0", "False"],
        ["Teachers taking part", "5", "False"],
        ["Evidence entries recorded", "7", "False"],
        ["Classroom visits", "4", "False"],
        ["Classrooms visited", "4", "False"],
    ]


def test_school_report_is_suppressed_below_the_threshold(cast, login):
    found = make.look_for(cast.school, "Students talk")
    c = make.cycle(cast.school, look_fors=[found])
    make.visit(c, cast.outsider, [cast.teacher], dt.date(2026, 9, 7))
    make.visit(c, cast.teacher, [cast.outsider], dt.date(2026, 9, 8))
    rows = _rows(
        login(cast.coach).get(
            reverse("dashboards:essa_csv"), {**PERIOD, "table": "criteria"}
        )
    )
    assert rows[1][1:3] == ["", ""]
    assert rows[1][-1] == "True"
    figures = csv_frame(
        login(cast.coach).get(
            reverse("dashboards:essa_csv"), {**PERIOD, "table": "figures"}
        )
    )
    assert figures["Suppressed"].all() and figures["Value"].isna().all()
    page = login(cast.coach).get(reverse("dashboards:essa"), PERIOD)
    assert "suppressed (fewer than 3 classrooms)" in page.content.decode()


def test_essa_csvs_open_in_pandas_with_numbers_typed(cast, login):
    essa_data(cast)
    client = login(cast.coach)
    for url in (reverse("dashboards:essa_csv"), reverse("dashboards:my_learning_csv")):
        figures = csv_frame(client.get(url, {**PERIOD, "table": "figures"}))
        assert pd.api.types.is_numeric_dtype(figures["Value"]), url
        criteria = csv_frame(client.get(url, {**PERIOD, "table": "criteria"}))
        assert pd.api.types.is_bool_dtype(criteria["Met"]), url
