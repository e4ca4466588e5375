"""Reflections and goals pages: write, share, answer, change, delete, check in."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from observations.models import Goal, GoalCheckIn, Reflection
from observations.tests.factories import goal, reflection


def test_a_teacher_writes_a_private_reflection(cast, login):
    client = login(cast.teacher)
    form = client.get(reverse("observations:reflection_create")).content.decode()
    assert "What did I notice about my students this week?" in form
    response = client.post(
        reverse("observations:reflection_create"),
        {"body": "My quiet table spoke today", "visibility": "private"},
        follow=True,
    )
    assert "Your reflection is saved." in response.content.decode()
    with scopes_disabled():
        saved = Reflection.objects.get()
    assert saved.visibility == "private"


def test_a_colleague_cannot_open_a_private_reflection(cast, login):
    mine = reflection(cast.teacher, cast.school, body="Private words")
    client = login(cast.outsider)
    url = reverse("observations:reflection_detail", args=[mine.pk])
    # 404, as for another school's: the address does not confirm it exists.
    assert client.get(url).status_code == 404
    listing = client.get(reverse("observations:reflections")).content.decode()
    assert "Private words" not in listing


def test_a_coach_answers_a_reflection_shared_with_coaches(cast, login):
    shared = reflection(
        cast.teacher, cast.school, body="How do I start?", visibility="coaches"
    )
    client = login(cast.coach)
    assert (
        "How do I start?"
        in client.get(reverse("observations:reflections")).content.decode()
    )
    response = client.post(
        reverse("observations:reflection_reply", args=[shared.pk]),
        {"body": "Try a sentence stem"},
        follow=True,
    )
    assert "Try a sentence stem" in response.content.decode()


def test_the_author_makes_a_shared_reflection_private_again(cast, login):
    shared = reflection(
        cast.teacher, cast.school, body="Second thoughts", visibility="coaches"
    )
    login(cast.teacher).post(
        reverse("observations:reflection_edit", args=[shared.pk]),
        {"body": "Second thoughts", "visibility": "private"},
    )
    coach = login(cast.coach)
    url = reverse("observations:reflection_detail", args=[shared.pk])
    assert coach.get(url).status_code == 404


def test_the_author_deletes_a_reflection(cast, login):
    mine = reflection(cast.teacher, cast.school)
    login(cast.teacher).post(reverse("observations:reflection_delete", args=[mine.pk]))
    with scopes_disabled():
        assert not Reflection.objects.exists()


def test_sharing_with_a_cycle_group_without_a_cycle_shows_an_error(cast, login):
    response = login(cast.teacher).post(
        reverse("observations:reflection_create"),
        {"body": "For the group", "visibility": "cycle_group"},
    )
    assert "Choose a cycle to share this with its group." in response.content.decode()


def test_a_goal_is_set_with_a_follow_up_in_two_weeks(cast, login):
    client = login(cast.teacher)
    form = client.get(reverse("observations:goal_create")).content.decode()
    due = timezone.localdate() + datetime.timedelta(days=14)
    assert due.isoformat() in form
    client.post(
        reverse("observations:goal_create"),
        {"text": "Cold-call with wait time", "follow_up_on": due.isoformat()},
    )
    with scopes_disabled():
        assert Goal.objects.get().follow_up_on == due


def test_an_overdue_follow_up_shows_on_home_and_the_check_in_clears_it(cast, login):
    overdue = goal(
        cast.teacher,
        cast.school,
        text="Exit tickets daily",
        follow_up_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    client = login(cast.teacher)
    home = client.get(reverse("home")).content.decode()
    assert "Goals to check in on" in home
    assert "Follow-up overdue since" in home
    client.post(
        reverse("observations:goal_detail", args=[overdue.pk]),
        {"tried": "yes", "results_as_anticipated": "partly", "why": "Time ran out"},
    )
    with scopes_disabled():
        assert GoalCheckIn.objects.get().results_as_anticipated == "partly"
    assert "Goals to check in on" not in client.get(reverse("home")).content.decode()


def test_nobody_else_opens_a_goal(cast, login):
    mine = goal(cast.teacher, cast.school)
    response = login(cast.coach).get(
        reverse("observations:goal_detail", args=[mine.pk])
    )
    assert response.status_code == 404


def test_list_pages_keep_their_query_counts(cast, login, django_assert_max_num_queries):
    for number in range(10):
        reflection(cast.teacher, cast.school, body=f"Reflection {number}")
        goal(cast.teacher, cast.school, text=f"Goal {number}")
    client = login(cast.teacher)
    for name in ["observations:reflections", "observations:goals"]:
        with django_assert_max_num_queries(10):
            assert client.get(reverse(name)).status_code == 200


def test_a_reflection_about_a_visit_keeps_the_visit(cast, visit, login):
    url = reverse("observations:reflection_create") + f"?visit={visit.pk}"
    client = login(cast.teacher)
    assert "About the visit on" in client.get(url).content.decode()
    client.post(
        url,
        {"body": "After the visit", "visibility": "private", "cycle": visit.cycle_id},
    )
    with scopes_disabled():
        saved = Reflection.objects.get()
    assert (saved.visit_id, saved.cycle_id) == (visit.pk, visit.cycle_id)


def test_someone_elses_visit_is_not_attached(cast, visit, login):
    url = reverse("observations:reflection_create") + f"?visit={visit.pk}"
    login(cast.outsider).post(url, {"body": "Hmm", "visibility": "private"})
    with scopes_disabled():
        assert Reflection.objects.get().visit_id is None


def test_long_lists_come_in_pages(cast, host, login, visit):
    from observations.tests.factories import evidence, reflection

    for number in range(55):
        reflection(cast.teacher, cast.school, body=f"Reflection number {number:02}")
        evidence(visit, cast.teacher, f"Entry number {number:02}")
    client = login(cast.teacher)
    first = client.get(reverse("observations:reflections")).content.decode()
    assert "Page 1 of 2" in first
    assert "Reflection number 54" in first and "Reflection number 04" not in first
    second = client.get(reverse("observations:reflections") + "?page=2")
    assert "Reflection number 04" in second.content.decode()
    room = login(host).get(reverse("observations:my_room") + "?page=2")
    body = room.content.decode()
    assert "Page 2 of 2" in body and "Entry number 00" in body
    assert "Entry number 54" not in body


def test_a_reflection_about_a_cycle_offers_its_types_prompts(cast, host, login):
    from cycles.kinds import spec_for
    from cycles.models import Cycle
    from observations.tests.factories import cycle_with_visit

    visit = cycle_with_visit(
        cast.school, host=host, observers=[cast.teacher], kind=Cycle.Kind.LAB
    )
    url = reverse("observations:reflection_create") + f"?cycle={visit.cycle_id}"
    body = login(cast.teacher).get(url).content.decode()
    for prompt in spec_for(Cycle.Kind.LAB).reflection_prompts:
        assert prompt in body
