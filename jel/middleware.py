import logging
import time
import zoneinfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils import timezone
from django_scopes import scope

from jel.models import Membership

log = logging.getLogger("jel.request")

SESSION_SCHOOL_KEY = "jel_school_id"
SESSION_STARTED_KEY = "jel_signed_in_at"
SESSION_SEEN_KEY = "jel_last_seen_at"


def memberships_for(user):
    return (
        Membership.objects.filter(user=user, is_active=True)
        .select_related("school", "school__district")
        .order_by("school__name")
    )


class SchoolScopeMiddleware:
    """Set the django-scopes scope and time zone from the user's current school.

    Every school-owned model uses ScopedManager, so a query made while handling a
    request can only see the current school's rows; another school's object is
    simply not found (404). Anonymous requests get an empty scope.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = None
        request.school = None
        request.memberships = []
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            memberships = list(memberships_for(user))
            request.memberships = memberships
            wanted = request.session.get(SESSION_SCHOOL_KEY)
            chosen = next((m for m in memberships if m.school_id == wanted), None)
            if chosen is None and memberships:
                chosen = memberships[0]
                request.session[SESSION_SCHOOL_KEY] = chosen.school_id
            if chosen is not None:
                request.membership = chosen
                request.school = chosen.school
        tz = (
            request.school.tz
            if request.school
            else zoneinfo.ZoneInfo(settings.TIME_ZONE)
        )
        with timezone.override(tz), scope(school=request.school):
            return self.get_response(request)


class SessionExpiryMiddleware:
    """End a session 12 hours after sign-in or after 30 minutes idle."""

    # Writing the session on every request would cost a write per request; a
    # minute of slack on the idle clock is harmless.
    TOUCH_EVERY_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            started = request.session.get(SESSION_STARTED_KEY)
            seen = request.session.get(SESSION_SEEN_KEY, started)
            if started is None:
                request.session[SESSION_STARTED_KEY] = now
                request.session[SESSION_SEEN_KEY] = now
            else:
                too_old = (
                    now - started > settings.JEL_SESSION_ABSOLUTE_LIMIT.total_seconds()
                )
                too_idle = now - seen > settings.JEL_SESSION_IDLE_LIMIT.total_seconds()
                if too_old or too_idle:
                    logout(request)
                    messages.info(
                        request, "Your session expired. Please sign in again."
                    )
                    return redirect_to_login(request.get_full_path())
                if now - seen > self.TOUCH_EVERY_SECONDS:
                    request.session[SESSION_SEEN_KEY] = now
        return self.get_response(request)


class RequestLogMiddleware:
    """One structured log line per request: method, path, status, duration, who."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        if request.path.startswith(f"/{settings.STATIC_URL.strip('/')}/"):
            return response
        user = getattr(request, "user", None)
        school = getattr(request, "school", None)
        log.info(
            "request",
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user_id": user.pk
                if user is not None and user.is_authenticated
                else None,
                "school_id": school.pk if school is not None else None,
            },
        )
        return response


class PrivateHeadersMiddleware:
    """Permissions-Policy on every response; `Cache-Control: private, no-store`
    on every response to a signed-in person and on every export (CSV, iCalendar).

    What a signed-in person sees is theirs: no shared cache (a proxy, a school's
    filter) and no browser cache on a shared computer may keep it. An export or
    a calendar feed is the same data without a page around it.
    """

    EXPORT_TYPES = ("text/csv", "text/calendar")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.JEL_PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        content_type = response.get("Content-Type", "").split(";")[0].strip()
        if signed_in or content_type in self.EXPORT_TYPES:
            response["Cache-Control"] = "private, no-store"
            if "Expires" in response:
                del response["Expires"]
        return response
