"""seed_demo builds the demo school once; running it again changes nothing."""

import pytest
from django.apps import apps
from django.core.management import call_command
from django_scopes import scopes_disabled

from jel.demo import DEMO_PASSWORD
from jel.models import Membership, Role, School, User

LOCAL_APPS = ("jel", "scheduling", "cycles", "observations")


def _snapshot():
    """Every row of every JEL model, as plain values."""
    rows = {}
    with scopes_disabled():
        for model in apps.get_models():
            if model._meta.app_label not in LOCAL_APPS:
                continue
            manager = model._base_manager
            values = list(manager.order_by("pk").values())
            for row in values:
                row.pop("last_login", None)
            rows[model._meta.label] = values
    return rows


@pytest.mark.django_db
def test_seed_demo_builds_a_middle_school_with_about_forty_staff(capsys):
    call_command("seed_demo")
    school = School.objects.get(name="Jefferson Middle School")
    assert school.grade_levels == [6, 7, 8]
    roles = list(
        Membership.objects.filter(school=school).values_list("role", flat=True)
    )
    assert 36 <= len(roles) <= 45
    assert roles.count(Role.PRINCIPAL) == 2  # principal and assistant principal
    assert roles.count(Role.COACH) == 2
    with scopes_disabled():
        new = [
            m
            for m in Membership.objects.filter(role=Role.TEACHER)
            if m.profile.is_new_teacher
        ]
    assert len(new) >= 5
    out = capsys.readouterr().out
    assert "principal@jefferson.example.org" in out
    assert DEMO_PASSWORD in out
    principal = User.objects.get(email="principal@jefferson.example.org")
    assert principal.check_password(DEMO_PASSWORD)


@pytest.mark.django_db
def test_seed_demo_twice_changes_nothing():
    call_command("seed_demo")
    first = _snapshot()
    call_command("seed_demo")
    assert _snapshot() == first
