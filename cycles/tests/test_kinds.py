"""Every cycle type has one complete spec; adding a type means adding one here."""

import dataclasses

import pytest

from cycles.forms import COMMON_FIELDS, CycleForm
from cycles.kinds import (
    DEBRIEF_LABELS,
    KINDS,
    VISIT_MINUTES_ANY,
    DebriefDue,
    Layout,
    Organizer,
    spec_for,
)
from cycles.models import Cycle, Debrief


def test_every_cycle_kind_has_a_spec_and_every_spec_a_kind():
    assert set(KINDS) == set(Cycle.Kind.values)
    for kind, spec in KINDS.items():
        assert spec.kind == kind
        assert spec_for(kind) is spec


@pytest.mark.parametrize("kind", Cycle.Kind.values)
def test_each_spec_is_complete(kind):
    spec = spec_for(kind)
    assert spec.label == Cycle.Kind(kind).label
    assert spec.rules and all(rule.strip() for rule in spec.rules)
    assert spec.hosts.label and spec.hosts.heading
    assert spec.hosts.fewest == 0 or spec.hosts.fewest_message
    assert spec.hosts.most is None or spec.hosts.most_message
    assert spec.observers.label
    assert not spec.problem.required or spec.problem.required_message
    assert spec.look_fors.exactly is None or (
        spec.look_fors.draft_message and spec.look_fors.schedule_message
    )
    low, high = VISIT_MINUTES_ANY
    assert low <= spec.minutes.low <= spec.minutes.high <= high
    assert spec.layout in (Layout.BLOCK, Layout.PAIRS, Layout.GROUPS)
    assert spec.organizer in (Organizer.ENTRIES, Organizer.WHAT_SO_WHAT_NOW_WHAT)
    assert spec.debrief.heading
    assert spec.debrief.fields
    assert set(spec.debrief.fields) <= set(DEBRIEF_LABELS)
    debrief_fields = {f.name for f in Debrief._meta.get_fields()}
    assert set(spec.debrief.fields) <= debrief_fields
    assert spec.debrief.due in (
        DebriefDue.AFTER_VISITS,
        DebriefDue.AFTER_LESSON,
        DebriefDue.PER_VISIT,
    )
    assert spec.debrief.due != DebriefDue.PER_VISIT or spec.debrief.due_hours
    assert not spec.prebrief or spec.prebrief_goal_message
    assert not spec.needs_initiative or spec.schedule_initiative_message
    assert spec.reflection_prompts
    assert set(spec.fields) <= set(CycleForm.base_fields)


def test_specs_cannot_be_changed_at_run_time():
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec_for(Cycle.Kind.LAB).rules = ()


def test_an_unknown_kind_says_where_to_add_it():
    with pytest.raises(ValueError, match="add one to KINDS"):
        spec_for("lesson_study")


@pytest.mark.django_db
@pytest.mark.parametrize("kind", Cycle.Kind.values)
def test_the_planner_asks_what_the_spec_names(scoped, kind):
    spec = spec_for(kind)
    form = CycleForm(school=scoped.school, kind=kind)
    wanted = set(COMMON_FIELDS) | set(spec.fields)
    if not spec.observers.asked:
        wanted.discard("observers")
    if not spec.observers.cover:
        wanted.discard("arrange_cover")
    # Besides what it asks: the new plan's one-time token (a double submit is
    # one cycle), a hidden field nobody fills in.
    assert set(form.fields) == wanted | {"creation_token"}
    assert form.fields["hosts"].label == spec.hosts.label
    if "problem_of_practice" in form.fields:
        assert form.fields["problem_of_practice"].required is spec.problem.required
