"""Bad input on the scheduling pages: a field error or a 400 page, never a 500.

Dates no school means (year 1, 1900, 9999), ids that are not ids or do not fit
a 64-bit column, unknown choices, a taken day type name, periods that overlap,
a title with a line break: each is refused where the person can act on it, and
nothing is written.
"""

import pytest
from django.urls import reverse
from django_scopes import scope

from jel.models import OutboundEmail, Reminder
from scheduling.models import (
    Booking,
    CalendarToken,
    Coverage,
    DayType,
    ObservationWindow,
    SchoolDay,
)
from scheduling.reminders import booking_reminders
from scheduling.services import SUBSTITUTE, booking_plan, calendar_token_issue
from scheduling.tests.conftest import TUESDAY

BAD_DATES = ["0001-01-01", "1900-01-01", "9999-12-31"]
TOO_EARLY = "Give a date from 1 January 2000 on."
TOO_LATE = "Give a date on or before 30 November 2031"
BAD_IDS = ["abc", "-1", "0", "1.5", str(2**63), str(2**64 + 7), "9" * 30]


def _date_error(value: str) -> str:
    return TOO_LATE if value.startswith("9999") else TOO_EARLY


def _visit(sched, cast, **fields):
    with scope(school=sched.school):
        return booking_plan(
            **{
                "school": sched.school,
                "by": cast.principal,
                "kind": Booking.Kind.VISIT,
                "title": "Visit to Hope",
                "date": TUESDAY,
                "period": sched.periods[3],
                "host": sched.host,
                "observers": [sched.observer],
                "coverage": {sched.observer: SUBSTITUTE},
                **fields,
            }
        )


def _visit_form(sched, **extra):
    data = {
        "host": sched.host.pk,
        "observers": [sched.observer.pk],
        "date": TUESDAY.isoformat(),
        "period": sched.periods[5].pk,
        "minutes": 15,
        "title": "",
        "window_override_reason": "",
    }
    data.update(extra)
    return data


# --- the visit plan's live check ----------------------------------------------


