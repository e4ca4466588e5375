"""The leak test: canaries planted, every role crawls everything, nothing leaks.

Canaries (jel.tests.leaks) sit in a private reflection, a coaches-only one, a
cycle-group one, a goal and a host's evidence in a rounds cycle of three
classrooms. Then each crawling role (another teacher, the principal, a coach
and a mentor outside the cycle, district staff, another school's principal)
GETs every page of the access cases (jel/tests/test_route_access.py's CASES,
with the planted records' addresses too), every API GET endpoint of the
OpenAPI schema, every CSV, their iCal feed, and reads every e-mail sent to
them once the due reminders and the weekly digest are delivered. A canary
where product.md forbids it fails the test, and so does the host's evidence
next to the host's name, a time inside the host's visit or the observer's
name for an evaluator. The figures are printed (pytest -s shows them).
"""

import json
import re
import time

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import resolve, reverse
from django_scopes import scope, scopes_disabled

from jel.tests.factories import TEST_PASSWORD
from jel.tests.leaks import CRAWLERS, EVALUATOR_CRAWLERS, find_leaks, plant
from jel.tests.test_emails import _deliver_everything_pending
from jel.tests.test_route_access import CASES
from observations.models import Evidence, Goal, Reflection
from observations.reminders import reflection_shared_sync, weekly_digest_sync
from scheduling.models import CalendarToken


def _planted_addresses(planted) -> dict[str, list[str]]:
    """Each record route also opened at the planted records' addresses."""
    with scopes_disabled():
        reflections = list(Reflection.objects.filter(school=planted.rounds.school))
        goals = list(Goal.objects.filter(school=planted.rounds.school))
        entries = list(
            Evidence.objects.filter(text__contains=planted.canaries["evidence"])
        )
        visits = list(planted.rounds.visits.all()) + list(planted.swap.visits.all())
    cycles = [planted.rounds, planted.swap]
    return {
        "cycles:detail": [reverse("cycles:detail", args=[c.pk]) for c in cycles],
        "cycles:edit": [reverse("cycles:edit", args=[c.pk]) for c in cycles],
        "cycles:api_detail": [
            reverse("cycles:api_detail", args=[c.pk]) for c in cycles
        ],
        "cycles:debrief": [
            reverse("cycles:debrief", args=[d.pk])
            for d in (planted.debrief, planted.swap_debrief)
        ],
        "observations:capture": [
            reverse("observations:capture", args=[v.pk]) for v in visits
        ],
        "observations:evidence_edit": [
            reverse("observations:evidence_edit", args=[e.pk]) for e in entries
        ],
        "observations:cycle_evidence": [
            reverse("observations:cycle_evidence", args=[c.pk]) for c in cycles
        ],
        "observations:cycle_evidence_csv": [
            reverse("observations:cycle_evidence_csv", args=[c.pk]) for c in cycles
        ],
        "observations:reflection_detail": [
            reverse("observations:reflection_detail", args=[r.pk]) for r in reflections
        ],
        "observations:reflection_edit": [
            reverse("observations:reflection_edit", args=[r.pk]) for r in reflections
        ],
        "observations:goal_detail": [
            reverse("observations:goal_detail", args=[g.pk]) for g in goals
        ],
        "dashboards:essa_teacher": [
            reverse("dashboards:essa_teacher", args=[h.pk]) for h in planted.hosts
        ],
        "dashboards:essa_teacher_csv": [
            reverse("dashboards:essa_teacher_csv", args=[h.pk]) for h in planted.hosts
        ],
    }


def _page_addresses(cast, planted) -> tuple[list[str], set[str]]:
    """(addresses, route names): every GET access case, plus the planted records'."""
    planted_urls = _planted_addresses(planted)
    urls, routes = [], set()
    for case in CASES:
        if case.method != "get":
            continue
        routes.add(case.route)
        urls.append(case.url(cast))
        urls.extend(planted_urls.get(case.route, []))
    return list(dict.fromkeys(urls)), routes


def _api_addresses(client, planted) -> tuple[list[str], int]:
    """Every GET path of the OpenAPI schema, its ids filled with planted ones."""
    response = client.get(reverse("api_schema"), {"format": "json"})
    assert response.status_code == 200, response.status_code
    schema = response.json()
    cycles = [planted.rounds.pk, planted.swap.pk]
    teachers = [h.pk for h in planted.hosts]
    urls, paths = [], 0
    for path, operations in schema["paths"].items():
        if "get" not in operations:
            continue
        paths += 1
        names = re.findall(r"{(\w+)}", path)
        if not names:
            urls.append(path)
            if path.rstrip("/").endswith("evidence"):
                urls += [f"{path}?cycle={c.pk}" for c in (planted.rounds, planted.swap)]
            continue
        (name,) = names
        values = teachers if "teachers" in path else cycles
        urls += [path.replace(f"{{{name}}}", str(value)) for value in values]
    return urls, paths


def _feeds(planted) -> dict[str, str]:
    with scopes_disabled():
        return {
            who: reverse(
                "scheduling:feed",
                args=[
                    CalendarToken.objects.get_or_create(
                        school=user.memberships.first().school, user=user
                    )[0].token
                ],
            )
            for who, user in planted.users.items()
        }


def _deliver_mail(cast, planted, capture):
    """The due reminders and the weekly digest, delivered as the worker would."""
    school = cast.school
    with scope(school=school), capture(execute=True):
        for reflection in Reflection.objects.exclude(visibility="private"):
            reflection_shared_sync(reflection)
        with time_machine.travel("2026-11-30 07:05 -05:00"):
            weekly_digest_sync(school=school)
        _deliver_everything_pending()


