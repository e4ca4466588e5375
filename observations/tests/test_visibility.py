"""Who reads evidence, and that an evaluator never sees it attributed to the host.

Rules: the author, the host (their own room), the cycle's facilitator and its
participants read it; principals and district staff see it without the host;
another school's users get 404.
"""

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from cycles.models import CycleParticipant
from jel.models import Role
from jel.tests.factories import staff
from observations.selectors import debrief_evidence_groups
from observations.tests.factories import cycle_with_visit, evidence

TEXT = "Students compared two solution paths aloud"


@pytest.fixture
def entry(cast, visit):
    return evidence(visit, cast.teacher, TEXT)


def _api_rows(client):
    response = client.get(reverse("observations:api_evidence"))
    assert response.status_code == 200
    return response.json()["results"]


def test_the_author_reads_their_evidence_with_the_host(cast, entry, login):
    rows = _api_rows(login(cast.teacher))
    assert [row["text"] for row in rows] == [TEXT]
    assert rows[0]["host"] == "Hana Host"


def test_the_host_reads_evidence_from_their_room(cast, host, entry, login):
    client = login(host)
    assert [row["text"] for row in _api_rows(client)] == [TEXT]
    assert TEXT in client.get(reverse("observations:my_room")).content.decode()


def test_the_facilitator_reads_the_cycles_evidence(cast, entry, login):
    assert [row["text"] for row in _api_rows(login(cast.coach))] == [TEXT]


def test_a_participant_reads_the_cycles_evidence(cast, visit, entry, login):
    colleague = staff(cast.school, Role.TEACHER, full_name="Paula Participant")
    with scopes_disabled():
        CycleParticipant.objects.create(
            school=cast.school,
            cycle=visit.cycle,
            user=colleague,
            role=CycleParticipant.Role.OBSERVER,
        )
    assert [row["text"] for row in _api_rows(login(colleague))] == [TEXT]


def test_a_teacher_outside_the_cycle_reads_nothing(cast, visit, entry, login):
    client = login(cast.outsider)
    assert _api_rows(client) == []
    assert client.get(reverse("observations:my_room")).content.decode().count(TEXT) == 0
    url = reverse("observations:cycle_evidence", args=[visit.cycle_id])
    assert client.get(url).status_code == 404


def test_another_schools_principal_gets_404(cast, visit, entry, login):
    client = login(cast.other_principal)
    assert _api_rows(client) == []
    for url in [
        reverse("observations:capture", args=[visit.pk]),
        reverse("observations:cycle_evidence", args=[visit.cycle_id]),
    ]:
        assert client.get(url).status_code == 404


@pytest.fixture
def principal_led(cast, host):
    """A cycle the principal facilitates and observes in, in the host's room."""
    visit = cycle_with_visit(
        cast.school,
        host=host,
        observers=[cast.principal, cast.teacher],
        facilitator=cast.principal,
        title="Principal-led rounds",
    )
    evidence(visit, cast.teacher, TEXT)
    evidence(visit, cast.principal, "Students wrote a claim first")
    return visit


def test_a_principal_never_sees_the_host_on_any_evidence_page(
    cast, principal_led, login
):
    client = login(cast.principal)
    visit = principal_led
    pages = [
        reverse("observations:capture", args=[visit.pk]),
        reverse("observations:cycle_evidence", args=[visit.cycle_id]),
        reverse("observations:cycle_evidence_csv", args=[visit.cycle_id]),
        reverse("observations:api_evidence"),
        reverse("observations:wall"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Hana Host" not in response.content.decode(), url
    # One classroom is below the privacy threshold: a colleague's evidence
    # would point at the host, so the principal keeps only their own.
    rows = _api_rows(client)
    assert [row["text"] for row in rows] == ["Students wrote a claim first"]
    assert all("host" not in row and "visit" not in row for row in rows)
    page = client.get(reverse("observations:cycle_evidence", args=[visit.cycle_id]))
    assert "fewer than 3 classrooms" in page.content.decode()
    assert TEXT not in page.content.decode()


def test_a_principal_reads_a_cycle_across_enough_classrooms_without_hosts(
    cast, host, login
):
    hosts = [host] + [
        staff(cast.school, Role.TEACHER, full_name=f"Second Host {n}") for n in range(2)
    ]
    first = cycle_with_visit(
        cast.school, host=hosts[0], observers=[cast.teacher], facilitator=cast.principal
    )
    with scopes_disabled():
        from cycles.models import Visit

        visits = [first] + [
            Visit.objects.create(
                school=cast.school, cycle=first.cycle, host=other, date=first.date
            )
            for other in hosts[1:]
        ]
        for visit in visits[1:]:
            visit.observers.set([cast.teacher])
    for number, visit in enumerate(visits):
        evidence(visit, cast.teacher, f"{TEXT} {number}")
    client = login(cast.principal)
    rows = _api_rows(client)
    assert len(rows) == 3
    assert all("host" not in row for row in rows)
    body = client.get(
        reverse("observations:cycle_evidence", args=[first.cycle_id])
    ).content.decode()
    assert f"{TEXT} 2" in body
    assert "Hana Host" not in body and "Second Host" not in body
    csv_body = client.get(
        reverse("observations:cycle_evidence_csv", args=[first.cycle_id])
    ).content.decode()
    assert f"{TEXT} 0" in csv_body and "Host" not in csv_body


def test_district_staff_in_a_cycle_see_evidence_without_the_host(cast, host, login):
    visit = cycle_with_visit(
        cast.school, host=host, observers=[cast.district], title="District walk"
    )
    evidence(visit, cast.district, TEXT)
    rows = _api_rows(login(cast.district))
    assert [row["text"] for row in rows] == [TEXT]
    assert "host" not in rows[0]


def test_the_debrief_provider_hides_hosts_from_evaluators(cast, principal_led, host):
    with scope(school=cast.school):
        for viewer, hide_hosts in [(cast.principal, False), (cast.coach, True)]:
            groups = debrief_evidence_groups(
                cycle=principal_led.cycle, viewer=viewer, hide_hosts=hide_hosts
            )
            hosts = {e["host"] for g in groups for e in g["entries"]}
            assert hosts == {None}
        shown = debrief_evidence_groups(
            cycle=principal_led.cycle, viewer=cast.teacher, hide_hosts=False
        )
    assert "Hana Host" in {e["host"] for g in shown for e in g["entries"]}


def test_the_cycle_evidence_page_groups_by_look_for_without_hosts(cast, visit, login):
    with scopes_disabled():
        look_for = visit.cycle.look_fors.order_by("position").first()
    evidence(visit, cast.teacher, TEXT, look_for=look_for)
    body = (
        login(cast.teacher)
        .get(reverse("observations:cycle_evidence", args=[visit.cycle_id]))
        .content.decode()
    )
    assert look_for.text in body
    assert body.index(look_for.text) < body.index(TEXT)
    assert "Hana Host" not in body
