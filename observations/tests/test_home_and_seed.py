"""The home page lists this week's visits; the demo seed runs twice safely."""

import datetime
import io

from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from jel.demo import DEMO_TEACHER_EMAIL, seed_core
from observations.models import Evidence, Goal, Reflection
from observations.seed import seed_observations
from observations.tests.factories import cycle_with_visit


def test_home_lists_todays_visit_with_time_and_focus(cast, visit, login):
    body = login(cast.teacher).get(reverse("home")).content.decode()
    assert "Your visits this week" in body
    assert "7:30 AM" in body
    assert "You observe Hana Host’s class" in body
    assert "Students talk about the writing target" in body
    assert reverse("observations:capture", args=[visit.pk]) in body


def test_the_host_sees_they_host(cast, host, visit, login):
    body = login(host).get(reverse("home")).content.decode()
    assert "You host" in body
    assert reverse("observations:capture", args=[visit.pk]) not in body


def test_a_visit_next_month_is_not_on_home(cast, host, login):
    cycle_with_visit(
        cast.school,
        host=host,
        observers=[cast.teacher],
        day=timezone.localdate() + datetime.timedelta(days=30),
    )
    assert (
        "Your visits this week"
        not in login(cast.teacher).get(reverse("home")).content.decode()
    )


def test_the_seed_is_idempotent(db):
    from cycles.models import CycleParticipant
    from jel.models import User

    school = seed_core()
    today = timezone.localdate()
    with scopes_disabled():
        teacher_host = school.memberships.filter(role="teacher").last().user
        tara = User.objects.get(email=DEMO_TEACHER_EMAIL)
        for days_ago in (3, 10):
            visit = cycle_with_visit(
                school,
                host=teacher_host,
                observers=[tara],
                day=today - datetime.timedelta(days=days_ago),
                title=f"Writing rounds {days_ago} days ago",
            )
            visit.cycle.starts_on = visit.date
            visit.cycle.save()
            assert CycleParticipant.objects.filter(cycle=visit.cycle, user=tara)
        seed_observations(school=school, stdout=io.StringIO())
        counts = (
            Evidence.objects.count(),
            Reflection.objects.count(),
            Goal.objects.count(),
        )
        seed_observations(school=school, stdout=io.StringIO())
        assert counts == (
            Evidence.objects.count(),
            Reflection.objects.count(),
            Goal.objects.count(),
        )
        # Two reflections of her own, one after each cycle; a goal per cycle.
        assert counts[0] > 0 and counts[1] == 4 and counts[2] == 2
        soon = today + datetime.timedelta(days=3)
        assert Goal.objects.filter(
            owner=tara, follow_up_on__gt=today, follow_up_on__lte=soon
        ).exists()
        assert Goal.objects.filter(owner=tara, follow_up_on__gt=soon).exists()


def test_home_shows_the_room_when_the_visit_has_one(cast, visit, login):
    from scheduling.models import Room

    with scopes_disabled():
        visit.room = Room.objects.create(school=cast.school, name="Room 214")
        visit.save()
    body = login(cast.teacher).get(reverse("home")).content.decode()
    assert "in Room 214" in body
