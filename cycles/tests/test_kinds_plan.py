"""Swap days, walks, labs and micro-observations plan what their type says."""

import datetime as dt
from collections import defaultdict

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from cycles import selectors, services
from cycles.kinds import Organizer, spec_for
from cycles.models import Cycle
from cycles.services.planning import walk_routes
from cycles.tests.test_services import T, micro
from jel.models import Role
from jel.tests.factories import staff
from scheduling.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db


def _local(moment):
    return timezone.localtime(moment, moment.tzinfo).time()


def _spans(visits, tz):
    return [
        (
            v,
            timezone.localtime(v.starts_at, tz).replace(tzinfo=None),
            timezone.localtime(v.ends_at, tz).replace(tzinfo=None),
        )
        for v in visits
    ]


def _nobody_in_two_places(visits, tz):
    """Each person's visits (as host or observer) never overlap."""
    by_person = defaultdict(list)
    for visit, start, end in _spans(visits, tz):
        for person in [visit.host_id, *(o.pk for o in visit.observers.all())]:
            by_person[person].append((start, end))
    for spans in by_person.values():
        spans.sort()
        for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
            assert end <= start


# --- Swap days -------------------------------------------------------------


def _swap(cast, members, day, **extra):
    options = {
        "school": cast.school,
        "by": cast.principal,
        "kind": "swap",
        "title": "Swap day",
        "facilitator": cast.coach,
        "hosts": members,
        "visit_date": day,
    }
    options.update(extra)
    return services.cycle_create(**options)


def test_swap_day_pairs_visit_in_the_period_the_principal_chose(
    scoped, teachers, visit_day
):
    # Everyone teaches period 3 (09:50-10:40); their planning periods differ,
    # which is where the pairs went before the chosen period was heard.
    period_3 = teachers["_schedule"]["periods"][3]
    members = [teachers[k] for k in ("new_math", "old_math", "new_ela", "old_ela")]
    cycle = _swap(scoped, members, visit_day, period=period_3)
    visits = list(cycle.visits.prefetch_related("observers"))
    assert len(visits) == 4  # two pairs, each visits each other
    tz = scoped.school.tz
    for visit, start, end in _spans(visits, tz):
        assert visit.period == period_3
        assert dt.time(9, 50) <= start.time() and end.time() <= dt.time(10, 40)
    assert sorted({s.time() for _, s, _ in _spans(visits, tz)}) == [
        dt.time(9, 50),
        dt.time(10, 10),
    ]
    _nobody_in_two_places(visits, tz)


def test_swap_day_member_with_no_class_then_hosts_when_they_teach(
    scoped, teachers, visit_day
):
    # Period 2: Vera teaches, Nia plans. Vera hosts then; Nia hosts in a
    # period she teaches and Vera plans (period 5).
    periods = teachers["_schedule"]["periods"]
    cycle = _swap(
        scoped,
        [teachers["new_math"], teachers["old_ela"]],
        visit_day,
        period=periods[2],
    )
    by_host = {v.host: v for v in cycle.visits.all()}
    assert by_host[teachers["old_ela"]].period == periods[2]
    assert by_host[teachers["new_math"]].period == periods[5]


def test_swap_day_at_a_chosen_time_keeps_that_time(scoped, teachers, visit_day):
    members = [teachers["mid_sci"], teachers["new_ela"]]  # both teach period 3
    cycle = _swap(scoped, members, visit_day, start_time=dt.time(10, 0), minutes=12)
    starts = sorted(
        _local(v.starts_at.astimezone(scoped.school.tz)) for v in cycle.visits.all()
    )
    assert starts == [dt.time(10, 0), dt.time(10, 17)]


# --- Team members on the form ------------------------------------------------


@pytest.fixture
def math_team(cast, teachers):
    with scope(school=cast.school):
        team = TeamFactory(school=cast.school, name="Math team")
        team.members.set([teachers["new_math"], teachers["old_math"]])
    return team


