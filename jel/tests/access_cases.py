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
    "api_schema": "the OpenAPI description of the API; shows no school data",
    "no_school": "for signed-in users who belong to no school; shows no school data",
}

CASES = [
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
