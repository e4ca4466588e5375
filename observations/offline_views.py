"""/offline/pages/: what the installable app keeps on the person's phone (the
service worker asks after each page load on-line; jel/pwa.py serves the rest)."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from jel import pwa
from jel.permissions import role_required
from observations import selectors

# Today and the next seven days: the next five school days, over a weekend.
DAYS_AHEAD = 7


@require_GET
@role_required()
def offline_pages(request):
    today = timezone.localdate()
    visits = selectors.visits_to_capture(
        user=request.user,
        start=today,
        end=today + datetime.timedelta(days=DAYS_AHEAD),
    )
    pages = [reverse("observations:capture", args=[visit.pk]) for visit in visits]
    return pwa.offline_list(request, pages)
