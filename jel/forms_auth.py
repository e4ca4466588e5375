import logging
import uuid
from urllib.parse import urlsplit

from axes.backends import AxesStandaloneBackend
from axes.utils import reset as axes_reset
from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone

from jel.services import mail_headers

log = logging.getLogger("django.contrib.auth")


def sign_in_username(request, credentials=None) -> str | None:
    """The account a sign-in names, as the sign-in limit counts it: one account
    however its e-mail address is capitalised."""
    if credentials:
        value = credentials.get("username")
    else:
        value = getattr(request, "POST", {}).get("username")
    # Its column holds 255 characters; no account's address is longer.
    return value.strip().lower()[:255] if isinstance(value, str) else value


class SignInLimitBackend(AxesStandaloneBackend):
    """django-axes' check, first in AUTHENTICATION_BACKENDS: a locked-out account
    or address is refused before any password is tried.

    Every sign-in through a page (JEL's and the admin's) passes the request. A
    call without one (the test client's login(), a shell) has no address to
    count, so it is left to the next backend instead of failing: axes would
    raise AxesBackendRequestParameterRequired (jazzband/django-axes#478).
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


class SetPasswordForm(auth_forms.SetPasswordForm):
    """Choosing a new password from the e-mailed link also lifts the account's
    sign-in lock: whoever holds the mailbox is the account's owner."""

    def save(self, commit=True):
        user = super().save(commit)
        axes_reset(username=sign_in_username(None, {"username": user.email}))
        return user


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label="School e-mail",
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": (
            "That e-mail and password do not match an account. "
            "Check both and try again, or reset your password."
        ),
    }


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form, its e-mail with JEL's Message-ID domain and a dated zone.

    Not through the outbox: the link is a credential, kept out of the database,
    and a person may belong to no school. The link is at JEL_BASE_URL, as every
    other e-mail's, never at the Host header of whoever asked (a forged Host
    would otherwise send the token to the forger's site).
    """

    def save(self, *args, **kwargs):
        base = urlsplit(settings.JEL_BASE_URL)
        kwargs["domain_override"] = base.netloc + base.path.rstrip("/")
        kwargs["use_https"] = base.scheme == "https"
        return super().save(*args, **kwargs)

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        message = EmailMultiAlternatives(
            subject,
            render_to_string(email_template_name, context),
            from_email,
            [to_email],
            headers=mail_headers(
                message_id=f"password-reset.{uuid.uuid4().hex}",
                at=timezone.localtime(),
            ),
        )
        if html_email_template_name is not None:
            html = render_to_string(html_email_template_name, context)
            message.attach_alternative(html, "text/html")
        try:
            message.send()
        except Exception:
            # As Django's: a failure must not tell the asker whether the account exists.
            log.exception(
                "Failed to send password reset email to %s", context["user"].pk
            )
