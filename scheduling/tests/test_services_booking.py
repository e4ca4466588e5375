"""The rules every booking obeys: conflicts, suggestions, coverage, moving, DST."""

import datetime as dt
import zoneinfo

import pytest

from jel.models import Role
from jel.tests.factories import staff
from scheduling.models import Booking, BookingPerson, Coverage, SchoolDay
from scheduling.services import (
    SUBSTITUTE,
    BookingConflict,
    booking_cancel,
    booking_check,
    booking_move,
    booking_plan,
    coverage_assign,
    coverage_suggestions,
)
from scheduling.tests.conftest import TUESDAY
from scheduling.tests.factories import (
    DayTypeFactory,
    ObservationWindowFactory,
    PeriodFactory,
    RoomFactory,
    SchoolDayFactory,
)

pytestmark = pytest.mark.usefixtures("in_school")


def plan(sched, by, **changes):
    options = {
        "school": sched.school,
        "by": by,
        "kind": Booking.Kind.VISIT,
        "title": "Visit",
        "date": TUESDAY,
        "period": sched.periods[3],
        "host": sched.host,
        "observers": [],
    }
    options.update(changes)
    return booking_plan(**options)


def reasons(excinfo):
    return [c.reason for c in excinfo.value.conflicts]


def test_observer_teaching_then_is_refused_with_name_course_and_period(sched, cast):
    with pytest.raises(BookingConflict) as refused:
        plan(sched, cast.principal, observers=[sched.observer])
    assert reasons(refused) == ["Omar Haddad teaches Haddad class P3 in Period 3."]
    conflict = refused.value.conflicts[0]
    assert (conflict.code, conflict.person, conflict.period) == (
        "observer_teaching",
        sched.observer,
        sched.periods[3],
    )
    assert not Booking.objects.exists()


def test_refusal_is_a_validation_error_forms_can_show(sched, cast):
    with pytest.raises(BookingConflict) as refused:
        plan(sched, cast.principal, observers=[sched.observer])
    assert refused.value.message_dict == {
        "__all__": ["Omar Haddad teaches Haddad class P3 in Period 3."]
    }


def test_suggestions_are_nearest_free_slots_same_day_then_next_days(sched, cast):
    with pytest.raises(BookingConflict) as refused:
        plan(sched, cast.principal, observers=[sched.observer])
    offered = [(s.date, s.period.name) for s in refused.value.suggestions]
    # Hope teaches 1-5 and Omar plans in 1 and 5: those are the free slots.
    assert offered[:3] == [
        (TUESDAY, "Period 1"),
        (TUESDAY, "Period 5"),
        (dt.date(2026, 12, 2), "Period 1"),
    ]


def test_suggestions_skip_days_without_school(sched, cast):
    friday = dt.date(2026, 12, 4)
    SchoolDayFactory(school=sched.school, date=friday, is_school_day=False)
    with pytest.raises(BookingConflict) as refused:
        plan(sched, cast.principal, date=friday, observers=[sched.observer])
    assert refused.value.conflicts[0].code == "not_school_day"
    dates = [s.date for s in refused.value.suggestions]
    assert dates[0] == dt.date(2026, 12, 7)  # Monday: no Friday, no weekend
    assert min(dates) == dt.date(2026, 12, 7)


def test_observer_with_coverage_is_booked_and_coverage_is_recorded(sched, cast):
    booking = plan(
        sched,
        cast.principal,
        observers=[sched.observer],
        coverage={sched.observer: sched.ann},
    )
    cover = Coverage.objects.get(booking=booking)
    assert (cover.observer, cover.covered_by, cover.section.course) == (
        sched.observer,
        sched.ann,
        "Haddad class P3",
    )
    assert booking.room.name == "Room of Hope Host"
    assert set(booking.people.values_list("user__full_name", "role")) == {
        ("Hope Host", BookingPerson.Role.HOST),
        ("Omar Haddad", BookingPerson.Role.OBSERVER),
    }


