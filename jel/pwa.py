"""The installable app: the web app manifest, the service worker (served from
the site root so that it may answer for every page) and the offline page.

Which pages a person keeps offline is the observations app's to say
(observations.views.offline_pages); jel only knows the person and the release.
"""

import functools
import hashlib
import hmac
import re

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

THEME_COLOUR = "#1f4e5f"
STATIC_DIR = settings.BASE_DIR / "static"


@functools.cache
def release_version() -> str:
    """The release: settings.JEL_RELEASE, or a hash of every static file (a
    change to any script or style makes a new service worker and new caches)."""
    configured = getattr(settings, "JEL_RELEASE", "")
    if configured:
        return re.sub(r"[^a-zA-Z0-9]", "", configured)[:16] or "0"
    digest = hashlib.sha256()
    for path in sorted(STATIC_DIR.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(STATIC_DIR)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def person_key(user) -> str:
    """A stable name for the person's caches and stored entries: a keyed hash
    of the user id, so the browser's storage never shows who it was."""
    return hmac.new(
        settings.SECRET_KEY.encode(), f"pwa:{user.pk}".encode(), hashlib.sha256
    ).hexdigest()[:16]


def shell_assets() -> list[str]:
    """The static files every page needs, kept for offline use."""
    names = [
        "vendor/bootstrap/bootstrap.min.css",
        "vendor/bootstrap-icons/bootstrap-icons.min.css",
        "vendor/bootstrap-icons/fonts/bootstrap-icons.woff2",
        "css/jel.css",
        "css/print.css",
        "favicon.svg",
        "icons/jel-192.png",
        "vendor/bootstrap/bootstrap.bundle.min.js",
        "vendor/htmx/htmx.min.js",
        "js/error-summary.js",
        "js/period-times.js",
        "js/pwa/register.mjs",
        "js/pwa/queue.mjs",
        "js/pwa/signout.mjs",
        "js/pwa/rules.mjs",
        "observations/capture.css",
    ]
    names += [
        f"observations/capture/{name}.js"
        for name in (
            "main",
            "draft",
            "entries",
            "ids",
            "limits",
            "nudge",
            "queue",
            "sender",
            "timer",
        )
    ]
    return [static(name) for name in names if finders.find(name)]


@require_GET
def manifest(request):
    icons = [
        {"src": static(f"icons/jel-{size}.png"), "sizes": f"{size}x{size}"}
        for size in (192, 512)
    ]
    icons += [
        {
            "src": static(f"icons/jel-maskable-{size}.png"),
            "sizes": f"{size}x{size}",
            "purpose": "maskable",
        }
        for size in (192, 512)
    ]
    for icon in icons:
        icon["type"] = "image/png"
    body = {
        "id": "/",
        "name": "JEL: job-embedded professional learning",
        "short_name": "JEL",
        "description": "Visits, evidence and reflections of your school's "
        "professional learning; capture works offline.",
        "start_url": reverse("home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": icons,
    }
    response = JsonResponse(body)
    response["Content-Type"] = "application/manifest+json"
    return response


@require_GET
def service_worker(request):
    rules = (STATIC_DIR / "js/pwa/rules.mjs").read_text()
    worker = (STATIC_DIR / "js/pwa/sw.js").read_text()
    # One classic script (module service workers are not in every browser yet).
    rules = re.sub(r"^export ", "", rules, flags=re.MULTILINE)
    version = release_version()
    body = f"const VERSION = {version!r};\n{rules}\n{worker}"
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    # The browser checks for a new release on every visit.
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def offline(request):
    """What the app shows for a page it did not keep, when there is no network."""
    return render(request, "jel/offline.html", {"refreshed_at": timezone.now()})


def offline_list(request, pages: list[str]) -> JsonResponse:
    """The answer of /offline/pages/: the person, the release, what to keep."""
    return JsonResponse(
        {
            "person": person_key(request.user),
            "version": release_version(),
            "shell": [*shell_assets(), reverse("pwa_offline")],
            "pages": [reverse("home"), *pages],
        }
    )
