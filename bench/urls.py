"""JEL's routes plus /bench/floor/, a trivial view behind the same middleware.

Every page's time is read against the floor measured in the same run: what a
signed-in request costs before any page does its own work."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import include, path


@login_required
def floor(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/floor/", floor, name="bench_floor"),
    path("", include("jel.urls")),
]