def _people_html(body, name):
    start = body.index(f'data-people="{name}"')
    return body[start : body.index("</fieldset>", start)]


def test_choosing_a_team_lists_its_members_first_and_the_rest_behind_a_toggle(
    login, cast, teachers, math_team
):
    client = login(cast.principal)
    url = reverse("cycles:new") + f"?kind=swap&team={math_team.pk}"
    body = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    hosts = _people_html(body, "hosts")
    team_part, _, others = hosts.partition("<details")
    assert "Math team: 2 members." in team_part
    assert "Nia New" in team_part and "Olga Old" in team_part
    assert "Vera Veteran" not in team_part
    assert "Show everyone else" in others and "Vera Veteran" in others
    # Changing the team asks for the lists again, keeping what is ticked.
    assert 'data-hx-select="#who-people"' in body
    assert body.index('name="team"') < body.index('name="facilitator"')


def test_without_a_team_everyone_is_one_list(login, cast, teachers):
    body = (
        login(cast.principal)
        .get(reverse("cycles:new") + "?kind=swap", HTTP_HX_REQUEST="true")
        .content.decode()
    )
    hosts = _people_html(body, "hosts")
    assert "<details" not in hosts
    assert "Vera Veteran" in hosts and "Nia New" in hosts


def test_a_ticked_colleague_outside_the_team_stays_in_view(
    login, cast, teachers, math_team
):
    vera = teachers["old_ela"]
    url = (
        reverse("cycles:new") + f"?kind=rounds&team={math_team.pk}&observers={vera.pk}"
    )
    body = login(cast.principal).get(url).content.decode()
    observers = _people_html(body, "observers")
    assert '<details class="people-others" open>' in observers
    assert f'value="{vera.pk}" id="id_observers_' in observers


