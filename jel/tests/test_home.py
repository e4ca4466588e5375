"""Each role's home page says what is next for that person."""

import pytest
from django.urls import reverse

from jel.tests.factories import MembershipFactory


@pytest.mark.parametrize(
    ("member", "expected"),
    [
        ("principal", "Write a problem of practice"),
        ("coach", "Offer to facilitate the next cycle"),
        ("teacher", "You can write a private reflection at any time"),
        ("district", "District views compare schools in aggregate"),
    ],
)
def test_home_shows_next_steps_for_the_role(login, cast, member, expected):
    response = login(getattr(cast, member)).get(reverse("home"))
    assert response.status_code == 200
    assert expected in response.content.decode()


def test_member_of_two_schools_can_switch_and_sees_the_other_school(login, cast):
    MembershipFactory(user=cast.coach, school=cast.other_school, role="teacher")
    client = login(cast.coach)
    assert "Coach" in client.get(reverse("home")).content.decode()
    response = client.post(
        reverse("switch_school"), {"school": cast.other_school.pk}, follow=True
    )
    page = response.content.decode()
    assert f"You are now working in {cast.other_school.name}" in page
    assert f"{cast.other_school.name} · Teacher" in page


def test_switching_to_a_school_you_do_not_belong_to_is_refused(login, cast):
    client = login(cast.teacher)
    response = client.post(
        reverse("switch_school"), {"school": cast.other_school.pk}, follow=True
    )
    page = response.content.decode()
    assert "You are not a member of that school" in page
    assert cast.other_school.name not in page


def test_profile_saves_experience_and_grades(login, cast):
    client = login(cast.teacher)
    response = client.post(
        reverse("profile"),
        {"years_experience": "4", "department": "Science", "grade_levels": ["6", "8"]},
        follow=True,
    )
    assert "Your profile is saved" in response.content.decode()
    from django_scopes import scopes_disabled

    with scopes_disabled():
        profile = cast.teacher.memberships.get().profile
    assert (profile.years_experience, profile.department) == (4, "Science")
    assert profile.grade_levels == [6, 8]
    assert profile.is_new_teacher is False


def test_profile_rejects_a_grade_the_school_does_not_teach(login, cast):
    client = login(cast.teacher)
    response = client.post(
        reverse("profile"),
        {"years_experience": "4", "department": "Science", "grade_levels": ["11"]},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
