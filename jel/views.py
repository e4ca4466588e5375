import datetime
import logging
import os
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection, transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from jel import registry, selectors, services
from jel.celery import app as celery_app
from jel.concurrency import StaleEdit, stale_changes
from jel.forms import NotificationSettingsForm, ReminderTimingsForm, StaffProfileForm
from jel.middleware import SESSION_SCHOOL_KEY
from jel.models import (
    NotificationSettings,
    Reminder,
    ReminderKind,
    ReminderTimings,
    Role,
    StaffProfile,
)
from jel.permissions import ability_required, can, role_required

log = logging.getLogger(__name__)

# Each step links to the page where it is done (text, route name).
NEXT_STEPS = {
    Role.PRINCIPAL: [
        (
            "Check that the bell schedule and observation windows for this term "
            "are set.",
            "scheduling:setup",
        ),
        ("Write a problem of practice with a few look-fors.", "cycles:problem_new"),
        (
            "Plan a cycle: instructional rounds, a peer learning lab, a swap day, "
            "micro-observations or a learning walk.",
            "cycles:new",
        ),
    ],
    Role.COACH: [
        ("Offer to facilitate the next cycle and its debrief.", "cycles:list"),
        (
            "Look over the term's dashboard for look-fors nobody has seen yet.",
            "dashboards:trends",
        ),
    ],
    Role.MENTOR: [
        (
            "Pair up with your mentee for a micro-observation in a shared planning "
            "period.",
            "scheduling:my_week",
        ),
    ],
    Role.TEACHER: [
        (
            "See your week: the visits you host or observe, cover and planning "
            "periods.",
            "scheduling:my_week",
        ),
        (
            "You can write a private reflection at any time; only you see it.",
            "observations:reflection_create",
        ),
    ],
    Role.DISTRICT: [
        (
            "District views compare schools in aggregate; small groups are suppressed.",
            "dashboards:district",
        ),
    ],
    Role.AIDE: [
        (
            "See your week. Your principal decides whether you join visits and cycles.",
            "scheduling:my_week",
        ),
    ],
}


@role_required()
def home(request):
    return render(
        request,
        "jel/home.html",
        {
            "panels": registry.render_panels("home", request),
            "next_steps": NEXT_STEPS.get(request.membership.role, []),
        },
    )


@login_required
def no_school(request):
    if request.membership is not None:
        return redirect("home")
    return render(request, "jel/no_school.html", status=403)


@require_POST
@login_required
def switch_school(request):
    wanted = request.POST.get("school")
    membership = next(
        (m for m in request.memberships if str(m.school_id) == wanted), None
    )
    if membership is None:
        messages.error(request, "You are not a member of that school.")
        return redirect("home")
    request.session[SESSION_SCHOOL_KEY] = membership.school_id
    messages.success(request, f"You are now working in {membership.school.name}.")
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "home"
    return redirect(target)


@role_required()
def profile(request):
    # Opening the page writes nothing: a profile nobody saved yet is the
    # defaults, saved on the first POST.
    profile_obj = StaffProfile.objects.filter(
        membership=request.membership
    ).first() or StaffProfile(membership=request.membership, school=request.school)
    if request.method == "POST":
        form = StaffProfileForm(
            request.POST, instance=profile_obj, school=request.school
        )
        if form.is_valid():
            form.save()
            messages.success(request, "Your profile is saved.")
            return redirect("profile")
    else:
        form = StaffProfileForm(instance=profile_obj, school=request.school)
    return render(
        request,
        "jel/profile.html",
        {
            "form": form,
            "profile": profile_obj,
            "panels": registry.render_panels("profile", request),
        },
    )


def _broker_state() -> tuple[bool, str]:
    url = settings.CELERY_BROKER_URL
    if url.startswith("filesystem://"):
        folder = Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"])
        if folder.is_dir() and os.access(folder, os.W_OK):
            return True, "filesystem broker folder is writable"
        return False, f"filesystem broker folder {folder} is missing or read-only"
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        return False, f"broker unreachable: {exc.__class__.__name__}"
    return True, "broker reachable"


@never_cache
@transaction.non_atomic_requests
def healthz(request):
    """200 {"status": "ok"} when the database and the broker answer, else 503.

    It says nothing more: what failed, and why, goes to the log, not to whoever
    asks (the names of the database and the broker are nobody's business).
    """
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = {"ok": True, "detail": connection.vendor}
    except Exception as exc:  # noqa: BLE001
        checks["database"] = {"ok": False, "detail": exc.__class__.__name__}
    ok, detail = _broker_state()
    checks["broker"] = {"ok": ok, "detail": detail}
    healthy = all(check["ok"] for check in checks.values())
    if not healthy:
        log.warning("health check failed", extra={"checks": checks})
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable"},
        status=200 if healthy else 503,
    )


