"""The look-for trends dashboard: exact figures, suppression, CSV, API, query count."""

import datetime as dt
from types import SimpleNamespace

import pandas as pd
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from cycles.models import Cycle, ProblemOfPractice
from dashboards.tests import factories as make
from dashboards.tests.csv_reading import HIDDEN, cross_cells, share
from jel.models import Role
from jel.tests.csv_checks import csv_frame, csv_rows
from jel.tests.factories import staff
from scheduling.models import AcademicYear, Term

SUPPRESSED = "suppressed (fewer than 3 classrooms)"
PERIOD = {"start": "2026-09-01", "end": "2026-12-31"}
WEEK_1 = dt.date(2026, 10, 5)
WEEK_2 = dt.date(2026, 10, 12)
SUMMARY_HEADER = [
    "Look-for",
    "Seen in (%)",
    "Seen in (visits)",
    "Seen in (out of visits)",
    "Classrooms",
    "Tally marks",
    "Suppressed",
]
# A summary row whose figures are suppressed: no number at all, and it says so.
SUMMARY_HIDDEN = ["", "", "", "", "", "True"]
# Sign-in, session and navigation take about eight; the dashboard the rest.
QUERY_LIMIT = 20


def trend_data(cast):
    """Eight classrooms: four in Mathematics, three in English, one in Science.

    Look-for A is seen in M1, M2, M3, E1 and S1 (5 of 8 visits); B only in M1.
    Week of 5 Oct: M1, M2, E1, S1. Week of 12 Oct: M3, M4, E2, E3.
    """
    school = cast.school
    hosts = {
        name: staff(school, Role.TEACHER, full_name=f"Host {name}", department=dept)
        for name, dept in [
            ("M1", "Mathematics"),
            ("M2", "Mathematics"),
            ("M3", "Mathematics"),
            ("M4", "Mathematics"),
            ("E1", "English"),
            ("E2", "English"),
            ("E3", "English"),
            ("S1", "Science"),
        ]
    }
    a = make.look_for(school, "Students explain the target", position=0)
    b = make.look_for(school, "Students refer to the rubric", position=1)
    rounds = make.cycle(school, look_fors=[a, b], facilitator=cast.coach)
    observer = cast.outsider
    seen_a = {"M1", "M2", "M3", "E1", "S1"}
    for name, host in hosts.items():
        day = WEEK_1 if name in {"M1", "M2", "E1", "S1"} else WEEK_2
        seen = [a] if name in seen_a else []
        if name == "M1":
            seen.append(b)
        make.visit(
            rounds,
            host,
            [observer],
            day,
            seen=seen,
            tallies={a: 2} if name == "M1" else None,
        )
    return SimpleNamespace(hosts=hosts, a=a, b=b, cycle=rounds, observer=observer)


def _csv(response):
    return csv_rows(response)


def test_trends_page_shows_share_of_visits_where_each_look_for_was_seen(cast, login):
    trend_data(cast)
    response = login(cast.coach).get(reverse("dashboards:trends"), PERIOD)
    assert response.status_code == 200
    page = response.content.decode()
    assert "63% (5 of 8 visits)" in page
    assert "13% (1 of 8 visits)" in page


def test_summary_csv_has_exact_figures(cast, login):
    trend_data(cast)
    rows = _csv(
        login(cast.coach).get(
            reverse("dashboards:trends_csv"), {**PERIOD, "table": "summary"}
        )
    )
    assert rows == [
        SUMMARY_HEADER,
        ["Students explain the target", *share(63, 5, 8), "8", "2", "False"],
        ["Students refer to the rubric", *share(13, 1, 8), "8", "0", "False"],
    ]


