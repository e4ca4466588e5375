"""The installable app's manifest, service worker and offline page (jel/pwa.py)."""

import json

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from jel import pwa

pytestmark = pytest.mark.django_db


def test_manifest_installs_full_screen_at_home_with_icons(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    body = json.loads(response.content)
    assert body["short_name"] == "JEL"
    assert body["display"] == "standalone"
    assert body["start_url"] == reverse("home")
    assert body["scope"] == "/"
    assert body["theme_color"] == pwa.THEME_COLOUR
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in body["icons"]}
    assert sizes == {
        ("192x192", "any"),
        ("512x512", "any"),
        ("192x192", "maskable"),
        ("512x512", "maskable"),
    }
    for icon in body["icons"]:
        name = icon["src"].removeprefix(settings.STATIC_URL)
        assert name.startswith("icons/jel-")
        assert finders.find(name), icon["src"]


def test_service_worker_is_served_from_the_root_and_never_kept_stale(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    assert body.startswith(f"const VERSION = '{pwa.release_version()}';")
    # The rules are in it, without `export` (one classic script).
    assert "function strategyFor(" in body
    assert "\nexport " not in body


def test_release_version_follows_the_setting(settings):
    pwa.release_version.cache_clear()
    settings.JEL_RELEASE = "2026.12-rc1"
    try:
        assert pwa.release_version() == "202612rc1"
    finally:
        pwa.release_version.cache_clear()


def test_every_page_links_the_manifest_and_names_no_one_when_signed_out(client):
    body = client.get(reverse("login")).content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in body
    assert '<meta name="jel-person" content="">' in body


def test_offline_page_says_offline(client):
    response = client.get("/offline/")
    assert response.status_code == 200
    assert '<h1 class="h4">Offline</h1>' in response.content.decode()


def test_person_key_is_stable_and_hides_the_id(cast):
    key = pwa.person_key(cast.teacher)
    assert key == pwa.person_key(cast.teacher)
    assert key != pwa.person_key(cast.coach)
    assert str(cast.teacher.pk) != key and len(key) == 16
