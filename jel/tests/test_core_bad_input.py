"""The core's own inputs: bad values on the profile are field errors, never a
server error; reminder and e-mail subjects fit their columns by construction,
whatever the title they carry (a 200-character visit title on PostgreSQL was a
500: "In 15 minutes: " + title exceeded the subject column)."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from jel import services
from jel.models import OutboundEmail, Reminder, Role, StaffProfile
from jel.services import SUBJECT_MAX, ReminderSpec, fit_subject, school_time
from jel.tests.factories import staff
from scheduling.booking_request import BookingRequest
from scheduling.models import Booking
from scheduling.services import booking_plan
from scheduling.tests.factories import build_schedule

LONG_TITLE = ("Rounds on student discourse in seventh-grade science " * 5)[:200]
WEDNESDAY = dt.date(2026, 12, 2)


def _profile(user):
    with scopes_disabled():
        return StaffProfile.objects.get(membership__user=user)


@pytest.mark.parametrize(
    "grades, message",
    [
        (["x"], "Select a valid choice. x is not one of the available choices."),
        (["7", "abc"], "abc is not one of the available choices"),
        (["99"], "99 is not one of the available choices"),
        ([""], "is not one of the available choices"),
    ],
)
def test_grade_levels_that_are_not_the_schools_are_a_field_error(
    grades, message, cast, login
):
    response = login(cast.teacher).post(
        reverse("profile"),
        {"years_experience": "4", "department": "Science", "grade_levels": grades},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert _profile(cast.teacher).grade_levels == [7]  # unchanged


def test_grade_levels_of_the_school_are_saved_as_numbers(cast, login):
    cast.school.grade_levels = [6, 7, 8]
    cast.school.save()
    response = login(cast.teacher).post(
        reverse("profile"),
        {"years_experience": "4", "department": "Science", "grade_levels": ["6", "8"]},
    )
    assert response.status_code == 302
    assert _profile(cast.teacher).grade_levels == [6, 8]


@pytest.mark.parametrize(
    "department, message",
    [
        ("Science\nand more", "Keep this to one line"),
        ("x" * 81, "at most 80 characters"),
        ("Sci\x00ence", "Null characters are not allowed"),
    ],
)
def test_a_department_that_does_not_fit_is_a_field_error(
    department, message, cast, login
):
    response = login(cast.teacher).post(
        reverse("profile"), {"years_experience": "4", "department": department}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert _profile(cast.teacher).department == "Mathematics"


@pytest.mark.parametrize("years", ["-1", "61", "1e9", "99999999999999999999", "x"])
def test_years_of_experience_out_of_range_are_a_field_error(years, cast, login):
    response = login(cast.teacher).post(
        reverse("profile"), {"years_experience": years, "department": "Science"}
    )
    assert response.status_code == 200
    assert 'class="invalid-feedback"' in response.content.decode()
    assert _profile(cast.teacher).years_experience == 1


def test_opening_the_profile_of_someone_without_one_saves_nothing(cast, login):
    newcomer = staff(cast.school, Role.TEACHER, full_name="Nia Newcomer")
    with scopes_disabled():
        StaffProfile.objects.filter(membership__user=newcomer).delete()
    assert login(newcomer).get(reverse("profile")).status_code == 200
    with scopes_disabled():
        assert not StaffProfile.objects.filter(membership__user=newcomer).exists()


def test_a_subject_is_one_line_and_fits_its_column():
    assert fit_subject("In 15 minutes:\r\n  Visit\tto Room 12") == (
        "In 15 minutes: Visit to Room 12"
    )
    fitted = fit_subject("In 15 minutes: " + LONG_TITLE)
    assert len(fitted) == SUBJECT_MAX
    assert fitted.endswith("\u2026")
    assert fitted.startswith("In 15 minutes: Rounds on student discourse")
    counted = fit_subject(LONG_TITLE + " more", end=" (3 visits)")
    assert len(counted) == SUBJECT_MAX
    assert counted.endswith("\u2026 (3 visits)")
    assert fit_subject("x" * SUBJECT_MAX) == "x" * SUBJECT_MAX


def test_every_derived_subject_fits_whatever_the_app_wrote(cast, in_school):
    due = school_time(cast.school, WEDNESDAY, dt.time(8, 45))
    wanted = [
        ReminderSpec(
            kind="visit_soon",
            recipient=cast.teacher,
            due_at=due,
            subject="In 15 minutes: " + LONG_TITLE,
            body="You observe.",
        )
    ]
    services.reminders_sync(school=cast.school, about="booking:9", wanted=wanted)
    subject = Reminder.objects.get(about="booking:9").subject
    assert len(subject) == SUBJECT_MAX and subject.endswith("\u2026")
    outbound = services.outbound_queue(
        school=cast.school,
        key="long-subject",
        to=cast.teacher.email,
        subject="Tomorrow: " + LONG_TITLE,
        text="Hello",
    )
    outbound.refresh_from_db()
    assert len(outbound.subject) == SUBJECT_MAX


@pytest.mark.django_db(transaction=True)
def test_a_visit_with_a_200_character_title_is_planned_and_reminded(cast):
    """On PostgreSQL (DATABASE_URL=postgres://...) a subject longer than its
    column is a DataError: this is the probe's 500, planned the real way."""
    host = staff(cast.school, Role.TEACHER, full_name="Hope Host")
    away = staff(cast.school, Role.TEACHER, full_name="Avery Away")
    with time_machine.travel(dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)):
        with scope(school=cast.school):
            built = build_schedule(cast.school, teaching={host: [1, 2, 3]})
            booking = booking_plan(
                BookingRequest(
                    school=cast.school,
                    by=cast.principal,
                    kind=Booking.Kind.VISIT,
                    title=LONG_TITLE,
                    date=WEDNESDAY,
                    period=built["periods"][2],
                    host=host,
                    observers=[away],
                )
            )
        assert len(LONG_TITLE) == 200
        with scopes_disabled():
            subjects = list(
                Reminder.objects.filter(about__endswith=f":{booking.pk}").values_list(
                    "subject", flat=True
                )
            )
            assert subjects, "the visit has reminders"
            assert all(len(s) <= SUBJECT_MAX for s in subjects)
            assert any(s.endswith("\u2026") for s in subjects)
            assert all(
                len(s) <= SUBJECT_MAX
                for s in OutboundEmail.objects.values_list("subject", flat=True)
            )


@pytest.mark.parametrize(
    "username",
    ["a" * 250 + "@example.org", "x" * 300, "", "teacher\x00@example.org"],
)
def test_a_sign_in_with_an_odd_address_is_refused_plainly(username, client, cast):
    response = client.post(
        reverse("login"), {"username": username, "password": "not it"}
    )
    assert response.status_code == 200
    assert 'class="invalid-feedback"' in response.content.decode() or (
        "do not match an account" in response.content.decode()
    )


def test_the_admin_sign_in_with_a_long_name_is_refused_plainly(client, db):
    response = client.post(
        reverse("admin:login"), {"username": "r" * 400, "password": "not it"}
    )
    assert response.status_code == 200
