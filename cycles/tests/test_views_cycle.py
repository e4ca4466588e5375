"""The cycle pages: list, new (per type), detail, edit, status moves."""

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from cycles import services
from cycles.models import Cycle, CycleTransition
from cycles.tests.test_services import T, lab, rounds, run_to_closed
from scheduling.models import Booking

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned(cast, teachers, ready_problem, visit_day):
    """A draft rounds cycle: teachers observe; cast.teacher is not in it."""
    with scope(school=cast.school):
        return rounds(cast, teachers, ready_problem, visit_day)


def test_teacher_in_a_cycle_can_open_it(login, planned, teachers):
    client = login(teachers["new_math"])
    response = client.get(reverse("cycles:detail", args=[planned.pk]))
    assert response.status_code == 200
    assert "Writing rounds" in response.content.decode()


def test_teacher_not_in_a_cycle_gets_404(login, cast, planned):
    response = login(cast.outsider).get(reverse("cycles:detail", args=[planned.pk]))
    assert response.status_code == 404


def test_other_schools_principal_gets_404(login, cast, planned):
    client = login(cast.other_principal)
    assert client.get(reverse("cycles:detail", args=[planned.pk])).status_code == 404


def test_teacher_sees_only_their_cycles_in_the_list(login, cast, planned, teachers):
    assert (
        "Writing rounds"
        in login(teachers["new_ela"]).get(reverse("cycles:list")).content.decode()
    )
    body = login(cast.outsider).get(reverse("cycles:list")).content.decode()
    assert "Writing rounds" not in body
    assert "You are not in any cycle yet" in body


def test_teacher_cannot_open_the_planner(login, cast):
    assert login(cast.teacher).get(reverse("cycles:new")).status_code == 403


def test_list_page_query_count_is_fixed(
    login, cast, teachers, ready_problem, visit_day, django_assert_max_num_queries
):
    with scope(school=cast.school):
        for i in range(6):
            rounds(cast, teachers, ready_problem, visit_day, title=f"Rounds {i}")
    client = login(cast.principal)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("cycles:list"))
    assert response.content.decode().count("Rounds ") >= 6