def test_a_swap_for_a_team_takes_its_members(login, cast, teachers, math_team):
    client = login(cast.principal)
    response = client.post(
        reverse("cycles:new") + "?kind=swap",
        {
            "kind": "swap",
            "title": "Math swap",
            "team": math_team.pk,
            "facilitator": cast.coach.pk,
            "minutes": 15,
            "draft": "1",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        cycle = Cycle.objects.get(title="Math swap")
        assert set(cycle.people("host")) == {teachers["new_math"], teachers["old_math"]}


# --- One list of suggested hosts ------------------------------------------------


def test_the_walk_form_has_one_list_of_suggested_hosts(login, cast, teachers):
    body = (
        login(cast.principal).get(reverse("cycles:new") + "?kind=walk").content.decode()
    )
    # The availability panel names hosts teaching then, once a slot is chosen;
    # the form no longer names its own (some not teaching then).
    assert "Suggested by rotation" not in body
    assert "· suggested" not in body
    assert body.count('id="availability"') == 1
    assert "hosted 0 times this year" in body


# --- Learning walks ------------------------------------------------------------


def test_walk_routes_put_each_group_in_its_own_rooms():
    hosts, groups = ["A", "B", "C", "D", "E"], [["g1"], ["g2"]]
    routes = walk_routes(hosts, groups)
    assert {h for _, h, _ in routes} == set(hosts)  # every room seen
    for step in {s for s, _, _ in routes}:
        at_once = [(h, g[0]) for s, h, g in routes if s == step]
        assert len({h for h, _ in at_once}) == len(at_once)
        assert len({g for _, g in at_once}) == len(at_once)


@pytest.mark.parametrize("rooms", [2, 3, 4, 5, 7])
def test_walk_routes_give_every_group_as_many_rooms(rooms):
    hosts, groups = list("ABCDEFG"[:rooms]), [["g1"], ["g2"]]
    routes = walk_routes(hosts, groups)
    per_group = {
        name: [h for _, h, g in routes if g[0] == name] for name in ("g1", "g2")
    }
    each = -(-rooms // 2)
    for name, seen in per_group.items():
        assert len(seen) == each, (name, seen)
        assert len(set(seen)) == each  # never the same room twice
    assert {h for _, h, _ in routes} == set(hosts)


def test_walk_routes_with_more_groups_than_rooms_take_turns():
    routes = walk_routes(["A"], [["g1"], ["g2"], ["g3"]])
    assert [(s, h, g[0]) for s, h, g in routes] == [
        (0, "A", "g1"),
        (1, "A", "g2"),
        (2, "A", "g3"),
    ]


@pytest.fixture
def walkers(cast):
    with scope(school=cast.school):
        return [
            staff(
                cast.school,
                Role.TEACHER,
                full_name=f"Walker {n}",
                grades=(6 + n % 3,),
                department=("Science", "Arts")[n % 2],
            )
            for n in range(8)
        ]


def test_walk_groups_each_visit_their_own_rooms_at_the_same_time(
    scoped, teachers, walkers, visit_day
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
        period=teachers["_schedule"]["periods"][3],  # all four teach then
        schedule=True,
    )
    groups = selectors.walk_groups(cycle=cycle)
    assert sorted(len(g) for g in groups.values()) == [4, 4]
    visits = list(cycle.visits.prefetch_related("observers"))
    # Before: four visits, all eight walkers in every room at once.
    assert len(visits) == 4
    tz = scoped.school.tz
    by_start = defaultdict(list)
    for visit, start, _ in _spans(visits, tz):
        walkers_here = {o.pk for o in visit.observers.all()}
        assert walkers_here in [{u.pk for u in g} for g in groups.values()]
        by_start[start].append(visit)
    assert len(by_start) == 2  # two rooms each, both groups at once
    for at_once in by_start.values():
        assert len({v.host_id for v in at_once}) == len(at_once) == 2
    _nobody_in_two_places(visits, tz)
    assert cycle.status == "scheduled"
    assert all(v.booking_id for v in visits)


def test_walk_of_three_rooms_gives_both_groups_two_rooms(
    scoped, teachers, walkers, visit_day
):
    hosts = [teachers[k] for k in ("old_math", "old_ela", "mid_ss")]
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
    groups = list(selectors.walk_groups(cycle=cycle).values())
    visits = list(cycle.visits.prefetch_related("observers"))
    # Before: group 1 visited two rooms, group 2 only one.
    rooms = {
        i: {v.host_id for v in visits if {o.pk for o in v.observers.all()} == g}
        for i, g in enumerate({u.pk for u in group} for group in groups)
    }
    assert [len(r) for r in rooms.values()] == [2, 2]
    assert {v.host_id for v in visits} == {h.pk for h in hosts}
    _nobody_in_two_places(visits, scoped.school.tz)
    assert cycle.status == "scheduled"
    assert all(v.booking_id for v in visits)


# --- Labs ---------------------------------------------------------------------


def _lab(cast, teachers, day, **extra):
    options = {
        "school": cast.school,
        "by": cast.coach,
        "kind": "lab",
        "title": "Discourse lab",
        "facilitator": cast.coach,
        "hosts": [teachers["old_ela"]],
        "observers": [teachers["new_ela"]],
        "prebrief_goal": "Students build on each other's ideas",
        "visit_date": day,
    }
    options.update(extra)
    return services.cycle_create(**options)


def test_a_lab_visit_is_the_hosts_whole_lesson(scoped, teachers, visit_day):
    period_2 = teachers["_schedule"]["periods"][2]  # 08:55-09:45, Vera teaches
    visit = _lab(scoped, teachers, visit_day, period=period_2).visits.get()
    assert visit.minutes == 50
    # From a start time inside her lesson: to its end.
    later = _lab(scoped, teachers, visit_day, start_time=T).visits.get()
    assert later.minutes == 45
    # Minutes chosen are kept.
    short = _lab(scoped, teachers, visit_day, start_time=T, minutes=30)
    assert short.visits.get().minutes == 30


def test_the_lab_form_leaves_minutes_to_the_lesson(login, cast):
    form = (
        login(cast.principal).get(reverse("cycles:new") + "?kind=lab").context["form"]
    )
    assert form.fields["minutes"].required is False
    assert "whole lesson" in form.fields["minutes"].help_text
    rounds = login(cast.principal).get(reverse("cycles:new") + "?kind=rounds")
    assert rounds.context["form"].fields["minutes"].required is True


def test_a_rounds_visit_still_defaults_to_15_minutes(scoped, teachers, visit_day):
    cycle = services.cycle_create(
        school=scoped.school,
        by=scoped.principal,
        kind="walk",
        title="Walk",
        initiative="Discourse",
        hosts=[teachers["old_ela"]],
        observers=[teachers["new_ela"]],
        visit_date=visit_day,
        period=teachers["_schedule"]["periods"][2],
    )
    assert cycle.visits.get().minutes == 15


def test_the_lab_capture_organizer_is_named_by_the_spec():
    assert spec_for("lab").organizer == Organizer.WHAT_SO_WHAT_NOW_WHAT
    for kind in ("rounds", "swap", "micro", "walk"):
        assert spec_for(kind).organizer == Organizer.ENTRIES


# --- Micro-observations --------------------------------------------------------


def _micro_post(cast, teachers, look_fors, hosts, day):
    return {
        "kind": "micro",
        "title": "Quick look",
        "facilitator": cast.coach.pk,
        "hosts": [h.pk for h in hosts],
        "observers": [teachers["new_math"].pk],
        "look_fors": [lf.pk for lf in look_fors],
        "visit_date": day.isoformat(),
        "start_time": "09:00",
        "minutes": 12,
        "draft": "1",
    }


def test_the_micro_form_refuses_several_look_fors_even_as_a_draft(
    login, cast, teachers, ready_problem, visit_day
):
    with scopes_disabled():
        look_fors = list(ready_problem.look_fors.all())
    response = login(cast.principal).post(
        reverse("cycles:new") + "?kind=micro",
        _micro_post(cast, teachers, look_fors, [teachers["old_math"]], visit_day),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["look_fors"] == [
        spec_for("micro").look_fors.draft_message
    ]
    assert "Nothing was saved" in response.content.decode()
    with scopes_disabled():
        assert not Cycle.objects.filter(kind="micro").exists()


def test_the_micro_form_refuses_several_classrooms_even_as_a_draft(
    login, cast, teachers, ready_problem, visit_day
):
    with scopes_disabled():
        look_for = ready_problem.look_fors.first()
    two = [teachers["old_math"], teachers["old_ela"]]
    response = login(cast.principal).post(
        reverse("cycles:new") + "?kind=micro",
        _micro_post(cast, teachers, [look_for], two, visit_day),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["hosts"] == [
        spec_for("micro").hosts.most_message
    ]
    with scopes_disabled():
        assert not Cycle.objects.filter(kind="micro").exists()


def test_plan_it_fills_in_the_reciprocal_visit(
    login, cast, teachers, ready_problem, visit_day
):
    with scope(school=cast.school):
        look_for = ready_problem.look_fors.first()
        cycle = micro(cast, teachers, visit_day, [look_for])  # Olga hosts Nia
    client = login(cast.principal)
    page = client.get(reverse("cycles:detail", args=[cycle.pk])).content.decode()
    link = reverse("cycles:new") + f"?kind=micro&amp;reciprocal_of={cycle.pk}"
    assert link in page
    response = client.get(
        reverse("cycles:new") + f"?kind=micro&reciprocal_of={cycle.pk}"
    )
    initial = response.context["form"].initial
    assert initial["hosts"] == [teachers["new_math"].pk]
    assert initial["observers"] == [teachers["old_math"].pk]
    assert initial["look_fors"] == [look_for.pk]
    assert initial["minutes"] == 12
    # The day after: Nia teaches periods 1, 3-6, Olga plans in 6 and 7.
    periods = teachers["_schedule"]["periods"]
    assert initial["visit_date"] == visit_day + dt.timedelta(days=1)
    assert initial["period"] == periods[6].pk
    body = response.content.decode()
    assert 'value="Return visit: Quick look"' in body


def test_plan_it_for_a_cycle_one_cannot_see_is_404(
    login, cast, teachers, ready_problem, visit_day
):
    with scope(school=cast.school):
        cycle = micro(cast, teachers, visit_day, [ready_problem.look_fors.first()])
    response = login(cast.other_principal).get(
        reverse("cycles:new") + f"?kind=micro&reciprocal_of={cycle.pk}"
    )
    assert response.status_code == 404


def test_a_reciprocal_slot_skips_times_either_is_booked(
    scoped, teachers, ready_problem, visit_day
):
    look_for = ready_problem.look_fors.first()
    cycle = micro(scoped, teachers, visit_day, [look_for])
    first = selectors.micro_reciprocal_plan(cycle=cycle)["slot"]
    # Olga (who would observe) is booked then, observing Sia: the next time
    # both are free is suggested instead.
    services.cycle_create(
        school=scoped.school,
        by=scoped.coach,
        kind="micro",
        title="Another look",
        facilitator=scoped.coach,
        hosts=[teachers["mid_ss"]],
        observers=[teachers["old_math"]],
        look_fors=[look_for],
        visit_date=first["date"],
        period=first["period"],
        minutes=12,
        schedule=True,
    )
    second = selectors.micro_reciprocal_plan(cycle=cycle)["slot"]
    assert (second["date"], second["period"].number) != (
        first["date"],
        first["period"].number,
    )
    assert second["date"] >= first["date"]


# --- Editing keeps what has not changed ----------------------------------------


def test_saving_a_swap_day_unchanged_keeps_its_bookings(scoped, teachers, visit_day):
    periods = teachers["_schedule"]["periods"]
    members = [teachers["new_math"], teachers["old_ela"]]
    cycle = _swap(scoped, members, visit_day, period=periods[5], schedule=True)
    booked = sorted(cycle.visits.values_list("booking_id", flat=True))
    assert len(booked) == 2 and all(booked)
    # Vera has no class in period 5: she hosts first, in period 2, where Nia
    # plans. Saved again unchanged, the plan and its bookings stay.
    services.cycle_update(
        cycle=cycle,
        by=scoped.principal,
        hosts=members,
        visit_date=visit_day,
        period=periods[5],
        minutes=15,
    )
    assert sorted(cycle.visits.values_list("booking_id", flat=True)) == booked


def test_a_new_group_size_regroups_the_walk_visits(
    scoped, teachers, walkers, visit_day
):
    hosts = [teachers[k] for k in ("old_math", "old_ela", "mid_ss", "new_math")]
    period_3 = teachers["_schedule"]["periods"][3]
    plan = {
        "hosts": hosts,
        "observers": walkers,
        "visit_date": visit_day,
        "period": period_3,
    }
    cycle = services.cycle_create(
        school=scoped.school,
        by=scoped.principal,
        kind="walk",
        title="Engagement walk",
        initiative="Student discourse",
        group_size=4,
        **plan,
    )
    assert sorted(v.observers.count() for v in cycle.visits.all()) == [4, 4, 4, 4]
    services.cycle_update(
        cycle=cycle, by=scoped.principal, group_size=2, minutes=15, **plan
    )
    visits = list(cycle.visits.prefetch_related("observers"))
    # Four groups of two, one room each, all at once.
    assert [v.observers.count() for v in visits] == [2, 2, 2, 2]
    assert len({v.starts_at for v in visits}) == 1
    assert len({v.host_id for v in visits}) == 4
    _nobody_in_two_places(visits, scoped.school.tz)