def test_weekly_csv_has_one_row_per_week(cast, login):
    trend_data(cast)
    rows = _csv(
        login(cast.coach).get(
            reverse("dashboards:trends_csv"), {**PERIOD, "table": "weekly"}
        )
    )
    # One figure a line; the week is its Monday, ISO.
    explain, rubric = "Students explain the target", "Students refer to the rubric"
    assert rows == [
        ["Week", "Look-for"] + SUMMARY_HEADER[1:4] + ["Suppressed"],
        ["2026-10-05", explain, *share(100, 4, 4), "False"],
        ["2026-10-05", rubric, *share(25, 1, 4), "False"],
        ["2026-10-12", explain, *share(25, 1, 4), "False"],
        ["2026-10-12", rubric, *share(0, 0, 4), "False"],
    ]


def test_heatmap_suppresses_the_small_department_and_the_next_smallest(cast, login):
    # Science has one classroom; hiding it alone would let Science be worked out
    # as the total minus Mathematics and English, so English is hidden too.
    trend_data(cast)
    rows = _csv(
        login(cast.coach).get(
            reverse("dashboards:trends_csv"), {**PERIOD, "table": "heatmap"}
        )
    )
    assert rows[0][:2] == ["Look-for", "Department"]
    assert cross_cells(rows)["Students explain the target"] == {
        "English": HIDDEN,
        "Mathematics": share(75, 3, 4),
        "Science": HIDDEN,
        "All classrooms": share(63, 5, 8),
    }


def test_heatmap_by_grade_band(cast, login):
    trend_data(cast)
    rows = _csv(
        login(cast.coach).get(
            reverse("dashboards:trends_csv"),
            {**PERIOD, "table": "heatmap", "by": "grade"},
        )
    )
    # Every host teaches grade 7 (the factory default): one column, all shown.
    assert rows[0][:2] == ["Look-for", "Grade band"]
    assert cross_cells(rows)["Students explain the target"] == {
        "Grade 7": share(63, 5, 8),
        "All classrooms": share(63, 5, 8),
    }


def test_department_filter_shows_that_department_only(cast, login):
    trend_data(cast)
    rows = _csv(
        login(cast.coach).get(
            reverse("dashboards:trends_csv"),
            {**PERIOD, "table": "summary", "department": "Mathematics"},
        )
    )
    assert rows[1] == [
        "Students explain the target",
        *share(75, 3, 4),
        "4",
        "2",
        "False",
    ]


def test_department_view_hidden_in_the_whole_school_view_stays_hidden(cast, login):
    # English is hidden in the school's heat map (complementary suppression), so
    # the English-only view must not show it either: school total minus the
    # Mathematics and English views would reveal Science.
    trend_data(cast)
    rows = _csv(
        login(cast.coach).get(
            reverse("dashboards:trends_csv"),
            {**PERIOD, "table": "summary", "department": "English"},
        )
    )
    assert rows[1] == ["Students explain the target", *SUMMARY_HIDDEN]


def _small_lab(cast, classrooms):
    school = cast.school
    c = make.look_for(school, "Students give each other feedback")
    lab = make.cycle(school, kind=Cycle.Kind.LAB, look_fors=[c])
    for n in range(classrooms):
        host = staff(school, Role.TEACHER, full_name=f"Lab host {n}")
        make.visit(lab, host, [cast.outsider], WEEK_1, seen=[c])


def test_figure_over_threshold_minus_one_classrooms_is_suppressed(cast, login):
    _small_lab(cast, classrooms=cast.school.privacy_threshold - 1)
    rows = _csv(
        login(cast.coach).get(
            reverse("dashboards:trends_csv"), {**PERIOD, "table": "summary"}
        )
    )
    assert rows[1] == ["Students give each other feedback", *SUMMARY_HIDDEN]


def test_figure_over_exactly_threshold_classrooms_is_shown(cast, login):
    _small_lab(cast, classrooms=cast.school.privacy_threshold)
    rows = _csv(
        login(cast.coach).get(
            reverse("dashboards:trends_csv"), {**PERIOD, "table": "summary"}
        )
    )
    assert rows[1] == [
        "Students give each other feedback",
        *share(100, 3, 3),
        "3",
        "0",
        "False",
    ]