@pytest.mark.parametrize(
    "kind,shows,hides",
    [
        ("rounds", "Problem of practice", "Instructional goal"),
        ("lab", "Instructional goal (pre-brief)", "Group size"),
        ("swap", "Team members (each hosts and observes)", "Walkers"),
        ("micro", "exactly one look-for", "Group size"),
        ("walk", "What do we hope to see students doing?", "Instructional goal"),
    ],
)
def test_new_cycle_page_adapts_to_the_type(login, cast, kind, shows, hides):
    client = login(cast.principal)
    response = client.get(
        reverse("cycles:new") + f"?kind={kind}", HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body  # htmx gets the fragment only
    assert shows in body
    assert hides not in body


def _rounds_post(cast, teachers, problem, day, **extra):
    data = {
        "kind": "rounds",
        "title": "Rounds from the page",
        "problem_of_practice": problem.pk,
        "facilitator": cast.coach.pk,
        "hosts": [teachers["old_math"].pk, teachers["old_ela"].pk],
        "observers": [teachers["new_math"].pk, teachers["new_ela"].pk],
        "visit_date": day.isoformat(),
        "start_time": "09:00",
        "minutes": 15,
        "arrange_cover": "on",
        "schedule": "1",
    }
    data.update(extra)
    return data


def test_principal_plans_and_schedules_rounds(
    login, cast, teachers, ready_problem, visit_day
):
    client = login(cast.principal)
    response = client.post(
        reverse("cycles:new") + "?kind=rounds",
        _rounds_post(cast, teachers, ready_problem, visit_day),
        follow=True,
    )
    body = response.content.decode()
    assert "is scheduled and booked" in body
    with scopes_disabled():
        cycle = Cycle.objects.get(title="Rounds from the page")
        assert cycle.status == "scheduled"
        assert cycle.look_for_links.count() == 3  # the problem's look-fors
        assert Booking.objects.filter(kind="visit").count() == 2


def test_rule_breach_shows_field_error_and_saves_nothing(
    login, cast, teachers, visit_day
):
    with scope(school=cast.school):
        from cycles.tests.factories import problem

        draft = problem(cast.school, cast.principal, checks=["check_observable"])
    client = login(cast.principal)
    response = client.post(
        reverse("cycles:new") + "?kind=rounds",
        _rounds_post(cast, teachers, draft, visit_day),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "must pass all five quality checks" in body
    assert "Nothing was saved" in body
    with scopes_disabled():
        assert not Cycle.objects.exists()


def test_booking_conflict_is_shown_and_nothing_is_booked(
    login, cast, teachers, ready_problem, visit_day
):
    client = login(cast.principal)
    data = _rounds_post(
        cast,
        teachers,
        ready_problem,
        visit_day,
        hosts=[teachers["old_math"].pk, teachers["new_ela"].pk],
    )
    data["observers"] = [teachers["new_math"].pk]
    body = client.post(reverse("cycles:new") + "?kind=rounds", data).content.decode()
    assert "Ned Novice does not teach" in body
    with scopes_disabled():
        assert not Booking.objects.exists()
        assert not Cycle.objects.exists()


def test_draft_can_be_saved_then_scheduled_from_its_page(
    login, cast, teachers, ready_problem, visit_day
):
    client = login(cast.principal)
    data = _rounds_post(cast, teachers, ready_problem, visit_day)
    del data["schedule"]
    data["draft"] = "1"
    client.post(reverse("cycles:new") + "?kind=rounds", data)
    with scopes_disabled():
        cycle = Cycle.objects.get()
    assert cycle.status == "draft"
    response = client.post(
        reverse("cycles:transition", args=[cycle.pk]), {"to": "scheduled"}, follow=True
    )
    assert "The cycle is now scheduled" in response.content.decode()
    with scopes_disabled():
        move = CycleTransition.objects.get(cycle=cycle)
    assert (move.to_status, move.by) == ("scheduled", cast.principal)


def test_refused_transition_explains_why(login, cast, teachers, visit_day):
    with scope(school=cast.school):
        cycle = lab(cast, teachers, visit_day)
    response = login(cast.coach).post(
        reverse("cycles:transition", args=[cycle.pk]), {"to": "scheduled"}, follow=True
    )
    assert "has not agreed to host yet" in response.content.decode()


def test_lab_host_agrees_from_the_cycle_page(login, cast, teachers, visit_day):
    with scope(school=cast.school):
        cycle = lab(cast, teachers, visit_day)
    client = login(teachers["old_ela"])
    page = client.get(reverse("cycles:detail", args=[cycle.pk])).content.decode()
    assert "Will you host this lab?" in page
    client.post(reverse("cycles:host_respond", args=[cycle.pk]), {"answer": "accept"})
    with scope(school=cast.school):
        services.cycle_schedule(cycle=cycle, by=cast.coach)


def test_edit_moves_the_visits(login, cast, planned, visit_day, teachers):
    client = login(cast.principal)
    page = client.get(reverse("cycles:edit", args=[planned.pk]))
    assert page.status_code == 200
    data = _rounds_post(cast, teachers, planned.problem_of_practice, visit_day)
    data.update(title="Renamed rounds", start_time="09:05")
    del data["schedule"]
    response = client.post(reverse("cycles:edit", args=[planned.pk]), data)
    assert response.status_code == 302
    with scopes_disabled():
        planned.refresh_from_db()
        assert planned.title == "Renamed rounds"
        assert planned.visits.count() == 2


def test_closed_cycle_cannot_be_edited(login, cast, teachers, ready_problem, visit_day):
    with scope(school=cast.school):
        cycle = rounds(cast, teachers, ready_problem, visit_day, schedule=True)
        run_to_closed(cycle, cast.coach)
    response = login(cast.principal).get(
        reverse("cycles:edit", args=[cycle.pk]), follow=True
    )
    assert "can no longer be edited" in response.content.decode()


def test_visit_shows_on_the_observers_home_page(
    login, cast, teachers, ready_problem, visit_day
):
    with scope(school=cast.school):
        rounds(cast, teachers, ready_problem, visit_day, schedule=True)
    body = login(teachers["new_math"]).get(reverse("home")).content.decode()
    assert "Your cycles" in body
    assert "Writing rounds" in body
    assert "Coming visits" in body
    assert T.strftime("%H:%M") in body


def test_availability_suggests_hosts_teaching_then_and_free_observers(
    login, cast, teachers, ready_problem, visit_day
):
    with scope(school=cast.school):
        rounds(cast, teachers, ready_problem, visit_day)  # Olga and Vera host
    period = teachers["_schedule"]["periods"][2]
    response = login(cast.principal).get(
        reverse("cycles:availability"),
        {"visit_date": visit_day.isoformat(), "period": period.pk},
    )
    body = response.content.decode()
    suggested = body.split('id="slot-suggestions"')[1].split("</p>")[0]
    # Period 2: Olga, Vera and Sia teach; Sia has hosted least.
    assert suggested.index("Sia Social") < suggested.index("Olga Old")
    assert "Nia New" not in suggested
    free = body.split("Free then")[1]
    assert "Nia New" in free and "Sia Social" not in free


def test_availability_suggests_hosts_among_the_chosen_teams_members(
    login, cast, teachers, visit_day
):
    from scheduling.tests.factories import TeamFactory

    with scope(school=cast.school):
        team = TeamFactory(school=cast.school, name="English team")
        team.members.set([teachers["new_ela"], teachers["old_ela"]])
    period = teachers["_schedule"]["periods"][2]
    client = login(cast.principal)
    url = reverse("cycles:availability")
    query = {"visit_date": visit_day.isoformat(), "period": period.pk}
    body = client.get(url, {**query, "team": team.pk}).content.decode()
    suggested = body.split('id="slot-suggestions"')[1].split("</p>")[0]
    # Period 2: Olga, Vera and Sia teach; only Vera is in the team.
    assert "from English team" in suggested
    assert "Vera Veteran" in suggested
    assert "Olga Old" not in suggested and "Sia Social" not in suggested
    # Without a team, anyone teaching then.
    body = client.get(url, query).content.decode()
    suggested = body.split('id="slot-suggestions"')[1].split("</p>")[0]
    assert "Olga Old" in suggested and "Sia Social" in suggested


def test_availability_says_when_there_is_no_school(login, cast, teachers):
    period = teachers["_schedule"]["periods"][2]
    body = (
        login(cast.principal)
        .get(
            reverse("cycles:availability"),
            {"visit_date": "2026-12-05", "period": period.pk},
        )
        .content.decode()
    )
    assert "is not a school day (a weekend)" in body


def _lab_post(cast, teachers, day, **extra):
    data = {
        "kind": "lab",
        "title": "Talk moves lab",
        "facilitator": cast.coach.pk,
        "hosts": [teachers["old_ela"].pk],
        "observers": [teachers["new_ela"].pk],
        "prebrief_goal": "Students build on each other's ideas",
        "visit_date": day.isoformat(),
        "start_time": "09:00",
        "minutes": 30,
        "follow_up_days": 14,
        "draft": "1",
    }
    data.update(extra)
    return data


def test_lab_starts_a_new_series_from_the_planner(login, cast, teachers, visit_day):
    client = login(cast.coach)
    data = _lab_post(
        cast,
        teachers,
        visit_day,
        new_series_title="Talk moves",
        new_series_inquiry="How do talk moves deepen reasoning?",
    )
    response = client.post(reverse("cycles:new") + "?kind=lab", data, follow=True)
    assert "Talk moves: How do talk moves deepen reasoning?" in (
        response.content.decode()
    )


def test_series_without_an_inquiry_keeps_nothing(login, cast, teachers, visit_day):
    client = login(cast.coach)
    data = _lab_post(cast, teachers, visit_day, new_series_title="Talk moves")
    body = client.post(reverse("cycles:new") + "?kind=lab", data).content.decode()
    assert "State the inquiry the labs share." in body
    with scopes_disabled():
        assert not Cycle.objects.exists()


def test_swap_day_page_says_why_each_pair(login, cast, teachers, visit_day):
    from cycles.tests.test_services import swap

    members = [teachers[k] for k in ("new_math", "old_math", "new_ela", "old_ela")]
    with scope(school=cast.school):
        cycle = swap(cast, members, visit_day)
    page = login(cast.principal).get(reverse("cycles:detail", args=[cycle.pk]))
    body = " ".join(page.content.decode().split())
    assert body.count("new with experienced, cross-content") == 2
    assert "Swap days this semester: 1 of a target of 2" in body


def test_new_swap_day_form_counts_swap_days_against_the_target(
    login, cast, teachers, visit_day
):
    from cycles.tests.test_services import swap

    members = [teachers[k] for k in ("new_math", "old_math", "new_ela", "old_ela")]
    client = login(cast.principal)
    url = reverse("cycles:new") + "?kind=swap"
    with scope(school=cast.school):
        swap(cast, members, visit_day)
    body = " ".join(client.get(url).content.decode().split())
    assert "1 swap day this semester (target: 2)." in body
    assert "of a target of" not in body
    with scope(school=cast.school):
        swap(cast, members, visit_day)
    body = " ".join(client.get(url).content.decode().split())
    assert "2 swap days this semester (target: 2): the target is met." in body


def _look_for_list(body: str) -> tuple[str, str]:
    """The look-for list of the form: what is shown, and what waits behind."""
    block = body.split('id="look-fors"')[1].split("</fieldset>")[0]
    shown, _, hidden = block.partition("<details")
    return shown, hidden


def test_choosing_a_problem_narrows_the_look_fors_and_keeps_the_ticks(
    login, cast, ready_problem
):
    from cycles.tests.factories import problem

    with scope(school=cast.school):
        other = problem(
            cast.school,
            cast.principal,
            question="What is the evidence that students talk about math?",
            look_fors=[("Students justify an answer to a partner", "oral")],
        )
        theirs = other.look_fors.get()
        mine = list(ready_problem.look_fors.all())
    client = login(cast.principal)
    url = reverse("cycles:new")
    # No problem chosen yet: every look-for, nothing hidden.
    shown, hidden = _look_for_list(client.get(url + "?kind=rounds").content.decode())
    assert theirs.text in shown and mine[0].text in shown and not hidden
    # The page asks again (htmx) with the problem chosen and one of the other
    # problem's look-fors ticked: the chosen problem's look-fors are the list,
    # the other one waits behind an open toggle, still ticked.
    response = client.get(
        url,
        {
            "kind": "rounds",
            "problem_of_practice": ready_problem.pk,
            "look_fors": [mine[1].pk, theirs.pk],
            "team": "",
        },
        headers={"HX-Request": "true"},
    )
    shown, hidden = _look_for_list(response.content.decode())
    assert all(lf.text in shown for lf in mine)
    assert theirs.text not in shown
    assert "Show other look-fors (1)" in hidden and hidden.startswith(" class")
    assert " open>" in hidden.split("</summary>")[0]
    assert f'value="{theirs.pk}" id="id_look_fors_' in hidden
    assert "checked" in hidden.split(f'value="{theirs.pk}"')[1].split(">")[0]
    ticked = shown.split(f'value="{mine[1].pk}"')[1].split(">")[0]
    assert "checked" in ticked
    assert "checked" not in shown.split(f'value="{mine[0].pk}"')[1].split(">")[0]


def test_rounds_without_a_team_get_a_debrief_time_the_page_shows(
    login, cast, teachers, ready_problem, visit_day
):
    client = login(cast.principal)
    form = client.get(reverse("cycles:new") + "?kind=rounds").content.decode()
    assert "without a team (or PLC time), the first time after the visits" in form
    response = client.post(
        reverse("cycles:new") + "?kind=rounds",
        _rounds_post(cast, teachers, ready_problem, visit_day),
        follow=True,
    )
    body = " ".join(response.content.decode().split())
    assert "is scheduled and booked" in body
    # Before: "The debrief: not booked yet", with nothing said on the form.
    assert "not booked yet" not in body
    assert "The debrief</a>: due Thu 3 Dec" in body and "(booked)" in body
    with scopes_disabled():
        cycle = Cycle.objects.get(title="Rounds from the page")
        assert cycle.team is None
        assert cycle.debriefs.get().booking.kind == "debrief"


def test_a_debrief_with_no_free_time_is_said_on_scheduling(
    login, cast, teachers, ready_problem, visit_day, monkeypatch
):
    from cycles.services import booking

    monkeypatch.setattr(booking, "_default_debrief_times", lambda cycle, visits: [])
    response = login(cast.principal).post(
        reverse("cycles:new") + "?kind=rounds",
        _rounds_post(cast, teachers, ready_problem, visit_day),
        follow=True,
    )
    body = " ".join(response.content.decode().split())
    assert "no time was free for its debrief: give it one under Edit the plan" in body
    assert "is scheduled and booked" not in body