def test_substitute_coverage_is_flagged(sched, cast):
    booking = plan(
        sched,
        cast.principal,
        observers=[sched.observer],
        coverage={sched.observer: SUBSTITUTE},
    )
    cover = booking.coverages.get()
    assert cover.needs_substitute and cover.covered_by is None


def test_observer_in_planning_period_needs_no_coverage(sched, cast):
    booking = plan(
        sched, cast.principal, period=sched.periods[5], observers=[sched.observer]
    )
    assert booking.coverages.count() == 0


def test_host_not_teaching_then_is_refused(sched, cast):
    with pytest.raises(BookingConflict) as refused:
        plan(sched, cast.principal, period=sched.periods[6], observers=[cast.coach])
    assert reasons(refused) == [
        "Hope Host does not teach in Period 6, so there is no class to observe."
    ]


def test_person_already_booked_is_refused(sched, cast):
    plan(sched, cast.principal, period=sched.periods[5], observers=[sched.observer])
    with pytest.raises(BookingConflict) as refused:
        plan(
            sched,
            cast.principal,
            period=sched.periods[5],
            host=sched.ann,
            observers=[sched.observer],
        )
    assert refused.value.conflicts[0].code == "person_busy"
    assert reasons(refused)[0].startswith(
        "Omar Haddad is already booked in Period 5: Visit (12:15)"
    )


def test_host_already_visited_then_is_refused(sched, cast):
    plan(sched, cast.principal, period=sched.periods[5], observers=[sched.observer])
    with pytest.raises(BookingConflict) as refused:
        plan(sched, cast.principal, period=sched.periods[5], observers=[cast.coach])
    assert [c.person for c in refused.value.conflicts] == [sched.host]


def test_colleague_covering_a_class_is_busy_for_a_visit_then(sched, cast):
    plan(
        sched,
        cast.principal,
        observers=[sched.observer],
        coverage={sched.observer: sched.bo},
    )
    conflicts = booking_check(
        school=sched.school,
        date=TUESDAY,
        period=sched.periods[3],
        host=cast.teacher,
        observers=[sched.bo],
    )
    assert [c.reason for c in conflicts] == [
        "Bo Baker is already booked in Period 3: covering Omar Haddad's class (09:50)."
    ]


def test_not_a_school_day_is_refused(sched, cast):
    with pytest.raises(BookingConflict) as refused:
        plan(sched, cast.principal, date=dt.date(2026, 12, 5))
    assert reasons(refused) == [
        "Saturday 5 December 2026 is not a school day (a weekend)."
    ]


def test_holiday_is_refused_with_its_name(sched, cast):
    SchoolDayFactory(
        school=sched.school,
        date=dt.date(2026, 11, 26),
        is_school_day=False,
        note="Thanksgiving",
    )
    conflicts = booking_check(
        school=sched.school,
        date=dt.date(2026, 11, 26),
        period=sched.periods[3],
        host=sched.host,
    )
    assert [c.reason for c in conflicts] == [
        "Thursday 26 November 2026 is not a school day (Thanksgiving)."
    ]


def test_visit_longer_than_the_period_is_refused(sched, cast):
    with pytest.raises(BookingConflict) as refused:
        plan(sched, cast.principal, minutes=60)
    assert reasons(refused) == [
        "A 60-minute booking from 09:50 runs past the end of Period 3 at 10:40 "
        "(50 minutes long)."
    ]


def test_meeting_in_a_room_in_use_is_refused(sched, cast):
    room = sched.sections[(sched.host.pk, 3)].room
    conflicts = booking_check(
        school=sched.school,
        date=TUESDAY,
        period=sched.periods[3],
        kind=Booking.Kind.DEBRIEF,
        room=room,
        attendees=[sched.ann],
    )
    assert [c.reason for c in conflicts] == [
        "Room of Hope Host is in use in Period 3 by Host class P3 (Hope Host)."
    ]


def test_visit_to_an_empty_room_is_refused(sched, cast):
    empty = RoomFactory(school=sched.school, name="Library")
    conflicts = booking_check(
        school=sched.school,
        date=TUESDAY,
        period=sched.periods[3],
        host=sched.host,
        room=empty,
    )
    assert [c.code for c in conflicts] == ["room_empty"]


