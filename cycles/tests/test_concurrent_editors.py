"""Twenty editors, one problem of practice (and one cycle): each opened it at the
same version and saves a different text at the same moment, through the real
service, each on its own database connection. Exactly one save wins, nineteen
are refused as stale, and no write is lost: the text is the winner's and the
version went up by one.

Runs on PostgreSQL (a second writer waits on the row lock, then finds the
version moved) and on SQLite's test file (writes are serialised: IMMEDIATE
transactions wait up to the busy timeout).
"""

import pytest
from django.db import connection
from django_scopes import scope, scopes_disabled

from cycles import services
from cycles.models import Cycle, ProblemOfPractice
from cycles.tests.factories import problem
from jel.tests.concurrency import race_editors

EDITORS = 20

pytestmark = pytest.mark.django_db(transaction=True)


def _figures(what, outcomes, before, after, final_text, text_of):
    """Print and return (saved, stale, lost): a lost write is a save told
    "saved" whose text is not the one kept."""
    saved = [n for n, outcome in outcomes.items() if outcome == "saved"]
    stale = [n for n, outcome in outcomes.items() if outcome == "stale"]
    lost = sum(1 for n in saved if text_of(n) != final_text)
    print(
        f"\n{what} on {connection.vendor}: {EDITORS} editors, {len(saved)} saved, "
        f"{len(stale)} refused as stale, {lost} lost writes; "
        f"version {before} -> {after}"
    )
    return saved, stale, lost


def test_twenty_editors_of_one_problem_one_wins_nineteen_are_told(cast):
    with scope(school=cast.school):
        found = problem(cast.school, cast.principal)
    start = found.version

    def load():
        return ProblemOfPractice.objects.get(pk=found.pk)

    def text_of(number):
        return f"What is the evidence that students of editor {number} ...?"

    def save(mine, number, seen):
        services.problem_update(
            problem=mine,
            by=cast.principal,
            question=text_of(number),
            seen_version=seen,
        )

    outcomes = race_editors(cast.school, EDITORS, load, save)
    with scopes_disabled():
        final = ProblemOfPractice.objects.get(pk=found.pk)
        versions = final.versions.count()
    saved, stale, lost = _figures(
        "Problem of practice", outcomes, start, final.version, final.question, text_of
    )
    assert len(saved) == 1
    assert len(stale) == EDITORS - 1
    # 0 lost writes: the kept text is the one save that was told it was saved.
    assert lost == 0
    assert final.version == start + 1
    assert versions == 2  # the first text and the winner's, nothing else


def test_twenty_editors_of_one_cycle_one_wins_nineteen_are_told(cast):
    with scope(school=cast.school):
        cycle = services.cycle_create(
            school=cast.school, by=cast.principal, kind="lab", title="Shared plan"
        )
    start = cycle.version

    def load():
        return Cycle.objects.get(pk=cycle.pk)

    def text_of(number):
        return (f"Plan of editor {number}", f"Focus of editor {number}")

    def save(mine, number, seen):
        title, focus = text_of(number)
        services.cycle_update(
            cycle=mine, by=cast.principal, seen_version=seen, title=title, focus=focus
        )

    outcomes = race_editors(cast.school, EDITORS, load, save)
    with scopes_disabled():
        final = Cycle.objects.get(pk=cycle.pk)
    saved, stale, lost = _figures(
        "Cycle plan",
        outcomes,
        start,
        final.version,
        (final.title, final.focus),
        text_of,
    )
    assert len(saved) == 1
    assert len(stale) == EDITORS - 1
    assert lost == 0
    assert final.version == start + 1
