"""What a user of the demo should notice on any day: shared by the seed tests."""

import datetime as dt
from collections import Counter

from django.utils import timezone
from django_scopes import scopes_disabled

from cycles.models import Cycle, Debrief
from jel.demo import DEMO_TEACHER_EMAIL
from jel.models import School
from observations.models import Evidence, Goal, Observation
from scheduling import demo_calendar
from scheduling.models import AcademicYear, Booking, ObservationWindow, SchoolDay


@scopes_disabled()
def assert_school_in_action():
    """The demo school, seeded today, is in the middle of its year."""
    school = School.objects.get(name="Jefferson Middle School")
    today = timezone.localdate(timezone=school.tz)
    expected = demo_calendar.year_for(today)

    # The year that contains today (or, in late summer, the one starting next).
    year = AcademicYear.objects.get(school=school, name=expected.name)
    assert year.ends_on >= today
    start, end = year.name.split("-")
    assert int(end) == (int(start) + 1) % 100

    # School days ahead, with the usual day types.
    ahead = SchoolDay.objects.filter(school=school, date__gte=today, is_school_day=True)
    assert ahead.count() >= 5
    is_school_day = SchoolDay.objects.filter(
        school=school, date=today, is_school_day=True
    ).exists()
    if is_school_day:
        assert ObservationWindow.objects.filter(
            school=school, starts_on__lte=today, ends_on__gte=today
        ).exists(), "no observation window open today"

    # Visits this week, or in the first school week to come; one needs cover.
    first = today if is_school_day else ahead.order_by("date").first().date
    monday = first - dt.timedelta(days=first.weekday())
    visits = Booking.objects.filter(
        school=school,
        kind=Booking.Kind.VISIT,
        date__gte=monday,
        date__lte=monday + dt.timedelta(days=4),
    )
    assert visits.count() >= 2
    assert any(b.coverages.exists() for b in visits)

    # History: past cycles of all five types, and a debrief still to hold.
    past = Cycle.objects.filter(school=school, starts_on__lt=today)
    assert set(past.values_list("kind", flat=True)) == {
        "rounds",
        "lab",
        "swap",
        "walk",
        "micro",
    }
    assert Debrief.objects.filter(
        school=school, held_at__isnull=True, cycle__starts_on__lt=today
    ).exists(), "no debrief due"
    assert Debrief.objects.filter(school=school, held_at__isnull=False).count() >= 10

    # The demo teacher's follow-ups: one in the next days, one later.
    goals = Goal.objects.filter(school=school, owner__email=DEMO_TEACHER_EMAIL)
    soon = goals.filter(
        follow_up_on__gt=today, follow_up_on__lte=today + dt.timedelta(days=3)
    )
    later = goals.filter(follow_up_on__gt=today + dt.timedelta(days=7))
    assert soon.exists() and later.exists()

    # Evidence: look-fors seen at different rates, texts not all the same.
    observations = Observation.objects.filter(school=school).count()
    assert observations >= 40
    evidence = Evidence.objects.filter(school=school)
    texts = Counter(e.text or e.what for e in evidence.only("text", "what"))
    assert len(texts) >= 30
    assert max(texts.values()) < evidence.count() / 5
    assert {e.student_focus for e in evidence} == {"doing", "saying", "thinking"}
    seen = Counter()
    for look_for, _observation in (
        evidence.filter(look_for__isnull=False)
        .values_list("look_for__text", "observation")
        .distinct()
    ):
        seen[look_for] += 1
    assert len(seen) >= 6
    assert len(set(seen.values())) >= 4, seen
    return school, today