def test_room_double_booked_for_meetings_is_refused(sched, cast):
    room = RoomFactory(school=sched.school, name="Library")
    booking_plan(
        school=sched.school,
        by=cast.principal,
        kind=Booking.Kind.DEBRIEF,
        title="Debrief",
        date=TUESDAY,
        start_time=dt.time(15, 10),
        minutes=45,
        room=room,
        attendees=[sched.ann],
    )
    conflicts = booking_check(
        school=sched.school,
        date=TUESDAY,
        start_time=dt.time(15, 30),
        minutes=30,
        kind=Booking.Kind.MEETING,
        room=room,
        attendees=[sched.bo],
    )
    assert [c.code for c in conflicts] == ["room_busy"]


def test_debrief_after_school_books_everyone(sched, cast):
    booking = booking_plan(
        school=sched.school,
        by=cast.principal,
        kind=Booking.Kind.DEBRIEF,
        title="Debrief",
        date=TUESDAY,
        start_time=dt.time(15, 10),
        minutes=45,
        facilitator=cast.coach,
        attendees=[sched.host, sched.observer],
    )
    assert booking.period is None
    assert booking.people.count() == 3


def test_attendee_teaching_during_a_meeting_is_refused(sched, cast):
    conflicts = booking_check(
        school=sched.school,
        date=TUESDAY,
        start_time=dt.time(14, 30),
        minutes=45,
        kind=Booking.Kind.MEETING,
        attendees=[sched.observer],
    )
    assert [c.reason for c in conflicts] == [
        "Omar Haddad teaches Haddad class P7 in Period 7."
    ]


def test_outside_observation_window_needs_a_reason(sched, cast):
    ObservationWindowFactory(
        school=sched.school,
        starts_on=dt.date(2026, 12, 7),
        ends_on=dt.date(2026, 12, 11),
    )
    with pytest.raises(BookingConflict) as refused:
        plan(sched, cast.principal, period=sched.periods[5])
    assert [c.code for c in refused.value.conflicts] == ["outside_window"]
    assert refused.value.suggestions[0].date == dt.date(2026, 12, 7)
    booking = plan(
        sched,
        cast.principal,
        period=sched.periods[5],
        window_override_reason="Hope asked for this lesson",
    )
    assert booking.window_override_reason == "Hope asked for this lesson"


def test_window_limited_to_some_periods(sched, cast):
    window = ObservationWindowFactory(
        school=sched.school, starts_on=TUESDAY, ends_on=TUESDAY
    )
    window.periods.add(sched.periods[2])
    assert plan(sched, cast.principal, period=sched.periods[2])
    with pytest.raises(BookingConflict):
        plan(sched, cast.principal, period=sched.periods[4])


def test_coverer_who_teaches_then_is_refused(sched, cast):
    with pytest.raises(BookingConflict) as refused:
        plan(
            sched,
            cast.principal,
            observers=[sched.observer],
            coverage={sched.observer: cast.teacher},
        )
    assert reasons(refused) == [
        "Terry Teacher teaches Teacher class P3 in Period 3 and cannot cover."
    ]


def test_coverage_suggestions_are_free_colleagues_fairest_first(sched, cast):
    options = coverage_suggestions(
        school=sched.school,
        date=TUESDAY,
        period=sched.periods[3],
        observer=sched.observer,
        exclude=[sched.host],
    )
    assert [o.user for o in options] == [sched.ann, sched.bo]


def test_nobody_covers_twice_a_day_while_someone_else_can(sched, cast):
    # Ann covers in period 3; in period 7 Ann and Hope are free.
    staff(sched.school, Role.TEACHER, full_name="Carla Cole")
    plan(
        sched,
        cast.principal,
        observers=[sched.observer],
        coverage={sched.observer: sched.ann},
    )
    options = coverage_suggestions(
        school=sched.school,
        date=TUESDAY,
        period=sched.periods[7],
        observer=sched.observer,
    )
    names = [o.user.full_name for o in options]
    # Carla teaches nothing, so she is not in school to cover; the host and the
    # colleague who has not covered today come before Ann.
    assert "Carla Cole" not in names
    assert names[-1] == "Ann Able"
    assert options[-1].covering_today == 1