def _text_of(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else None
    return (body or response.content).decode("utf-8-sig", errors="replace")


def crawl(cast, planted, capture) -> dict:
    """Crawl everything as every role; the leaks found and the figures."""
    started = time.monotonic()
    pages, routes = _page_addresses(cast, planted)
    leaks, requests, csvs, feeds_read, mails_read = [], 0, 0, 0, 0
    checked = []  # evaluator responses holding the host's evidence
    schema_client = Client()
    schema_client.login(email=cast.principal.email, password=TEST_PASSWORD)
    api, api_paths = _api_addresses(schema_client, planted)
    feeds = _feeds(planted)
    for who in CRAWLERS:
        client = Client()
        assert client.login(email=planted.users[who].email, password=TEST_PASSWORD)
        for url in [*pages, *api, feeds[who]]:
            response = client.get(url)
            requests += 1
            assert response.status_code < 500, (who, url, response.status_code)
            content_type = response.get("Content-Type", "")
            csvs += "csv" in content_type
            feeds_read += "calendar" in content_type
            body = _text_of(response)
            if who in EVALUATOR_CRAWLERS and planted.canaries["evidence"] in body:
                checked.append(url)
            leaks += find_leaks(
                role=who,
                where=url,
                body=body,
                content_type=content_type,
                planted=planted,
            )
    mail.outbox = []
    _deliver_mail(cast, planted, capture)
    for message in mail.outbox:
        parts = [message.subject, message.body]
        parts += [alt[0] for alt in getattr(message, "alternatives", [])]
        for who, user in planted.users.items():
            if user.email in message.to:
                mails_read += 1
                leaks += find_leaks(
                    role=who,
                    where=f"the e-mail {message.subject!r}",
                    body="\n".join(parts),
                    content_type="text/html",
                    planted=planted,
                )
    return {
        "leaks": leaks,
        "routes": len(routes),
        "api_paths": api_paths,
        "addresses": len(pages) + len(api) + 1,
        "requests": requests,
        "csv": csvs,
        "feeds": feeds_read,
        "mails": len(mail.outbox),
        "mails_to_crawlers": mails_read,
        "roles": len(CRAWLERS),
        "evaluator_reads": len(checked),
        "seconds": round(time.monotonic() - started, 1),
    }


@pytest.fixture
def planted(cast):
    return plant(cast)


def test_no_canary_and_no_attribution_reaches_a_role_that_may_not_read_it(
    cast, planted, django_capture_on_commit_callbacks
):
    figures = crawl(cast, planted, django_capture_on_commit_callbacks)
    print(
        "\nleak test: {routes} GET routes ({addresses} addresses with the planted "
        "records and {api_paths} API GET paths from the schema), {roles} roles, "
        "{requests} requests, {csv} CSV answers, {feeds} iCal feeds, {mails} "
        "e-mails ({mails_to_crawlers} to crawling roles); {evaluator_reads} "
        "evaluator answers held the host's evidence and were checked for "
        "attribution; {seconds} s".format(**figures)
    )
    assert figures["leaks"] == []
    # The crawl reached what it checks: the principal reads the evidence
    # canary somewhere (unattributed), a coach the coaches-only reflection.
    assert figures["requests"] > 6 * 100
    assert figures["evaluator_reads"] >= 6
    assert figures["csv"] > 0 and figures["feeds"] >= 6


def test_the_evaluator_does_read_the_canary_so_the_check_is_not_empty(
    cast, planted, login
):
    client = login(cast.principal)
    url = reverse("observations:cycle_evidence_csv", args=[planted.rounds.pk])
    assert planted.canaries["evidence"] in _text_of(client.get(url))
    coach = login(cast.coach)
    assert planted.canaries["coaches_reflection"] in _text_of(
        coach.get(reverse("observations:reflections"))
    )


# --- The checker can fail ---------------------------------------------------------


def test_the_checker_catches_a_host_named_next_to_the_evidence(planted):
    token = planted.canaries["evidence"]
    page = f"<li>{token} <span>· {planted.host.full_name}</span></li>"
    leaks = find_leaks(
        role="principal",
        where="a planted leak",
        body=page,
        content_type="text/html",
        planted=planted,
    )
    assert leaks == ["principal sees the host's name by the evidence at a planted leak"]


def test_the_checker_catches_a_time_inside_the_hosts_visit(planted):
    token = planted.canaries["evidence"]
    csv_body = f"look_for,text,noted_at\nA,{token},2026-11-25T09:00-05:00\n"
    leaks = find_leaks(
        role="district",
        where="x.csv",
        body=csv_body,
        content_type="text/csv",
        planted=planted,
    )
    assert any("09:00, inside the host's visit" in leak for leak in leaks)


def test_the_checker_catches_the_observer_in_an_api_row(planted):
    token = planted.canaries["evidence"]
    row = {"text": token, "observer": planted.observer.full_name}
    body = json.dumps({"results": [row, {"text": "other"}]})
    leaks = find_leaks(
        role="principal",
        where="api",
        body=body,
        content_type="application/json",
        planted=planted,
    )
    assert leaks == ["principal sees the observer by the evidence at api"]


def test_the_checker_catches_a_forbidden_canary(planted):
    body = f"<p>{planted.canaries['group_reflection']}</p>"
    leaks = find_leaks(
        role="coach_outside",
        where="/reflections/",
        body=body,
        content_type="text/html",
        planted=planted,
    )
    assert leaks == ["coach_outside reads the group_reflection canary at /reflections/"]


def test_the_route_list_is_the_access_cases():
    # One route list: the crawl reads test_route_access's CASES.
    assert any(case.route == "cycles:debrief" for case in CASES)
    assert resolve(reverse("observations:reflections")).view_name
