"""Problems of practice and look-fors pages."""

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from cycles.models import LookFor, ProblemOfPractice
from cycles.tests.factories import problem
from cycles.tests.test_services import rounds

pytestmark = pytest.mark.django_db


def test_coach_writes_a_draft_problem_with_look_fors(login, cast):
    client = login(cast.coach)
    page = client.get(reverse("cycles:problem_new")).content.decode()
    assert "Directly observable" in page
    assert "Visitors could see or hear evidence" in page  # the one-line hint
    response = client.post(
        reverse("cycles:problem_new"),
        {
            "question": "What is the evidence that students reason aloud?",
            "checks": ["check_observable", "check_actionable"],
            "look_for_1": "Students justify answers",
            "kind_1": "oral",
            "look_for_2": "Students sketch models",
            "kind_2": "artifact",
            "look_for_3": "",
            "kind_3": "oral",
        },
        follow=True,
    )
    assert "Saved as a draft" in response.content.decode()
    with scopes_disabled():
        saved = ProblemOfPractice.objects.get()
        assert not saved.passes_all_checks
        assert [lf.text for lf in saved.look_fors.order_by("position")] == [
            "Students justify answers",
            "Students sketch models",
        ]


def test_problem_needs_a_question(login, cast):
    response = login(cast.coach).post(
        reverse("cycles:problem_new"),
        {"question": "", "kind_1": "oral", "kind_2": "oral", "kind_3": "oral"},
    )
    assert "This field is required" in response.content.decode()
    with scopes_disabled():
        assert not ProblemOfPractice.objects.exists()


def test_editing_makes_a_new_version(login, cast, ready_problem):
    client = login(cast.principal)
    response = client.post(
        reverse("cycles:problem_detail", args=[ready_problem.pk]),
        {"question": "A sharper question?", "checks": ["check_observable"]},
        follow=True,
    )
    assert "Saved as version 2" in response.content.decode()


def test_used_look_for_is_archived_from_the_page(
    login, cast, teachers, ready_problem, visit_day
):
    with scope(school=cast.school):
        rounds(cast, teachers, ready_problem, visit_day)
        used = ready_problem.look_fors.first()
    response = login(cast.coach).post(
        reverse("cycles:look_for_remove", args=[used.pk]), follow=True
    )
    assert "archived rather than deleted" in response.content.decode()
    with scopes_disabled():
        assert LookFor.objects.get(pk=used.pk).is_archived


def test_library_look_for_is_added_and_listed(login, cast):
    client = login(cast.coach)
    client.post(
        reverse("cycles:look_for_add"), {"text": "Students ask why", "kind": "oral"}
    )
    assert (
        "Students ask why" in client.get(reverse("cycles:look_fors")).content.decode()
    )


def test_other_schools_problem_is_404(login, cast):
    with scope(school=cast.school):
        ours = problem(cast.school, cast.principal)
    response = login(cast.other_principal).get(
        reverse("cycles:problem_detail", args=[ours.pk])
    )
    assert response.status_code == 404


def test_swap_cap_is_a_school_setting(login, cast):
    client = login(cast.principal)
    client.post(
        reverse("cycles:settings"),
        {
            "swap_days_cap_per_teacher_per_year": 3,
            "swap_rotations_target_per_semester": 2,
            "lab_follow_up_days": 14,
        },
    )
    page = client.get(reverse("cycles:new") + "?kind=swap").content.decode()
    assert "Cap: 3 swap days per teacher per year" in page
