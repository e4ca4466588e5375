"""A double submit of the planner makes one cycle: the form carries a one-time
token drawn with the blank page, and a second submit of it lands on the first's
cycle."""

import re
import uuid

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from cycles import services
from cycles.models import Cycle
from cycles.tests.test_views_cycle import _rounds_post

pytestmark = pytest.mark.django_db


def token_on(page) -> str:
    found = re.search(
        r'name="creation_token" value="([0-9a-f-]{36})"', page.content.decode()
    )
    assert found, "the planner carries no one-time token"
    return found.group(1)


def cycles_titled(title):
    with scopes_disabled():
        return list(Cycle.objects.filter(title=title))


def test_the_planner_draws_a_new_token_each_time_it_is_opened(login, cast):
    client = login(cast.principal)
    first = token_on(client.get(reverse("cycles:new") + "?kind=rounds"))
    second = token_on(client.get(reverse("cycles:new") + "?kind=rounds"))
    assert first != second


def test_a_double_submit_makes_one_cycle_and_the_second_lands_on_it(
    login, cast, teachers, ready_problem, visit_day
):
    client = login(cast.principal)
    url = reverse("cycles:new") + "?kind=rounds"
    token = token_on(client.get(url))
    data = _rounds_post(cast, teachers, ready_problem, visit_day, creation_token=token)
    first = client.post(url, data)
    second = client.post(url, data, follow=True)

    [cycle] = cycles_titled("Rounds from the page")
    assert first.status_code == 302
    assert first["Location"] == reverse("cycles:detail", args=[cycle.pk])
    assert second.redirect_chain[-1][0] == reverse("cycles:detail", args=[cycle.pk])
    assert "“Rounds from the page” was already saved: here it is." in (
        second.content.decode()
    )


def test_two_forms_opened_separately_make_two_cycles(
    login, cast, teachers, ready_problem, visit_day
):
    client = login(cast.principal)
    url = reverse("cycles:new") + "?kind=rounds"
    for _ in range(2):
        token = token_on(client.get(url))
        data = _rounds_post(
            cast, teachers, ready_problem, visit_day, creation_token=token
        )
        data.pop("schedule")  # two drafts: the second would clash with the first
        assert client.post(url, data).status_code == 302
    assert len(cycles_titled("Rounds from the page")) == 2


def test_a_damaged_token_is_a_message_not_a_server_error(
    login, cast, teachers, ready_problem, visit_day
):
    data = _rounds_post(
        cast, teachers, ready_problem, visit_day, creation_token="not-a-token"
    )
    response = login(cast.principal).post(reverse("cycles:new") + "?kind=rounds", data)
    assert response.status_code == 200
    assert "Reload the page: this form is damaged." in response.content.decode()
    assert cycles_titled("Rounds from the page") == []


def test_the_service_returns_the_cycle_a_token_already_made(scoped):
    token = uuid.uuid4()
    plan = {
        "school": scoped.school,
        "by": scoped.principal,
        "kind": "lab",
        "title": "One lab",
        "creation_token": token,
    }
    first = services.cycle_create(**plan)
    second = services.cycle_create(**plan)
    assert first.pk == second.pk
    assert len(cycles_titled("One lab")) == 1


def test_another_schools_token_is_its_own(cast):
    token = uuid.uuid4()
    with scope(school=cast.other_school):
        theirs = services.cycle_create(
            school=cast.other_school,
            by=cast.other_principal,
            kind="lab",
            title="Theirs",
            creation_token=token,
        )
    with scope(school=cast.school):
        ours = services.cycle_create(
            school=cast.school,
            by=cast.principal,
            kind="lab",
            title="Ours",
            creation_token=token,
        )
    assert ours.pk != theirs.pk
    assert ours.title == "Ours"
