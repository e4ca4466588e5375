"""A principal at a small cycle's debrief is told why others' evidence is withheld."""

from django.urls import reverse
from django_scopes import scopes_disabled

from cycles.models import Debrief
from observations.tests.factories import cycle_with_visit, evidence

THEIRS = "Students compared two solution paths aloud"


def test_the_principal_reads_why_only_their_own_evidence_shows(cast, login):
    visit = cycle_with_visit(
        cast.school,
        host=cast.outsider,
        observers=[cast.principal, cast.teacher],
        facilitator=cast.principal,
        title="One-room rounds",
    )
    evidence(visit, cast.teacher, THEIRS)
    with scopes_disabled():
        debrief = Debrief.objects.create(school=cast.school, cycle=visit.cycle)
    body = (
        login(cast.principal)
        .get(reverse("cycles:debrief", args=[debrief.pk]))
        .content.decode()
    )
    assert "You see only the evidence you recorded yourself" in body
    assert "fewer classrooms than the school's privacy threshold" in body
    assert THEIRS not in body
    assert '<span class="badge text-bg-light border">0</span>' not in body


def test_the_teacher_in_the_cycle_sees_every_entry_and_no_note(cast, login):
    visit = cycle_with_visit(
        cast.school, host=cast.outsider, observers=[cast.teacher], title="One room"
    )
    evidence(visit, cast.teacher, THEIRS)
    with scopes_disabled():
        debrief = Debrief.objects.create(school=cast.school, cycle=visit.cycle)
    body = (
        login(cast.teacher)
        .get(reverse("cycles:debrief", args=[debrief.pk]))
        .content.decode()
    )
    assert THEIRS in body
    assert "You see only the evidence you recorded yourself" not in body