def test_cycle_type_filter_cannot_be_differenced_against_all_types(cast, login):
    # Rounds in 8 classrooms and a lab in 2 more: the lab's figure is
    # suppressed, so the rounds-only view must be too, or all minus rounds
    # would reveal the lab's two classrooms.
    data = trend_data(cast)
    lab = make.cycle(cast.school, kind=Cycle.Kind.LAB, look_fors=[data.a])
    for n in range(2):
        host = staff(cast.school, Role.TEACHER, full_name=f"Lab host {n}")
        make.visit(lab, host, [cast.outsider], WEEK_1, seen=[data.a])
    client = login(cast.coach)
    everything = _csv(
        client.get(reverse("dashboards:trends_csv"), {**PERIOD, "table": "summary"})
    )
    assert everything[1][1:4] == share(70, 7, 10)
    rounds_only = _csv(
        client.get(
            reverse("dashboards:trends_csv"),
            {**PERIOD, "table": "summary", "kind": "rounds"},
        )
    )
    assert rounds_only[1][1:] == SUMMARY_HIDDEN
    labs_only = _csv(
        client.get(
            reverse("dashboards:trends_csv"),
            {**PERIOD, "table": "summary", "kind": "lab"},
        )
    )
    assert labs_only[1][1:] == SUMMARY_HIDDEN


def test_suppressed_figures_are_gaps_in_the_chart(cast, login):
    _small_lab(cast, classrooms=2)
    response = login(cast.coach).get(reverse("dashboards:trends"), PERIOD)
    summary = response.context["report"].charts["summary"]
    assert summary["datasets"][0]["data"] == [None]
    assert SUPPRESSED in response.content.decode()


def test_api_returns_the_same_tables_with_suppressed_cells_without_numbers(cast, login):
    trend_data(cast)
    response = login(cast.coach).get(reverse("dashboards:api_trends"), PERIOD)
    assert response.status_code == 200
    tables = {table["key"]: table for table in response.json()["tables"]}
    heat_row = tables["heatmap"]["rows"][0]
    assert heat_row[0] == "Students explain the target"
    assert heat_row[1] == {"suppressed": True, "note": SUPPRESSED}
    assert heat_row[2] == {
        "suppressed": False,
        "share": 75,
        "seen": 3,
        "visits": 4,
        "classrooms": 4,
    }


def test_api_rejects_bad_filters_with_field_details(cast, login):
    response = login(cast.coach).get(
        reverse("dashboards:api_trends"), {"start": "2026-12-01", "end": "2026-09-01"}
    )
    assert response.status_code == 400
    assert "end" in response.json()


def test_filters_stay_in_the_url_and_the_csv_link(cast, login):
    trend_data(cast)
    response = login(cast.coach).get(
        reverse("dashboards:trends"), {**PERIOD, "department": "Mathematics"}
    )
    page = response.content.decode()
    assert 'method="get"' in page
    assert "department=Mathematics" in page
    assert '<option value="Mathematics" selected>' in page


def test_principal_never_sees_hosts_or_evidence_text(cast, login):
    school = cast.school
    host = staff(school, Role.TEACHER, full_name="Hana Hostname")
    others = [staff(school, Role.TEACHER, full_name=f"Other {n}") for n in range(3)]
    a = make.look_for(school, "Students argue from evidence")
    rounds = make.cycle(school, look_fors=[a])
    for teacher in [host, *others]:
        make.visit(
            rounds,
            teacher,
            [cast.outsider],
            WEEK_1,
            seen=[a],
            texts={a.pk: "Students argued about fractions"},
        )
    client = login(cast.principal)
    bodies = [client.get(reverse("dashboards:trends"), PERIOD).content.decode()]
    for table in ("summary", "weekly", "heatmap"):
        bodies.append(
            client.get(
                reverse("dashboards:trends_csv"), {**PERIOD, "table": table}
            ).content.decode()
        )
    bodies.append(client.get(reverse("dashboards:api_trends"), PERIOD).content.decode())
    for body in bodies:
        assert "Hana Hostname" not in body
        assert "argued about fractions" not in body
    assert "100% (4 of 4 visits)" in bodies[0]


