"""A double submit of a new reflection, goal or check-in makes one row: the form
carries a one-time token drawn with it, and the second submit lands on the row
the first one made."""

import re

from django.urls import reverse
from django_scopes import scopes_disabled

from observations.models import Goal, GoalCheckIn, Reflection
from observations.tests.factories import goal

TOKEN = re.compile(r'name="creation_token" value="([0-9a-f-]{36})"')


def _token(client, url) -> str:
    return TOKEN.search(client.get(url).content.decode()).group(1)


def test_a_reflection_sent_twice_is_saved_once(cast, login):
    client = login(cast.teacher)
    url = reverse("observations:reflection_create")
    data = {
        "body": "The quiet table spoke",
        "visibility": "coaches",
        "creation_token": _token(client, url),
    }
    first, second = client.post(url, data), client.post(url, data)
    with scopes_disabled():
        saved = Reflection.objects.get()
    assert first.status_code == second.status_code == 302
    assert (
        first.url
        == second.url
        == reverse("observations:reflection_detail", args=[saved.pk])
    )


def test_two_forms_make_two_reflections(cast, login):
    client = login(cast.teacher)
    url = reverse("observations:reflection_create")
    for body in ("Monday", "Tuesday"):
        client.post(
            url,
            {
                "body": body,
                "visibility": "private",
                "creation_token": _token(client, url),
            },
        )
    with scopes_disabled():
        assert Reflection.objects.count() == 2


def test_each_new_form_draws_a_new_token(cast, login):
    client = login(cast.teacher)
    url = reverse("observations:goal_create")
    assert _token(client, url) != _token(client, url)


def test_someone_elses_token_does_not_land_on_their_row(cast, login):
    url = reverse("observations:reflection_create")
    teacher = login(cast.teacher)
    token = _token(teacher, url)
    teacher.post(
        url, {"body": "Mine", "visibility": "private", "creation_token": token}
    )
    outsider = login(cast.outsider)
    answer = outsider.post(
        url, {"body": "Theirs", "visibility": "private", "creation_token": token}
    )
    with scopes_disabled():
        theirs = Reflection.objects.get(author=cast.outsider)
    assert theirs.body == "Theirs"
    assert answer.url == reverse("observations:reflection_detail", args=[theirs.pk])


def test_a_goal_sent_twice_is_set_once(cast, login):
    client = login(cast.teacher)
    url = reverse("observations:goal_create")
    data = {
        "text": "Wait five seconds after a question",
        "follow_up_on": "2026-12-14",
        "creation_token": _token(client, url),
    }
    answers = [client.post(url, data).status_code for _ in range(2)]
    assert answers == [302, 302]
    with scopes_disabled():
        assert Goal.objects.filter(owner=cast.teacher).count() == 1


def test_a_check_in_sent_twice_is_recorded_once(cast, login):
    mine = goal(cast.teacher, cast.school)
    client = login(cast.teacher)
    url = reverse("observations:goal_detail", args=[mine.pk])
    page = client.get(url).content.decode()
    data = {
        "tried": "yes",
        "results_as_anticipated": "yes",
        "version": re.search(r'name="version" value="(\d+)"', page).group(1),
        "creation_token": TOKEN.search(page).group(1),
    }
    answers = [client.post(url, data).status_code for _ in range(2)]
    # The second send is not told "someone saved this": it was their own save.
    assert answers == [302, 302]
    with scopes_disabled():
        assert GoalCheckIn.objects.filter(goal=mine).count() == 1