def test_dst_visit_keeps_wall_clock_time(cast, in_school):
    # 2027-03-14 is the Sunday clocks go forward in New York; a Saturday-school
    # style make-up day makes it a school day for this test.
    from scheduling.tests.factories import build_schedule

    host = staff(cast.school, Role.TEACHER, full_name="Dana Day")
    built = build_schedule(cast.school, teaching={host: [2]})
    built["term"].ends_on = dt.date(2027, 6, 11)
    built["term"].save()
    sunday = dt.date(2027, 3, 14)
    SchoolDay.objects.create(
        school=cast.school, date=sunday, day_type=built["regular"], note="Make-up day"
    )
    booking = booking_plan(
        school=cast.school,
        by=cast.principal,
        kind=Booking.Kind.VISIT,
        title="DST visit",
        date=sunday,
        period=built["periods"][2],
        start_time=dt.time(9, 0),
        host=host,
    )
    booking.refresh_from_db()
    assert booking.starts_at == dt.datetime(2027, 3, 14, 13, 0, tzinfo=dt.UTC)
    local = booking.starts_at.astimezone(zoneinfo.ZoneInfo("America/New_York"))
    assert (local.hour, local.minute) == (9, 0)
    # The Friday before (standard time) the same 09:00 is 14:00 UTC.
    friday = booking_plan(
        school=cast.school,
        by=cast.principal,
        kind=Booking.Kind.VISIT,
        title="Before DST",
        date=dt.date(2027, 3, 12),
        period=built["periods"][2],
        start_time=dt.time(9, 0),
        host=host,
    )
    assert friday.starts_at == dt.datetime(2027, 3, 12, 14, 0, tzinfo=dt.UTC)


def test_other_day_type_moves_periods_by_number(sched, cast):
    late = DayTypeFactory(school=sched.school, name="Late start")
    late_p3 = PeriodFactory(
        school=sched.school,
        day_type=late,
        number=3,
        name="Period 3",
        starts_at=dt.time(10, 30),
        ends_at=dt.time(11, 10),
    )
    wednesday = dt.date(2026, 12, 2)
    SchoolDayFactory(school=sched.school, date=wednesday, day_type=late)
    booking = plan(sched, cast.principal, date=wednesday, period=sched.periods[3])
    assert booking.period == late_p3
    assert booking.starts_at.astimezone(sched.school.tz).time() == dt.time(10, 30)


def test_move_bumps_sequence_and_keeps_uid_and_coverage(sched, cast):
    booking = plan(
        sched,
        cast.principal,
        observers=[sched.observer],
        coverage={sched.observer: sched.ann},
    )
    uid = booking.uid
    moved = booking_move(
        booking=booking,
        by=cast.principal,
        date=dt.date(2026, 12, 3),
        period=sched.periods[3],
    )
    assert (moved.uid, moved.sequence, moved.date) == (uid, 1, dt.date(2026, 12, 3))
    assert moved.coverages.get().covered_by == sched.ann


def test_move_does_not_conflict_with_itself_and_refuses_real_conflicts(sched, cast):
    booking = plan(
        sched, cast.principal, period=sched.periods[5], observers=[sched.observer]
    )
    moved = booking_move(
        booking=booking, by=cast.principal, date=TUESDAY, period=sched.periods[1]
    )
    assert moved.period == sched.periods[1]
    with pytest.raises(BookingConflict) as refused:
        booking_move(
            booking=booking, by=cast.principal, date=TUESDAY, period=sched.periods[2]
        )
    assert refused.value.conflicts[0].code == "observer_teaching"


def test_cancel_bumps_sequence_and_frees_the_slot(sched, cast):
    booking = plan(
        sched, cast.principal, period=sched.periods[5], observers=[sched.observer]
    )
    cancelled = booking_cancel(booking=booking, by=cast.principal)
    assert (cancelled.status, cancelled.sequence) == ("cancelled", 1)
    assert plan(
        sched, cast.principal, period=sched.periods[5], observers=[sched.observer]
    )


