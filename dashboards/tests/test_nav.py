"""The navigation links to the dashboards, per role."""

from django.urls import reverse


def test_coach_and_principal_see_the_dashboard_link(cast, login, client):
    for person in (cast.coach, cast.principal):
        page = login(person).get(reverse("home")).content.decode()
        assert f'href="{reverse("dashboards:trends")}"' in page
        assert f'href="{reverse("dashboards:my_learning")}"' in page
        client.logout()


def test_district_sees_the_district_dashboard_link(cast, login):
    page = login(cast.district).get(reverse("home")).content.decode()
    assert f'href="{reverse("dashboards:district")}"' in page
    assert f'href="{reverse("dashboards:trends")}"' not in page


def test_teacher_sees_only_my_learning(cast, login):
    page = login(cast.teacher).get(reverse("home")).content.decode()
    assert f'href="{reverse("dashboards:my_learning")}"' in page
    assert f'href="{reverse("dashboards:trends")}"' not in page
