"""Sign-in limits: five failed sign-ins for one account, or from one address,
within 30 minutes stop JEL taking passwords there for 30 minutes; the page says
until when, and a password reset by e-mail lifts an account's lock. The admin
sign-in counts the same."""

import datetime as dt
import re

import time_machine
from django.core import mail
from django.urls import reverse

from jel.models import User
from jel.tests.clock import NEW_YORK
from jel.tests.factories import TEST_PASSWORD

# 08:00 New York time: the lock set by failures now lasts until 08:30.
NOW = dt.datetime(2026, 11, 30, 8, 0, tzinfo=NEW_YORK)
LOCKED = "Too many failed sign-ins"


def _sign_in(client, email, password, *, path=None, ip="203.0.113.7"):
    return client.post(
        path or reverse("login"),
        {"username": email, "password": password},
        REMOTE_ADDR=ip,
    )


def _fail(client, email, times, **kwargs):
    for _ in range(times):
        _sign_in(client, email, "not the password", **kwargs)


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@time_machine.travel(NOW, tick=False)
def test_four_failures_then_the_right_password_signs_in(client, cast):
    _fail(client, cast.teacher.email, 4)
    response = _sign_in(client, cast.teacher.email, TEST_PASSWORD)
    assert response.status_code == 302
    assert _signed_in(client)


@time_machine.travel(NOW, tick=False)
def test_after_five_failures_the_right_password_is_refused_with_the_reason(
    client, cast
):
    _fail(client, cast.teacher.email, 5)
    response = _sign_in(client, cast.teacher.email, TEST_PASSWORD)
    page = response.content.decode()
    assert response.status_code == 429
    assert not _signed_in(client)
    assert LOCKED in page
    assert "Try again after 08:30" in page
    assert f'href="{reverse("password_reset")}"' in page
    assert "reset your password by e-mail" in page


@time_machine.travel(NOW, tick=False)
def test_the_lock_counts_the_account_however_its_address_is_written(client, cast):
    for email in [cast.teacher.email.upper(), cast.teacher.email] * 2 + [
        f"  {cast.teacher.email.title()}"
    ]:
        _sign_in(client, email, "not the password", ip="203.0.113.8")
    # From another address too: the account itself is locked.
    response = _sign_in(client, cast.teacher.email, TEST_PASSWORD, ip="198.51.100.9")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_five_failures_from_one_address_lock_that_address_for_every_account(
    client, cast
):
    for user in [cast.principal, cast.coach, cast.outsider, cast.district]:
        _sign_in(client, user.email, "not the password")
    _sign_in(client, "nobody@example.org", "guess")
    response = _sign_in(client, cast.teacher.email, TEST_PASSWORD)
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert not _signed_in(client)
    # The teacher's own account is not locked: from another address it works.
    other = _sign_in(client, cast.teacher.email, TEST_PASSWORD, ip="198.51.100.9")
    assert other.status_code == 302
    assert _signed_in(client)


@time_machine.travel(NOW, tick=False)
def test_the_admin_sign_in_is_limited_too(client, db):
    User.objects.create_superuser("root@example.org", TEST_PASSWORD)
    admin_login = reverse("admin:login")
    _fail(client, "root@example.org", 5, path=admin_login)
    response = _sign_in(client, "root@example.org", TEST_PASSWORD, path=admin_login)
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert not _signed_in(client)
    # And failures on the admin's sign-in lock the app's sign-in for that account.
    app = _sign_in(client, "root@example.org", TEST_PASSWORD, ip="198.51.100.9")
    assert app.status_code == 429


@time_machine.travel(NOW, tick=False)
def test_a_password_reset_by_email_lifts_the_accounts_lock(client, cast, settings):
    settings.JEL_BASE_URL = "http://127.0.0.1:8000"
    _fail(client, cast.teacher.email, 5, ip="198.51.100.20")
    assert _sign_in(client, cast.teacher.email, TEST_PASSWORD).status_code == 429

    client.post(reverse("password_reset"), {"email": cast.teacher.email})
    link = re.search(r"http://127\.0\.0\.1:8000(/\S+/)", mail.outbox[-1].body)
    form_page = client.get(link.group(1), follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {
            "new_password1": "A fresh passphrase 42",
            "new_password2": "A fresh passphrase 42",
        },
    )
    response = _sign_in(client, cast.teacher.email, "A fresh passphrase 42")
    assert response.status_code == 302
    assert _signed_in(client)


def test_after_thirty_minutes_the_right_password_works_again(client, cast):
    with time_machine.travel(NOW, tick=False):
        _fail(client, cast.teacher.email, 5)
    with time_machine.travel(NOW + dt.timedelta(minutes=29), tick=False):
        assert _sign_in(client, cast.teacher.email, TEST_PASSWORD).status_code == 429
    with time_machine.travel(NOW + dt.timedelta(minutes=30, seconds=1), tick=False):
        response = _sign_in(client, cast.teacher.email, TEST_PASSWORD)
        assert response.status_code == 302
        assert _signed_in(client)


def test_tries_while_locked_do_not_move_the_time_shown(client, cast):
    with time_machine.travel(NOW, tick=False):
        _fail(client, cast.teacher.email, 5)
    with time_machine.travel(NOW + dt.timedelta(minutes=20), tick=False):
        _fail(client, cast.teacher.email, 3)
        page = _sign_in(client, cast.teacher.email, TEST_PASSWORD).content.decode()
        assert "Try again after 08:30" in page
