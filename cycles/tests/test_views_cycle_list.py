"""The cycle list's filters (django-filter) and pages (Django's Paginator)."""

import pytest
from django.urls import reverse
from django_scopes import scope

from cycles.models import Cycle
from cycles.tests.factories import CycleFactory

pytestmark = pytest.mark.django_db


def _titles(response) -> str:
    return response.content.decode()


def test_the_list_filters_by_type_and_ignores_an_unknown_one(login, cast):
    with scope(school=cast.school):
        CycleFactory(school=cast.school, kind=Cycle.Kind.LAB, title="Lab one")
        CycleFactory(school=cast.school, kind=Cycle.Kind.WALK, title="Walk one")
    client = login(cast.principal)
    labs = _titles(client.get(reverse("cycles:list"), {"kind": "lab"}))
    assert "Lab one" in labs and "Walk one" not in labs
    everything = _titles(client.get(reverse("cycles:list"), {"kind": "bogus"}))
    assert "Lab one" in everything and "Walk one" in everything


def test_a_long_list_is_paged_and_the_filter_kept_on_the_next_page(login, cast):
    with scope(school=cast.school):
        for number in range(55):
            CycleFactory(
                school=cast.school, kind=Cycle.Kind.LAB, title=f"Lab no. {number}"
            )
    client = login(cast.principal)
    first = client.get(reverse("cycles:list"), {"kind": "lab"})
    body = _titles(first)
    assert body.count("Lab no. ") == 50
    assert "Page 1 of 2" in body
    assert "kind=lab&amp;page=2" in body
    second = _titles(client.get(reverse("cycles:list"), {"kind": "lab", "page": 2}))
    assert second.count("Lab no. ") == 5
