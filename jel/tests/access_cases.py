from django.urls import reverse

from jel.tests.access import AccessCase

PUBLIC = {
    "login": "signing in needs no account",
    "logout": "signing out is harmless",
    "password_reset": "asking for a reset link needs no account",
    "password_reset_done": "a static confirmation page",
    "password_reset_confirm": "guarded by the one-time token in the link",
    "password_reset_complete": "a static confirmation page",
    "healthz": "the load balancer's probe; shows no school data",
    "no_school": "for signed-in users who belong to no school; shows no school data",
    "pwa_manifest": "the installable app's manifest: the same for everyone",
    "pwa_service_worker": "the installable app's worker: the same for everyone; "
    "what it keeps comes from observations:offline_pages",
    "pwa_offline": "the page shown when a page was not kept offline; no school data",
}

CASES = [
    AccessCase(
        route="api_schema",
        url=lambda cast: reverse("api_schema"),
        allowed="teacher",
        every_role_reason="the API's description is the same for every member",
        record=False,
        marker=lambda cast: cast.school.name,
    ),
    AccessCase(
        route="home",
        url=lambda cast: reverse("home"),
        allowed="teacher",
        every_role_reason="every member has a home page",
        record=False,
        marker=lambda cast: cast.school.name,
    ),
    AccessCase(
        route="profile",
        url=lambda cast: reverse("profile"),
        allowed="teacher",
        every_role_reason="everyone edits their own profile",
        record=False,
        marker=lambda cast: cast.school.name,
    ),
    AccessCase(
        route="switch_school",
        url=lambda cast: reverse("switch_school"),
        allowed="teacher",
        every_role_reason="anyone may switch between their own schools",
        record=False,
        marker=lambda cast: cast.school.name,
        redirect="home",
        method="post",
        data=lambda cast: {"school": cast.school.pk},
    ),
    AccessCase(
        route="api_me",
        url=lambda cast: reverse("api_me"),
        allowed="teacher",
        every_role_reason="everyone may read who they are",
        record=False,
        marker=lambda cast: cast.school.name,
    ),
]

CASES += [
    AccessCase(
        route="notifications",
        url=lambda cast: reverse("notifications"),
        allowed="teacher",
        every_role_reason="everyone reads their own notices",
        record=False,
        marker=lambda cast: cast.school.name,
    ),
    AccessCase(
        route="notifications_read_all",
        url=lambda cast: reverse("notifications_read_all"),
        allowed="teacher",
        every_role_reason="everyone marks their own notices read",
        record=False,
        marker=lambda cast: cast.school.name,
        redirect="notifications",
        method="post",
    ),
    AccessCase(
        route="notification_settings",
        url=lambda cast: reverse("notification_settings"),
        allowed="teacher",
        every_role_reason="everyone sets their own e-mail choices",
        record=False,
        marker=lambda cast: cast.school.name,
    ),
    AccessCase(
        route="notification_open",
        url=lambda cast: reverse("notification_open", args=[_reminder(cast).pk]),
        allowed="teacher",
        every_role_reason="any role opens its own notices; another person's is 404",
        unrelated="outsider",
        redirect="home",  # the notice's link
        method="post",
    ),
]


def _reminder(cast):
    from datetime import timedelta

    from django.utils import timezone
    from django_scopes import scopes_disabled

    from jel.models import Reminder

    due = timezone.now() - timedelta(minutes=5)
    with scopes_disabled():
        return Reminder.objects.create(
            school=cast.school,
            recipient=cast.teacher,
            kind="visit_soon",
            about="test:1",
            due_at=due,
            send_after=due,
            subject="Visit soon",
            body="Room 12 at 09:00",
            link="/",
        )


CASES += [
    AccessCase(
        route="reminder_timings",
        url=lambda cast: reverse("reminder_timings"),
        allowed="principal",
        wrong_role="coach",
        record=False,
        marker=lambda cast: cast.school.name,
    ),
]
