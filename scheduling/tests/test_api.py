"""The schedule API: my bookings, and checking a booking before planning it."""

from django.urls import reverse
from django_scopes import scope

from scheduling.models import Booking
from scheduling.services import booking_plan
from scheduling.tests.conftest import TUESDAY


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


def test_my_bookings_lists_the_week_with_my_role(login, sched, cast):
    visit = _visit(sched, cast)
    response = login(sched.ann).get(
        reverse("scheduling:api_bookings"), {"start": "2026-11-30"}
    )
    assert response.status_code == 200
    [item] = response.json()
    assert (item["uid"], item["my_role"], item["period"]) == (
        str(visit.uid),
        "covering",
        "Period 3",
    )
    assert item["coverage"][0]["covered_by"] == "Ann Able"


def test_my_bookings_refuses_a_backwards_range(login, sched, cast):
    response = login(sched.ann).get(
        reverse("scheduling:api_bookings"), {"start": "2026-12-05", "end": "2026-12-01"}
    )
    assert response.status_code == 400
    assert "end" in response.json()


def test_check_names_conflicts_and_suggests_slots(login, sched, cast):
    response = login(cast.principal).post(
        reverse("scheduling:api_check"),
        {
            "date": "2026-12-01",
            "period": sched.periods[3].pk,
            "host": sched.host.pk,
            "observers": [sched.observer.pk],
        },
        content_type="application/json",
    )
    body = response.json()
    assert body["ok"] is False
    assert body["conflicts"][0]["reason"] == (
        "Omar Haddad teaches Haddad class P3 in Period 3."
    )
    assert body["suggestions"][0]["label"] == "Tue 1 Dec, Period 1 (08:00)"


def test_check_with_cover_is_ok(login, sched, cast):
    response = login(cast.principal).post(
        reverse("scheduling:api_check"),
        {
            "date": "2026-12-01",
            "period": sched.periods[3].pk,
            "host": sched.host.pk,
            "observers": [sched.observer.pk],
            "covered": [sched.observer.pk],
        },
        content_type="application/json",
    )
    assert response.json() == {"ok": True, "conflicts": [], "suggestions": []}


def test_check_bad_input_is_400_with_field_details(login, sched, cast):
    response = login(cast.principal).post(
        reverse("scheduling:api_check"),
        {"date": "not a date", "host": 999999},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "date" in response.json()


def test_check_refuses_people_from_another_school(login, sched, cast):
    response = login(cast.principal).post(
        reverse("scheduling:api_check"),
        {
            "date": "2026-12-01",
            "period": sched.periods[3].pk,
            "host": cast.other_teacher.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["host"] == ["No such person on this school's staff."]
