"""A new user's walk (helper A2): home says which visit is which and how many
more there are; a past visit still gives its observer their part; a walk's
visits name their group."""

import datetime as dt
import uuid

import pytest
import time_machine
from django.urls import reverse
from django_scopes import scope

from cycles import selectors, services
from cycles.models import Debrief, LookFor, Visit
from cycles.services import quick_visit_plan
from cycles.tests.test_kinds_plan import walkers  # noqa: F401 (a fixture)
from observations.models import Evidence, Observation
from scheduling.tests.conftest import TUESDAY, sched  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db
WEDNESDAY_NOON = dt.datetime(2026, 12, 2, 12, 0)


def _plan(sched, cast, day, period=5, **extra):  # noqa: F811
    with scope(school=sched.school):
        look_for, _ = LookFor.objects.get_or_create(
            school=sched.school, text="Students explain their reasoning", kind="oral"
        )
        return quick_visit_plan(
            school=sched.school,
            by=cast.principal,
            host=sched.host,
            observers=[sched.observer],
            date=day,
            period=sched.periods[period],
            minutes=15,
            look_for=look_for,
            **extra,
        )


@pytest.fixture
def visit(cast, sched):  # noqa: F811
    return _plan(sched, cast, TUESDAY)


def test_a_planner_visit_is_titled_with_its_day(visit):
    # Before: every planner visit to one host was "Visit to Hope Host".
    assert visit.cycle.title == "Visit to Hope Host, Tue 1 Dec"
    assert visit.booking.title == "Visit to Hope Host, Tue 1 Dec"


def test_a_title_typed_by_the_planner_is_kept(cast, sched):  # noqa: F811
    visit = _plan(sched, cast, TUESDAY, title="Fractions check-in")
    assert visit.cycle.title == "Fractions check-in"


def test_home_lists_each_cycle_with_its_first_visits_time(login, sched, visit):  # noqa: F811
    html = login(sched.observer).get(reverse("home")).content.decode()
    start = visit.starts_at.astimezone(sched.school.tz)
    assert f"Tue 1 Dec, {start:%H:%M}" in html


def test_home_says_how_many_more_visits_and_links_my_week(login, cast, sched):  # noqa: F811
    days = [TUESDAY + dt.timedelta(days=n) for n in (0, 1, 2, 3, 7, 8, 9)]
    for day in days:
        _plan(sched, cast, day)
    html = login(sched.observer).get(reverse("home")).content.decode()
    # Before: five visits and nothing about the other two.
    assert html.count("in Hope Host's class") == 5
    assert "and 2 more visits" in html
    assert f"{reverse('scheduling:my_week')}?week=2026-12-09" in html


def test_home_has_one_card_called_visits(login, sched, visit):  # noqa: F811
    html = login(sched.observer).get(reverse("home")).content.decode()
    assert "Your visits this week" in html
    # Before: "Your visits and cover this week" said the same thing again.
    assert "Your visits and cover this week" not in html


def _unbook(visit):
    with scope(school=visit.school):
        Visit.objects.filter(pk=visit.pk).update(booking=None)


def _cycle_page(login, user, visit):
    url = reverse("cycles:detail", args=[visit.cycle_id])
    return login(user).get(url).content.decode()


def test_a_past_visit_without_booking_offers_record_late(login, sched, visit):  # noqa: F811
    _unbook(visit)
    capture = reverse("observations:capture", args=[visit.pk])
    with time_machine.travel(WEDNESDAY_NOON.replace(tzinfo=sched.school.tz)):
        html = _cycle_page(login, sched.observer, visit)
    # Before: the 'Your part' cell was empty when the visit had no booking.
    assert f'href="{capture}">Record late' in html
    with scope(school=sched.school):
        debrief = Debrief.objects.get(cycle=visit.cycle)
    assert reverse("cycles:debrief", args=[debrief.pk]) in html


def test_a_past_visit_with_evidence_offers_the_observation(login, sched, visit):  # noqa: F811
    _unbook(visit)
    with scope(school=sched.school):
        observation = Observation.objects.create(
            school=sched.school, visit=visit, observer=sched.observer
        )
        Evidence.objects.create(
            school=sched.school,
            observation=observation,
            client_id=uuid.uuid4(),
            text="Two students explained why",
        )
    capture = reverse("observations:capture", args=[visit.pk])
    with time_machine.travel(WEDNESDAY_NOON.replace(tzinfo=sched.school.tz)):
        html = _cycle_page(login, sched.observer, visit)
    assert f'href="{capture}">Your observation' in html
    assert "(1 entry)" in html and "Record late" not in html


def test_no_record_late_once_the_debrief_is_held(login, sched, visit):  # noqa: F811
    _unbook(visit)
    with scope(school=sched.school):
        Debrief.objects.filter(cycle=visit.cycle).update(
            held_at=WEDNESDAY_NOON.replace(tzinfo=sched.school.tz)
        )
    with time_machine.travel(WEDNESDAY_NOON.replace(tzinfo=sched.school.tz)):
        html = _cycle_page(login, sched.observer, visit)
    assert "Record late" not in html


def test_a_visit_to_come_still_offers_observe(login, sched, visit):  # noqa: F811
    capture = reverse("observations:capture", args=[visit.pk])
    html = _cycle_page(login, sched.observer, visit)
    assert f'href="{capture}">Observe' in html


def test_the_walk_visits_table_names_each_group(
    login,
    scoped,
    teachers,
    walkers,  # noqa: F811
    visit_day,
):
    hosts = [teachers[k] for k in ("old_math", "old_ela", "mid_ss", "new_math")]
    cycle = services.cycle_create(
        school=scoped.school,
        by=scoped.principal,
        kind="walk",
        title="Engagement walk",
        initiative="Student discourse",
        facilitator=scoped.coach,
        hosts=hosts,
        observers=walkers,
        group_size=4,
        visit_date=visit_day,
        period=teachers["_schedule"]["periods"][3],
        schedule=True,
    )
    groups = selectors.walk_groups(cycle=cycle)
    html = (
        login(scoped.principal)
        .get(reverse("cycles:detail", args=[cycle.pk]))
        .content.decode()
    )
    table = html.split('id="visits-heading"')[1].split("</table>")[0]
    # Before: each row listed four names and no group.
    assert table.count("<td>Group 1<br>") == 2
    assert table.count("<td>Group 2<br>") == 2
    names = ", ".join(u.full_name for u in groups[1])
    assert f'<span class="small text-body-secondary">{names}</span>' in table