def test_coverage_assign_switches_to_a_free_colleague(sched, cast):
    booking = plan(
        sched,
        cast.principal,
        observers=[sched.observer],
        coverage={sched.observer: SUBSTITUTE},
    )
    cover = coverage_assign(
        coverage=booking.coverages.get(), covered_by=sched.bo, by=cast.principal
    )
    assert cover.covered_by == sched.bo and not cover.needs_substitute
    with pytest.raises(BookingConflict):
        coverage_assign(coverage=cover, covered_by=cast.teacher, by=cast.principal)


def test_basic_fields_are_validated_per_field(sched, cast):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        plan(sched, cast.principal, title=" ", minutes=0)
    assert set(refused.value.message_dict) == {"title", "minutes"}


def test_move_into_observers_planning_period_drops_coverage(sched, cast):
    booking = plan(
        sched,
        cast.principal,
        observers=[sched.observer],
        coverage={sched.observer: sched.ann},
    )
    # Ann teaches in period 1, but Omar plans then, so no cover is needed.
    moved = booking_move(
        booking=booking, by=cast.principal, date=TUESDAY, period=sched.periods[1]
    )
    assert moved.coverages.count() == 0


def test_rounds_observer_is_covered_once_for_the_whole_period(sched, cast):
    # Omar visits Hope at 09:50 and Terry at 10:10, both in period 3: his class
    # is covered once, by Ann, for the whole period.
    plan(
        sched,
        cast.principal,
        observers=[sched.observer],
        coverage={sched.observer: sched.ann},
    )
    second = plan(
        sched,
        cast.principal,
        host=cast.teacher,
        start_time=dt.time(10, 10),
        observers=[sched.observer],
    )
    assert second.coverages.count() == 0
    assert Coverage.objects.filter(covered_by=sched.ann).count() == 1


def test_cancelling_the_covered_visit_hands_cover_to_the_next_one(sched, cast):
    first = plan(
        sched,
        cast.principal,
        observers=[sched.observer],
        coverage={sched.observer: sched.ann},
    )
    second = plan(
        sched,
        cast.principal,
        host=cast.teacher,
        start_time=dt.time(10, 10),
        observers=[sched.observer],
    )
    booking_cancel(booking=first, by=cast.principal)
    cover = Coverage.objects.get()
    assert (cover.booking, cover.covered_by) == (second, sched.ann)
    second.refresh_from_db()
    assert second.sequence == 1


def test_suggestions_end_when_no_school_days_lie_ahead(cast):
    # No academic year at all: the search gives up after four weeks.
    from scheduling.services import booking_suggestions

    assert (
        booking_suggestions(
            school=cast.school, date=TUESDAY, start_time=dt.time(15, 10), minutes=30
        )
        == []
    )


def test_ab_rotation_section_meets_only_on_its_day_type(sched, cast):
    from scheduling.selectors import teaching_periods

    b_day = DayTypeFactory(school=sched.school, name="B day")
    for number in range(1, 8):
        PeriodFactory(
            school=sched.school,
            day_type=b_day,
            number=number,
            name=f"Period {number}",
            starts_at=sched.periods[number].starts_at,
            ends_at=sched.periods[number].ends_at,
        )
    # Omar's period 3 class meets on Regular (A) days only.
    sched.sections[(sched.observer.pk, 3)].meets_on.add(sched.regular)
    wednesday = dt.date(2026, 12, 2)
    SchoolDayFactory(school=sched.school, date=wednesday, day_type=b_day)
    taught = teaching_periods(user=sched.observer, day=wednesday)
    assert [p.number for p in taught] == [2, 4, 6, 7]
    assert 3 in [p.number for p in teaching_periods(user=sched.observer, day=TUESDAY)]
    # So on the B day he can observe in period 3 without cover.
    booking = plan(
        sched,
        cast.principal,
        date=wednesday,
        period=sched.periods[3],
        observers=[sched.observer],
    )
    assert booking.coverages.count() == 0
