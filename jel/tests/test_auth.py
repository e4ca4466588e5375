"""Signing in and out, resetting a password, and sessions that expire."""

import re
from datetime import timedelta

import time_machine
from django.core import mail
from django.urls import reverse

from jel.tests.factories import TEST_PASSWORD


def test_sign_in_with_school_email_lands_on_home(client, cast):
    response = client.post(
        reverse("login"),
        {"username": cast.teacher.email.upper(), "password": TEST_PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Good to see you, Terry" in response.content.decode()


def test_sign_in_failure_says_what_went_wrong_and_signs_nobody_in(client, cast):
    response = client.post(
        reverse("login"), {"username": cast.teacher.email, "password": "wrong"}
    )
    assert response.status_code == 200
    assert (
        "That e-mail and password do not match an account" in response.content.decode()
    )
    assert "_auth_user_id" not in client.session


def test_sign_out_ends_the_session(login, cast):
    client = login(cast.teacher)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_password_reset_sends_a_link_that_sets_a_new_password(client, cast, settings):
    settings.JEL_BASE_URL = "http://127.0.0.1:8000"
    response = client.post(reverse("password_reset"), {"email": cast.teacher.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Reset your JEL password"
    assert message.to == [cast.teacher.email]
    link = re.search(
        r"http://127\.0\.0\.1:8000(/accounts/password-reset/\S+/)", message.body
    )
    assert link, message.body
    form_page = client.get(link.group(1), follow=True)
    assert "Choose a new password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {
            "new_password1": "A fresh passphrase 42",
            "new_password2": "A fresh passphrase 42",
        },
        follow=True,
    )
    assert "Your password is changed" in done.content.decode()
    assert client.login(email=cast.teacher.email, password="A fresh passphrase 42")


def test_password_reset_link_is_at_jel_base_url_not_the_askers_host(
    client, cast, settings
):
    settings.JEL_BASE_URL = "https://jel.lincoln.example.org"
    settings.ALLOWED_HOSTS = ["*"]
    client.post(
        reverse("password_reset"),
        {"email": cast.teacher.email},
        headers={"host": "attacker.example.net"},
    )
    (message,) = mail.outbox
    html = message.alternatives[0][0]
    for text in (message.body, html):
        assert "https://jel.lincoln.example.org/accounts/password-reset/" in text
        assert "attacker.example.net" not in text
        assert "testserver" not in text


def test_password_reset_for_unknown_address_sends_nothing(client, cast):
    client.post(reverse("password_reset"), {"email": "nobody@nowhere.example.org"})
    assert mail.outbox == []


def test_session_ends_after_thirty_idle_minutes(login, cast):
    with time_machine.travel("2026-11-25 09:00 +0000", tick=False) as clock:
        client = login(cast.teacher)
        assert client.get(reverse("home")).status_code == 200
        clock.shift(timedelta(minutes=29))
        assert client.get(reverse("home")).status_code == 200
        clock.shift(timedelta(minutes=31))
        response = client.get(reverse("home"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        page = client.get(response["Location"])
        assert "Your session expired" in page.content.decode()


def test_session_ends_twelve_hours_after_sign_in_even_when_active(login, cast):
    with time_machine.travel("2026-11-25 07:00 +0000", tick=False) as clock:
        client = login(cast.teacher)
        client.get(reverse("home"))
        for _ in range(47):  # a request every 15 minutes for 11h45m
            clock.shift(timedelta(minutes=15))
            assert client.get(reverse("home")).status_code == 200
        clock.shift(timedelta(minutes=16))
        assert client.get(reverse("home")).status_code == 302


def test_user_without_a_school_is_told_what_to_do(client, cast):
    from jel.tests.factories import UserFactory

    lonely = UserFactory()
    client.login(email=lonely.email, password=TEST_PASSWORD)
    response = client.get(reverse("home"), follow=True)
    assert response.status_code == 403
    assert "You are not a member of any school yet" in response.content.decode()
