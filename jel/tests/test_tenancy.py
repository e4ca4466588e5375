"""One tenancy mechanism: school-owned rows cannot be read without a school scope."""

import pytest
from django.urls import reverse
from django_scopes import ScopeError, scope

from jel.models import StaffProfile


def test_unscoped_query_of_school_owned_rows_fails_loudly(cast):
    with pytest.raises(ScopeError):
        list(StaffProfile.objects.all())


def test_scoped_query_sees_only_that_school(cast):
    with scope(school=cast.other_school):
        people = {
            p.membership.user
            for p in StaffProfile.objects.select_related("membership__user")
        }
    assert people == {cast.other_principal, cast.other_teacher}


def test_admin_is_for_superusers_only(login, cast, django_user_model):
    cast.principal.is_staff = True
    cast.principal.save()
    response = login(cast.principal).get(reverse("admin:index"))
    assert response.status_code == 302  # sent to the admin's own sign-in
    root = django_user_model.objects.create_superuser("root@example.org", "pw-root-123")
    from django.test import Client

    admin_client = Client()
    admin_client.force_login(root)
    assert admin_client.get(reverse("admin:index")).status_code == 200
    page = admin_client.get(reverse("admin:jel_staffprofile_changelist"))
    assert page.status_code == 200
