"""The school's reminder times and a person's notification settings: a form
drawn before someone else's save is refused (409) with what changed and the
typed values kept; saving again from that page is a deliberate choice. Opening
either page creates nothing."""

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from jel.models import NotificationSettings, ReminderTimings, Role
from jel.tests.factories import TEST_PASSWORD, staff

STALE = "Saved since you opened this page"

TIMINGS = {
    "visit_tomorrow_at": "16:00",
    "visit_soon_minutes": "15",
    "reflection_prompt_at": "15:30",
    "micro_debrief_nudge_hours": "20",
    "follow_up_at": "07:30",
    "follow_up_again_days": "3",
    "digest_at": "07:00",
    "daily_cap": "6",
    "more_today_at": "17:00",
}


def _client(user):
    client = Client()
    assert client.login(email=user.email, password=TEST_PASSWORD)
    return client


def _version_on(page) -> str:
    html = page.content.decode()
    marker = 'name="version" value="'
    return html.split(marker, 1)[1].split('"', 1)[0]


@pytest.fixture
def two_principals(cast):
    second = staff(cast.school, Role.PRINCIPAL, full_name="Paula Second")
    return _client(cast.principal), _client(second)


def _timings(cast):
    with scopes_disabled():
        return ReminderTimings.objects.filter(school=cast.school).first()


def test_two_principals_saving_the_defaults_the_second_is_refused(cast, two_principals):
    first, second = two_principals
    url = reverse("reminder_timings")
    version_first = _version_on(first.get(url))
    version_second = _version_on(second.get(url))
    assert version_first == version_second == "1"

    saved = first.post(url, {**TIMINGS, "visit_soon_minutes": "30", "version": "1"})
    assert saved.status_code == 302

    refused = second.post(
        url,
        {**TIMINGS, "digest_at": "08:15", "visit_soon_minutes": "45", "version": "1"},
    )
    page = refused.content.decode()
    assert refused.status_code == 409
    assert STALE in page
    assert "Visit soon: minutes before the visit: 30" in page
    assert "Someone saved this while you were editing it" in page
    # What the second principal typed is still in the form.
    assert 'value="45"' in page
    assert 'value="08:15"' in page
    # The first save stands, nothing of the second was written.
    timings = _timings(cast)
    assert timings.visit_soon_minutes == 30
    assert timings.digest_at.strftime("%H:%M") == "07:00"

    # Saving again from the refused page is deliberate, and it goes through.
    again = second.post(
        url,
        {
            **TIMINGS,
            "digest_at": "08:15",
            "visit_soon_minutes": "45",
            "version": _version_on(refused),
        },
    )
    assert again.status_code == 302
    assert _timings(cast).visit_soon_minutes == 45


def test_a_stale_form_after_saved_times_is_refused_and_shows_the_time_now(
    cast, two_principals
):
    first, second = two_principals
    url = reverse("reminder_timings")
    first.post(url, {**TIMINGS, "version": "1"})
    drawn = _version_on(second.get(url))
    assert first.post(url, {**TIMINGS, "follow_up_at": "06:45", "version": drawn})[
        "Location"
    ]
    refused = second.post(url, {**TIMINGS, "version": drawn})
    assert refused.status_code == 409
    assert (
        "Goal follow-up: time on the follow-up day: 06:45" in refused.content.decode()
    )
    assert _timings(cast).follow_up_at.strftime("%H:%M") == "06:45"


def test_one_person_two_tabs_of_notification_settings(cast, login):
    client = login(cast.teacher)
    url = reverse("notification_settings")
    drawn = _version_on(client.get(url))
    kinds = ["visit_tomorrow", "visit_soon"]
    saved = client.post(
        url,
        {
            "quiet_start": "21:00",
            "quiet_end": "06:00",
            "email_kinds": kinds,
            "version": drawn,
        },
    )
    assert saved.status_code == 302
    refused = client.post(
        url,
        {
            "quiet_start": "20:00",
            "quiet_end": "07:00",
            "email_kinds": ["goal_follow_up"],
            "version": drawn,
        },
    )
    page = refused.content.decode()
    assert refused.status_code == 409
    assert STALE in page
    assert "Quiet hours start: 21:00" in page
    assert "E-mail me about: Visit tomorrow, Visit starting soon" in page
    with scopes_disabled():
        mine = NotificationSettings.objects.get(membership__user=cast.teacher)
    assert mine.quiet_start.strftime("%H:%M") == "21:00"
    assert "goal_follow_up" in mine.email_off


def test_an_unchanged_tab_saves_as_before(cast, login):
    client = login(cast.teacher)
    url = reverse("notification_settings")
    for _ in range(2):
        drawn = _version_on(client.get(url))
        response = client.post(
            url, {"quiet_start": "21:00", "quiet_end": "06:00", "version": drawn}
        )
        assert response.status_code == 302


@pytest.mark.parametrize("name", ["reminder_timings", "notification_settings"])
def test_opening_a_settings_page_creates_nothing(name, cast, login):
    client = login(cast.principal)
    assert client.get(reverse(name)).status_code == 200
    with scopes_disabled():
        assert ReminderTimings.objects.count() == 0
        assert NotificationSettings.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_twenty_principals_saving_at_once_lose_no_write(cast):
    """Twenty saves drawn from one version, at once: one wins, nineteen are told
    theirs is stale, and what is saved is exactly the winner's."""
    import threading

    from django.db import connection, transaction
    from django_scopes import scope

    from jel import services
    from jel.concurrency import StaleEdit

    with scopes_disabled():
        ReminderTimings.objects.create(school=cast.school)
    start = threading.Barrier(20)
    outcome = {}

    def edit(minutes):
        try:
            with scope(school=cast.school):
                with scopes_disabled():
                    mine = ReminderTimings.objects.get(school=cast.school)
                drawn = mine.version
                mine.visit_soon_minutes = minutes
                start.wait()
                try:
                    with transaction.atomic():
                        services.reminder_timings_save(timings=mine, seen_version=drawn)
                    outcome[minutes] = "saved"
                except StaleEdit:
                    outcome[minutes] = "stale"
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=(m,)) for m in range(20, 40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    saved = [m for m, result in outcome.items() if result == "saved"]
    assert len(outcome) == 20
    assert len(saved) == 1
    timings = _timings(cast)
    assert timings.visit_soon_minutes == saved[0]
    assert timings.version == 2