@pytest.mark.parametrize("value", BAD_DATES)
def test_visit_check_says_a_date_no_school_means_is_refused(login, sched, cast, value):
    response = login(cast.principal).post(
        reverse("scheduling:visit_check"), _visit_form(sched, date=value)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Not checked yet" in html
    assert _date_error(value) in html


def test_visit_check_refuses_a_title_with_a_line_break(login, sched, cast):
    response = login(cast.principal).post(
        reverse("scheduling:visit_check"),
        _visit_form(sched, title="Visit to Hope\nBCC: everyone"),
    )
    assert response.status_code == 200
    assert "Keep this to one line (no line breaks)." in response.content.decode()


def test_visit_check_refuses_a_title_longer_than_a_calendar_title(login, sched, cast):
    response = login(cast.principal).post(
        reverse("scheduling:visit_check"), _visit_form(sched, title="x" * 201)
    )
    assert "Ensure this value has at most 200 characters" in response.content.decode()


@pytest.mark.parametrize("field", ["host", "observers", "period"])
@pytest.mark.parametrize("value", BAD_IDS)
def test_visit_check_refuses_ids_that_are_not_ids(login, sched, cast, field, value):
    response = login(cast.principal).post(
        reverse("scheduling:visit_check"), _visit_form(sched, **{field: value})
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Everyone is free then" not in html
    assert "valid choice" in html or "is not a valid value" in html


@pytest.mark.parametrize("value", ["abc", str(2**63), "substitute2"])
def test_visit_check_ignores_a_cover_choice_that_is_no_colleague(
    login, sched, cast, value
):
    data = _visit_form(sched, period=sched.periods[3].pk)
    data[f"cover_{sched.observer.pk}"] = value
    response = login(cast.principal).post(reverse("scheduling:visit_check"), data)
    assert response.status_code == 200
    assert "Omar Haddad teaches" in response.content.decode()


@pytest.mark.parametrize("value", [*BAD_DATES, "abc"])
def test_period_times_of_a_date_no_school_means_asks_for_a_date(
    login, sched, cast, value
):
    response = login(cast.principal).get(
        reverse("scheduling:period_times"), {"date": value}
    )
    assert response.status_code == 200
    assert response.json()["note"].startswith("Pick a date")


# --- moving a booking ---------------------------------------------------------


def _move(sched, cast, login, **data):
    visit = _visit(sched, cast)
    payload = {"date": TUESDAY.isoformat(), "period": "", "start_time": ""}
    payload.update(data)
    response = login(cast.principal).post(
        reverse("scheduling:booking_move", args=[visit.pk]), payload
    )
    visit.refresh_from_db()
    return response, visit


@pytest.mark.parametrize("value", BAD_DATES)
def test_moving_to_a_date_no_school_means_is_a_field_error(login, sched, cast, value):
    response, visit = _move(
        sched, cast, login, date=value, period=str(sched.periods[5].pk)
    )
    assert response.status_code == 200
    assert _date_error(value) in response.content.decode()
    assert visit.date == TUESDAY and visit.sequence == 0


@pytest.mark.parametrize(
    "slot",
    [
        "2026-12-02|abc",
        "2027-02-24|abc",
        f"2026-12-02|{2**63}",
        "0001-01-01|3",
        "abc|3",
        "2026-12-02",
        "",
    ],
)
def test_moving_to_a_suggested_slot_that_is_not_one_is_refused(
    login, sched, cast, slot
):
    response, visit = _move(sched, cast, login, use_slot=slot)
    assert response.status_code == 200
    assert "That suggested time is out of date" in response.content.decode()
    assert visit.date == TUESDAY and visit.sequence == 0


@pytest.mark.parametrize("value", BAD_IDS)
def test_moving_to_a_period_that_is_not_an_id_is_a_field_error(
    login, sched, cast, value
):
    response, visit = _move(sched, cast, login, period=value)
    assert response.status_code == 200
    assert "valid choice" in response.content.decode()
    assert visit.sequence == 0


def test_moving_with_a_cover_choice_that_is_not_an_id_keeps_the_cover(
    login, sched, cast
):
    response, visit = _move(
        sched,
        cast,
        login,
        period=str(sched.periods[2].pk),
        **{f"cover_{sched.observer.pk}": str(2**63)},
    )
    assert response.status_code == 302
    with scope(school=sched.school):
        assert visit.coverages.get().needs_substitute


# --- coverage -----------------------------------------------------------------


@pytest.mark.parametrize("value", [*BAD_IDS, "substitutes"])
def test_assigning_cover_to_someone_who_is_no_option_changes_nothing(
    login, sched, cast, value
):
    visit = _visit(sched, cast)
    with scope(school=sched.school):
        cover = visit.coverages.get()
    client = login(cast.principal)
    response = client.post(
        reverse("scheduling:coverage_assign", args=[cover.pk]),
        {f"cover-{cover.pk}-covered_by": value},
        follow=True,
    )
    assert response.status_code == 200
    assert "Choose a colleague who is free then, or a substitute." in (
        response.content.decode()
    )
    with scope(school=sched.school):
        assert Coverage.objects.get(pk=cover.pk).needs_substitute


@pytest.mark.parametrize("value", [*BAD_DATES, "abc", "2026-13-01"])
def test_coverage_plan_of_a_date_no_school_means_is_a_400_page(
    login, sched, cast, value
):
    response = login(cast.principal).get(
        reverse("scheduling:coverage_plan"), {"date": value}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Not a date JEL can show" in html
    assert "Show today&#x27;s coverage" in html


@pytest.mark.parametrize("value", BAD_DATES)
def test_e_mailing_the_coverage_plan_of_a_date_no_school_means_sends_nothing(
    login, sched, cast, mailoutbox, value
):
    response = login(cast.principal).post(
        reverse("scheduling:coverage_email"),
        {"to": "office@example.org", "date": value},
        follow=True,
    )
    assert response.status_code == 200
    assert "The coverage plan could not be sent" in response.content.decode()
    assert mailoutbox == []


# --- week pages ---------------------------------------------------------------


@pytest.mark.parametrize("route", ["scheduling:my_week", "scheduling:school_week"])
@pytest.mark.parametrize("value", [*BAD_DATES, "abc", "2026-02-30", "%00"])
def test_a_week_no_school_means_is_a_400_page(login, sched, cast, route, value):
    response = login(cast.principal).get(reverse(route), {"week": value})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Not a date JEL can show" in html
    assert "Show this week" in html


@pytest.mark.parametrize("route", ["scheduling:my_week", "scheduling:school_week"])
def test_a_week_without_a_date_is_this_week(login, sched, cast, route):
    response = login(cast.principal).get(reverse(route), {"week": ""})
    assert response.status_code == 200
    assert "30 November 2026" in response.content.decode()


# --- school days --------------------------------------------------------------


@pytest.mark.parametrize("name", ["month", "date"])
@pytest.mark.parametrize("value", [*BAD_DATES, "abc", "2026-12"])
def test_school_days_of_a_month_no_school_means_is_a_400_page(
    login, sched, cast, name, value
):
    response = login(cast.principal).get(
        reverse("scheduling:school_days"), {name: value}
    )
    assert response.status_code == 400
    assert "Show this month" in response.content.decode()


@pytest.mark.parametrize("value", BAD_DATES)
def test_setting_a_school_day_no_school_means_is_a_field_error(
    login, sched, cast, value
):
    response = login(cast.principal).post(
        reverse("scheduling:school_days"),
        {"date": value, "day_type": "none", "note": ""},
    )
    assert response.status_code == 200
    assert _date_error(value) in response.content.decode()
    with scope(school=sched.school):
        assert not SchoolDay.objects.exists()


@pytest.mark.parametrize("value", ["evil", "holiday", *BAD_IDS])
def test_a_day_type_that_is_not_one_of_the_schools_is_a_field_error(
    login, sched, cast, value
):
    response = login(cast.principal).post(
        reverse("scheduling:school_days"),
        {"date": "2026-12-02", "day_type": value, "note": ""},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    with scope(school=sched.school):
        assert not SchoolDay.objects.exists()


def test_a_school_day_note_with_a_line_break_is_a_field_error(login, sched, cast):
    response = login(cast.principal).post(
        reverse("scheduling:school_days"),
        {"date": "2026-12-02", "day_type": "none", "note": "Snow\nday"},
    )
    assert response.status_code == 200
    assert "Keep this to one line" in response.content.decode()


# --- observation windows ------------------------------------------------------


@pytest.mark.parametrize("field", ["starts_on", "ends_on"])
@pytest.mark.parametrize("value", BAD_DATES)
def test_a_window_on_dates_no_school_means_is_a_field_error(
    login, sched, cast, field, value
):
    data = {"name": "Winter visits", "starts_on": "2027-01-11", "ends_on": "2027-01-22"}
    data[field] = value
    response = login(cast.principal).post(reverse("scheduling:window_new"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was saved" in html and _date_error(value) in html
    with scope(school=sched.school):
        assert not ObservationWindow.objects.filter(name="Winter visits").exists()


@pytest.mark.parametrize("field", ["term", "periods"])
@pytest.mark.parametrize("value", BAD_IDS)
def test_a_window_with_ids_that_are_not_ids_is_a_field_error(
    login, sched, cast, field, value
):
    data = {
        "name": "Winter visits",
        "starts_on": "2027-01-11",
        "ends_on": "2027-01-22",
        field: value,
    }
    response = login(cast.principal).post(reverse("scheduling:window_new"), data)
    assert response.status_code == 200
    assert "Nothing was saved" in response.content.decode()


def test_a_window_ending_before_it_starts_is_a_field_error(login, sched, cast):
    response = login(cast.principal).post(
        reverse("scheduling:window_new"),
        {"name": "Backwards", "starts_on": "2027-01-22", "ends_on": "2027-01-11"},
    )
    assert response.status_code == 200
    assert "The window must end on or after its first day." in (
        response.content.decode()
    )


# --- day types and their periods ----------------------------------------------


def _day_type_post(name="Assembly day", rows=(), initial=0, **extra):
    data = {
        "name": name,
        "periods-TOTAL_FORMS": str(len(rows)),
        "periods-INITIAL_FORMS": str(initial),
        "periods-MIN_NUM_FORMS": "0",
        "periods-MAX_NUM_FORMS": "1000",
        **extra,
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"periods-{i}-{key}"] = value
    return data


def _row(name="Period 1", number="1", kind="class", starts="08:30", ends="09:10"):
    return {
        "name": name,
        "number": number,
        "kind": kind,
        "starts_at": starts,
        "ends_at": ends,
    }


@pytest.mark.parametrize("name", ["Regular", "regular", " REGULAR "])
def test_a_day_type_named_as_an_existing_one_is_a_field_error(login, sched, cast, name):
    response = login(cast.principal).post(
        reverse("scheduling:day_type_new"), _day_type_post(name, [_row()])
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "The school already has a day type called Regular" in html
    with scope(school=sched.school):
        assert DayType.objects.filter(name__iexact="regular").count() == 1


def test_renaming_a_day_type_to_another_ones_name_is_a_field_error(login, sched, cast):
    with scope(school=sched.school):
        late = DayType.objects.create(school=sched.school, name="Late start")
    response = login(cast.principal).post(
        reverse("scheduling:day_type_edit", args=[late.pk]),
        _day_type_post("Regular", version=str(late.version)),
    )
    assert response.status_code == 200
    assert "already has a day type called Regular" in response.content.decode()
    late.refresh_from_db()
    assert late.name == "Late start"


def test_a_day_type_name_with_a_line_break_is_a_field_error(login, sched, cast):
    response = login(cast.principal).post(
        reverse("scheduling:day_type_new"), _day_type_post("Late\nstart", [_row()])
    )
    assert response.status_code == 200
    assert "Keep this to one line" in response.content.decode()


@pytest.mark.parametrize("kind", ["evil", "CLASS", ""])
def test_a_period_of_an_unknown_kind_is_a_field_error(login, sched, cast, kind):
    response = login(cast.principal).post(
        reverse("scheduling:day_type_new"), _day_type_post(rows=[_row(kind=kind)])
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kind (row 1):" in html
    with scope(school=sched.school):
        assert not DayType.objects.filter(name="Assembly day").exists()


@pytest.mark.parametrize("number", ["abc", "-1", str(2**63), "1e3"])
def test_a_period_number_that_is_not_a_number_is_a_field_error(
    login, sched, cast, number
):
    response = login(cast.principal).post(
        reverse("scheduling:day_type_new"),
        _day_type_post(rows=[_row(number=number)]),
    )
    assert response.status_code == 200
    assert "Number (row 1):" in response.content.decode()


def test_a_period_ending_before_it_starts_says_so_on_the_field(login, sched, cast):
    response = login(cast.principal).post(
        reverse("scheduling:day_type_new"),
        _day_type_post(rows=[_row(starts="09:00", ends="08:00")]),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ends at (row 1): A period ends after it starts" in html.replace(
        "Ends At", "Ends at"
    )


def test_overlapping_class_periods_are_a_field_error(login, sched, cast):
    response = login(cast.principal).post(
        reverse("scheduling:day_type_new"),
        _day_type_post(
            rows=[
                _row("Period 1", "1", starts="08:30", ends="09:20"),
                _row("Period 2", "2", starts="09:10", ends="10:00"),
            ]
        ),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "This period starts at 09:10, before Period 1 ends at 09:20: "
        "class periods cannot overlap." in html
    )
    with scope(school=sched.school):
        assert not DayType.objects.filter(name="Assembly day").exists()


def test_a_lunch_during_a_class_period_is_allowed(login, sched, cast):
    # Split lunches: half the school eats while the other half is in class.
    response = login(cast.principal).post(
        reverse("scheduling:day_type_new"),
        _day_type_post(
            rows=[
                _row("Period 4", "4", starts="11:00", ends="12:00"),
                _row("Lunch A", "1", kind="lunch", starts="11:30", ends="12:00"),
            ]
        ),
    )
    assert response.status_code == 302


def test_two_class_periods_with_one_number_are_a_field_error(login, sched, cast):
    response = login(cast.principal).post(
        reverse("scheduling:day_type_new"),
        _day_type_post(
            rows=[
                _row("Period 1", "1", starts="08:30", ends="09:20"),
                _row("Period 1b", "1", starts="09:30", ends="10:00"),
            ]
        ),
    )
    assert response.status_code == 200
    assert "Period 1 already has number 1" in response.content.decode()


# --- the calendar address -----------------------------------------------------


@pytest.mark.parametrize("action", ["evil", "", "REVOKE"])
def test_an_unknown_calendar_address_action_changes_nothing(login, sched, cast, action):
    with scope(school=sched.school):
        token = calendar_token_issue(school=sched.school, user=cast.teacher)
    response = login(cast.teacher).post(
        reverse("scheduling:calendar_token"), {"action": action}, follow=True
    )
    assert response.status_code == 200
    assert "Choose to make a new address or turn the feed off." in (
        response.content.decode()
    )
    with scope(school=sched.school):
        assert list(
            CalendarToken.objects.filter(user=cast.teacher).values_list(
                "token", "revoked_at"
            )
        ) == [(token.token, None)]


# --- ids in addresses ---------------------------------------------------------


@pytest.mark.parametrize("pk", [str(2**63), str(2**63 - 1), "9" * 25])
def test_a_booking_address_with_an_id_too_large_is_404(login, sched, cast, pk):
    response = login(cast.principal).get(f"/schedule/bookings/{pk}/")
    assert response.status_code == 404


# --- reminder subjects fit their column by construction -----------------------


def test_a_title_of_200_characters_gives_reminders_that_fit(sched, cast):
    title = "Visit " + "x" * 194
    visit = _visit(sched, cast, title=title)
    with scope(school=sched.school):
        specs = booking_reminders(visit)
        stored = list(Reminder.objects.values_list("subject", flat=True))
    limit = Reminder._meta.get_field("subject").max_length
    assert specs and all(len(spec.subject) <= limit for spec in specs)
    soon = [s.subject for s in specs if s.subject.startswith("In 15 minutes: ")]
    assert soon and soon[0].endswith("…") and len(soon[0]) == limit
    assert stored and all(len(s) <= limit for s in stored)


def test_a_stored_title_with_a_line_break_gives_one_line_subjects(sched, cast):
    visit = _visit(sched, cast, title="Visit to Hope\r\nBcc: everyone@example.org")
    with scope(school=sched.school):
        subjects = [spec.subject for spec in booking_reminders(visit)]
    assert "Tomorrow: Visit to Hope Bcc: everyone@example.org" in subjects
    assert not any("\n" in s or "\r" in s for s in subjects)


@pytest.mark.parametrize("token", ["%00", "a" * 65, "abc%0Adef", "x.y", "%E2%80%A8"])
def test_a_feed_address_that_is_no_token_is_404(client, sched, token):
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_the_coverage_plan_subject_is_one_line_whatever_the_school_name(
    login, sched, cast, mailoutbox
):
    type(sched.school).objects.filter(pk=sched.school.pk).update(
        name="Jefferson\r\nBcc: everyone@example.org"
    )
    _visit(sched, cast)
    response = login(cast.principal).post(
        reverse("scheduling:coverage_email"),
        {"to": "office@example.org", "date": TUESDAY.isoformat()},
    )
    assert response.status_code == 302
    with scope(school=sched.school):
        subject = OutboundEmail.objects.get().subject
    assert subject == (
        "Coverage plan for Tuesday 1 December (Jefferson Bcc: everyone@example.org)"
    )


@pytest.mark.parametrize("count", ["31", "63898257095", str(2**63)])
def test_a_bell_schedule_of_thousands_of_rows_is_refused_at_once(
    login, sched, cast, count
):
    data = _day_type_post(rows=[_row()])
    data["periods-TOTAL_FORMS"] = count
    response = login(cast.principal).post(reverse("scheduling:day_type_new"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Please submit at most 30 forms." in html
    assert html.count("New period") <= 30
    with scope(school=sched.school):
        assert not DayType.objects.filter(name="Assembly day").exists()


@pytest.mark.parametrize("field", ["start", "end"])
@pytest.mark.parametrize("value", BAD_DATES)
def test_the_bookings_api_refuses_dates_no_school_means(
    login, sched, cast, field, value
):
    response = login(cast.teacher).get(
        reverse("scheduling:api_bookings"), {field: value}
    )
    assert response.status_code == 400
    assert _date_error(value) in response.json()[field][0]


@pytest.mark.parametrize("value", BAD_DATES)
def test_the_booking_check_api_refuses_dates_no_school_means(login, sched, cast, value):
    response = login(cast.principal).post(
        reverse("scheduling:api_check"),
        {"date": value, "period": sched.periods[3].pk, "host": sched.host.pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert _date_error(value) in response.json()["date"][0]