def signin_locked_out(request, original_response=None, credentials=None):
    """The sign-in page, refusing: too many failed sign-ins for this account or
    from this address (django-axes' AXES_LOCKOUT_CALLABLE, for JEL's sign-in and
    the admin's). It says until when, and that a reset by e-mail lifts it."""
    from axes.helpers import get_client_ip_address
    from axes.models import AccessAttempt
    from django.db.models import Max, Q

    from jel.forms_auth import SignInForm, sign_in_username

    username = sign_in_username(request, credentials)
    ip_address = getattr(request, "axes_ip_address", None) or get_client_ip_address(
        request
    )
    cool_off = settings.AXES_COOLOFF_TIME
    last = (
        AccessAttempt.objects.filter(
            Q(username=username) | Q(ip_address=ip_address),
            attempt_time__gte=timezone.now() - cool_off,
        ).aggregate(last=Max("attempt_time"))["last"]
        or timezone.now()
    )
    form = SignInForm(request, initial={"username": username or ""})
    return render(
        request,
        "registration/login.html",
        {
            "form": form,
            "locked_until": timezone.localtime(last + cool_off),
            "next": request.POST.get("next", ""),
        },
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


@role_required()
def notifications(request):
    items = list(selectors.notifications_for(user=request.user))
    failed = (
        list(selectors.failed_reminders())
        if can(request, "change_school_settings")
        else []
    )
    return render(request, "jel/notifications.html", {"items": items, "failed": failed})


@require_POST
@role_required()
def notification_open(request, pk):
    reminder = get_object_or_404(Reminder, pk=pk, recipient=request.user)
    services.notification_read(reminder=reminder)
    target = reminder.link or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "notifications"
    return redirect(target)


@require_POST
@role_required()
def notifications_mark_all_read(request):
    count = services.notifications_mark_all_read(user=request.user)
    messages.success(
        request, f"Marked {count} notice{'s' if count != 1 else ''} as read."
    )
    return redirect("notifications")


@role_required()
def notification_settings(request):
    current = NotificationSettings.for_membership(request.membership)
    form = NotificationSettingsForm(request.POST or None, instance=current)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.notification_settings_save(
                settings_obj=form.save(commit=False), seen_version=form.seen_version()
            )
        except StaleEdit as error:
            form.refuse_stale(error, _notification_changes(error.current, form))
            status = 409
        else:
            messages.success(request, "Your notification settings are saved.")
            return redirect("notification_settings")
    daily_cap = ReminderTimings.for_school(request.school).daily_cap
    return render(
        request,
        "jel/notification_settings.html",
        {"form": form, "daily_cap": daily_cap},
        status=status,
    )


def _settings_changes(current, labels: dict, typed: dict) -> list[tuple[str, str]]:
    """stale_changes, with times as the time boxes show them (16:00)."""
    shown = {
        name: getattr(current, name).strftime("%H:%M")
        for name in labels
        if isinstance(getattr(current, name), datetime.time)
    }
    return [
        (label, shown.get(name, value))
        for (label, value), name in zip(
            stale_changes(current, labels, typed),
            [n for n in labels if n in typed and typed[n] != getattr(current, n)],
            strict=True,
        )
    ]


def _notification_changes(current, form) -> list[tuple[str, str]]:
    """What the saved notification settings say now, where they differ from the
    refused form's."""
    typed = form.cleaned_data
    changes = _settings_changes(
        current,
        {name: str(form.fields[name].label) for name in ("quiet_start", "quiet_end")},
        typed,
    )
    emailed_now = [k for k in ReminderKind.values if k not in current.email_off]
    if set(typed.get("email_kinds", [])) != set(emailed_now):
        labels = dict(ReminderKind.choices)
        shown = ", ".join(str(labels[k]) for k in emailed_now) or "nothing"
        changes.append((str(form.fields["email_kinds"].label), shown))
    return changes


@ability_required("change_school_settings")
def reminder_timings(request):
    current = ReminderTimings.for_school(request.school)
    form = ReminderTimingsForm(request.POST or None, instance=current)
    status = 200
    if request.method == "POST" and form.is_valid():
        form.instance.school = request.school
        try:
            services.reminder_timings_save(
                timings=form.save(commit=False), seen_version=form.seen_version()
            )
        except StaleEdit as error:
            labels = {
                name: str(field.label)
                for name, field in form.fields.items()
                if name != "version"
            }
            form.refuse_stale(
                error, _settings_changes(error.current, labels, form.cleaned_data)
            )
            status = 409
        else:
            messages.success(
                request,
                "Reminder times are saved. Reminders still to come have moved to "
                "the new times.",
            )
            return redirect("reminder_timings")
    return render(request, "jel/reminder_timings.html", {"form": form}, status=status)