def test_teacher_gets_403_on_school_dashboards(cast, login):
    client = login(cast.teacher)
    for route in ("trends", "participation", "follow_through", "essa"):
        assert client.get(reverse(f"dashboards:{route}")).status_code == 403


def test_trends_page_runs_a_fixed_number_of_queries(
    cast, login, django_assert_max_num_queries
):
    data = trend_data(cast)
    client = login(cast.coach)
    query = {**PERIOD, "department": "Mathematics", "kind": "rounds"}
    client.get(reverse("dashboards:trends"), query)  # the session settles first
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("dashboards:trends"), query)
    for week in range(6):
        for host in data.hosts.values():
            make.visit(
                data.cycle,
                host,
                [data.observer],
                WEEK_2 + dt.timedelta(weeks=week + 1),
                seen=[data.a, data.b],
            )
    with django_assert_max_num_queries(QUERY_LIMIT):
        assert client.get(reverse("dashboards:trends"), query).status_code == 200
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("dashboards:trends"), query)
    assert len(large) == len(small)


def test_problem_of_practice_filter_keeps_its_cycles_only(cast, login):
    school = cast.school
    with scopes_disabled():
        writing = ProblemOfPractice.objects.create(
            school=school, question="What is the evidence students write to learn?"
        )
        talk = ProblemOfPractice.objects.create(
            school=school, question="What is the evidence students talk to learn?"
        )
    a = make.look_for(school, "Students revise a claim")
    hosts = [staff(school, Role.TEACHER, full_name=f"P host {n}") for n in range(6)]
    for problem, chosen, seen_in in ((writing, hosts[:3], 3), (talk, hosts[3:], 0)):
        c = make.cycle(school, look_fors=[a], problem=problem)
        for n, host in enumerate(chosen):
            make.visit(
                c, host, [cast.outsider], WEEK_1, seen=[a] if n < seen_in else []
            )
    client = login(cast.coach)
    url = reverse("dashboards:trends_csv")
    assert _csv(client.get(url, {**PERIOD, "table": "summary"}))[1][1:4] == share(
        50, 3, 6
    )
    writing_only = {**PERIOD, "table": "summary", "problem": writing.pk}
    assert _csv(client.get(url, writing_only))[1][1:4] == share(100, 3, 3)


def test_term_filter_and_this_term_by_default(cast, login):
    school = cast.school
    with scopes_disabled():
        year = AcademicYear.objects.create(
            school=school,
            name="2026-27",
            starts_on=dt.date(2026, 8, 1),
            ends_on=dt.date(2027, 6, 30),
        )
        fall = Term.objects.create(
            school=school,
            year=year,
            name="Fall",
            kind=Term.Kind.SEMESTER,
            starts_on=dt.date(2026, 8, 1),
            ends_on=dt.date(2026, 10, 9),
        )
        Term.objects.create(
            school=school,
            year=year,
            name="Late fall",
            kind=Term.Kind.QUARTER,
            starts_on=dt.date(2026, 10, 10),
            ends_on=dt.date(2026, 12, 31),
        )
    trend_data(cast)  # week of 5 Oct falls in Fall; week of 12 Oct in Late fall
    client = login(cast.coach)
    url = reverse("dashboards:trends_csv")
    fall_rows = _csv(client.get(url, {"table": "summary", "term": fall.pk}))
    assert fall_rows[1][1:4] == share(100, 4, 4)
    with time_machine.travel(dt.datetime(2026, 11, 25, 15, tzinfo=dt.UTC)):
        page = client.get(reverse("dashboards:trends")).content.decode()
    assert "Late fall: 10 Oct 2026 to 31 Dec 2026" in page
    assert "25% (1 of 4 visits)" in page


