"""The district view: school by school, aggregated, with the same suppression."""

import datetime as dt

import pandas as pd
from django.urls import reverse

from dashboards.tests import factories as make
from dashboards.tests.csv_reading import HIDDEN, cross_cells, share
from jel.models import Role
from jel.tests.csv_checks import csv_frame, csv_rows
from jel.tests.factories import DistrictFactory, SchoolFactory, staff

PERIOD = {"start": "2026-09-01", "end": "2026-12-31"}
SUPPRESSED = "suppressed (fewer than 3 classrooms)"
UNITS = (" (%)", " (visits)", " (out of visits)")


def _school_visits(school, classrooms, *, seen_in, day=dt.date(2026, 10, 6)):
    oral = make.look_for(school, f"Students discuss ({school.name})", kind="oral")
    rounds = make.cycle(school, look_fors=[oral])
    observer = staff(school, Role.TEACHER, full_name=f"Observer at {school.name}")
    for n in range(classrooms):
        host = staff(school, Role.TEACHER, full_name=f"Host {n} at {school.name}")
        make.visit(rounds, host, [observer], day, seen=[oral] if n < seen_in else [])


def district_data(cast):
    """Jefferson 3 classrooms, Lincoln 1, Madison 4; a school elsewhere has 5."""
    madison = SchoolFactory(district=cast.school.district, name="Madison Test Middle")
    elsewhere = SchoolFactory(district=DistrictFactory(name="Elsewhere"), name="Far")
    _school_visits(cast.school, 3, seen_in=2)
    _school_visits(cast.other_school, 1, seen_in=1)
    _school_visits(madison, 4, seen_in=1)
    _school_visits(elsewhere, 5, seen_in=5)
    return madison


def _rows(client, table):
    response = client.get(
        reverse("dashboards:district_csv"), {**PERIOD, "table": table}
    )
    return csv_rows(response)


def test_district_sees_each_school_with_small_ones_and_their_complement_hidden(
    cast, login
):
    district_data(cast)
    rows = _rows(login(cast.district), "schools")
    kinds = [
        "Oral (heard) look-for seen",
        "Visual (seen) look-for seen",
        "Artifact (student work) look-for seen",
    ]
    assert rows[0] == (
        ["School", "Observed visits", "Classrooms"]
        + [f"{kind}{unit}" for kind in kinds for unit in UNITS]
        + ["Suppressed"]
    )
    # Lincoln has one classroom; Jefferson, the next smallest, is hidden with it
    # so the district total minus Madison cannot reveal Lincoln.
    assert rows[1] == ["Jefferson Test Middle"] + [""] * 11 + ["True"]
    assert rows[2] == ["Lincoln Test Middle"] + [""] * 11 + ["True"]
    assert rows[3] == [
        "Madison Test Middle",
        "4",
        "4",
        *share(25, 1, 4),
        *share(0, 0, 4),
        *share(0, 0, 4),
        "False",
    ]
    assert rows[4] == [
        "All schools",
        "8",
        "8",
        *share(50, 4, 8),
        *share(0, 0, 8),
        *share(0, 0, 8),
        "False",
    ]
    assert all("Far" not in row[0] for row in rows)


def test_district_weekly_table_follows_the_same_rule(cast, login):
    district_data(cast)
    rows = _rows(login(cast.district), "weekly")
    assert rows[0] == ["Week", "School", "Observed visits", "Suppressed"]
    # Jefferson's week would give away its hidden total, so it is hidden too.
    assert cross_cells(rows) == {
        "2026-10-05": {
            "Jefferson Test Middle": HIDDEN,
            "Lincoln Test Middle": HIDDEN,
            "Madison Test Middle": ["4"],
        }
    }


def test_district_page_and_api(cast, login):
    district_data(cast)
    client = login(cast.district)
    page = client.get(reverse("dashboards:district"), PERIOD).content.decode()
    assert "Madison Test Middle" in page
    assert "Host 0 at" not in page
    data = client.get(reverse("dashboards:api_district"), PERIOD).json()
    schools = {t["key"]: t for t in data["tables"]}["schools"]
    assert schools["rows"][1][1] == {"suppressed": True, "note": SUPPRESSED}


def test_principal_cannot_open_the_district_view(cast, login):
    assert login(cast.principal).get(reverse("dashboards:district")).status_code == 403


def test_district_csvs_open_in_pandas_with_numbers_typed(cast, login):
    district_data(cast)
    client = login(cast.district)
    for table in ("schools", "weekly"):
        frame = csv_frame(
            client.get(reverse("dashboards:district_csv"), {**PERIOD, "table": table})
        )
        assert pd.api.types.is_numeric_dtype(frame["Observed visits"]), table
        assert pd.api.types.is_bool_dtype(frame["Suppressed"]), table
        assert frame[frame["Suppressed"]]["Observed visits"].isna().all(), table
