from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from jel import api, pwa, views
from jel.forms_auth import PasswordResetForm, SetPasswordForm, SignInForm

auth_patterns = [
    path(
        "sign-in/",
        auth_views.LoginView.as_view(
            authentication_form=SignInForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            form_class=PasswordResetForm,
            subject_template_name="emails/password_reset_subject.txt",
            email_template_name="emails/password_reset.txt",
            html_email_template_name="emails/password_reset.html",
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=SetPasswordForm),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("no-school/", views.no_school, name="no_school"),
    path("switch-school/", views.switch_school, name="switch_school"),
    path("profile/", views.profile, name="profile"),
    path("notifications/", views.notifications, name="notifications"),
    path(
        "notifications/read-all/",
        views.notifications_mark_all_read,
        name="notifications_read_all",
    ),
    path(
        "notifications/settings/",
        views.notification_settings,
        name="notification_settings",
    ),
    path(
        "notifications/<id:pk>/open/",
        views.notification_open,
        name="notification_open",
    ),
    path("settings/reminders/", views.reminder_timings, name="reminder_timings"),
    path("healthz", views.healthz, name="healthz"),
    # The installable app (jel/pwa.py): served from the root, so the worker's
    # scope is the whole site.
    path("manifest.webmanifest", pwa.manifest, name="pwa_manifest"),
    path("sw.js", pwa.service_worker, name="pwa_service_worker"),
    path("offline/", pwa.offline, name="pwa_offline"),
    path("accounts/", include(auth_patterns)),
    path("admin/", admin.site.urls),
    path("api/v1/me/", api.MeView.as_view(), name="api_me"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("", include("scheduling.urls")),
    path("", include("cycles.urls")),
    path("", include("observations.urls")),
    path("dashboards/", include("dashboards.urls")),
]