def test_cell_hidden_in_the_whole_school_stays_hidden_in_a_cycle_type_view(cast, login):
    # All types: Mathematics 4, English 6 (3 in rounds, 3 in a lab), Science 1.
    # Science is hidden and Mathematics with it. The rounds view has only the
    # same 4 Mathematics rooms; showing them there would give away the whole
    # school's Mathematics cell, and with it Science.
    data = trend_data(cast)
    lab = make.cycle(cast.school, kind=Cycle.Kind.LAB, look_fors=[data.a])
    for n in range(3):
        host = staff(
            cast.school, Role.TEACHER, full_name=f"Lab E{n}", department="English"
        )
        make.visit(lab, host, [cast.outsider], WEEK_1, seen=[data.a])
    client = login(cast.coach)
    url = reverse("dashboards:trends_csv")
    everything = _csv(client.get(url, {**PERIOD, "table": "heatmap"}))
    explain = "Students explain the target"
    assert cross_cells(everything)[explain] == {
        "English": share(67, 4, 6),
        "Mathematics": HIDDEN,
        "Science": HIDDEN,
        "All classrooms": share(73, 8, 11),
    }
    rounds = _csv(client.get(url, {**PERIOD, "table": "heatmap", "kind": "rounds"}))
    assert cross_cells(rounds)[explain]["Mathematics"] == HIDDEN
    labs = _csv(client.get(url, {**PERIOD, "table": "heatmap", "kind": "lab"}))
    assert cross_cells(labs)[explain] == {
        "English": share(100, 3, 3),
        "All classrooms": share(100, 3, 3),
    }


def test_bad_dates_are_explained_next_to_the_field(cast, login):
    response = login(cast.coach).get(
        reverse("dashboards:trends"), {"start": "2026-12-01", "end": "2026-09-01"}
    )
    assert response.status_code == 200
    assert "The end date is before the start date." in response.content.decode()


def test_every_trends_csv_opens_in_pandas_with_numbers_typed(cast, login):
    data = trend_data(cast)
    _small_lab(cast, classrooms=2)
    client = login(cast.coach)
    numeric = ["Seen in (%)", "Seen in (visits)", "Seen in (out of visits)"]
    for table, extra in (
        ("summary", ["Classrooms", "Tally marks"]),
        ("weekly", []),
        ("heatmap", []),
    ):
        frame = csv_frame(
            client.get(reverse("dashboards:trends_csv"), {**PERIOD, "table": table})
        )
        for column in numeric + extra:
            assert pd.api.types.is_numeric_dtype(frame[column]), (table, column)
        assert pd.api.types.is_bool_dtype(frame["Suppressed"]), table
        hidden = frame[frame["Suppressed"]]
        # A suppressed figure is an empty cell, never a made-up 0.
        assert len(hidden) and hidden[numeric].isna().all().all(), table
    weekly = csv_frame(
        client.get(reverse("dashboards:trends_csv"), {**PERIOD, "table": "weekly"})
    )
    assert sorted(set(weekly["Week"])) == ["2026-10-05", "2026-10-12"]
    assert data.a.text in set(weekly["Look-for"])


def test_look_for_text_that_starts_a_formula_is_neutralised_in_the_csv(cast, login):
    school = cast.school
    risky = make.look_for(school, '=HYPERLINK("http://evil.example","café")')
    rounds = make.cycle(school, look_fors=[risky])
    for n in range(3):
        host = staff(school, Role.TEACHER, full_name=f"F host {n}")
        make.visit(rounds, host, [cast.outsider], WEEK_1, seen=[risky])
    response = login(cast.coach).get(
        reverse("dashboards:trends_csv"), {**PERIOD, "table": "summary"}
    )
    rows = _csv(response)
    assert rows[1][0] == '\'=HYPERLINK("http://evil.example","café")'
    # Excel reads the BOM and shows "café", not "cafÃ©".
    assert response.content.startswith("\ufeffLook-for".encode())
    assert "café".encode() in response.content
