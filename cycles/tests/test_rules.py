"""The pure planning rules: rotation, pairing, mixed groups, caps, transitions."""

import pytest

from cycles import rules
from cycles.rules import Teacher


def t(id, name, years=5, department="Math", grade=7):
    return Teacher(id=id, name=name, years=years, department=department, grade=grade)


def test_hosts_who_hosted_least_come_first():
    ranked = rules.rank_hosts(
        [t(1, "Ann"), t(2, "Bob"), t(3, "Cy")], {1: 3, 2: 0, 3: 1}
    )
    assert [(teacher.name, n) for teacher, n in ranked] == [
        ("Bob", 0),
        ("Cy", 1),
        ("Ann", 3),
    ]


def test_host_ties_are_broken_by_name():
    ranked = rules.rank_hosts([t(1, "Zed"), t(2, "Amy")], {})
    assert [teacher.name for teacher, _ in ranked] == ["Amy", "Zed"]


def test_new_teachers_are_paired_with_experienced_ones():
    team = [t(1, "New A", 1), t(2, "New B", 0), t(3, "Old C", 20), t(4, "Old D", 12)]
    pairs, left = rules.suggest_pairs(team)
    assert left == []
    for host, guest in pairs:
        assert {host.is_new, guest.is_new} == {True, False}
        assert not host.is_new  # the experienced teacher hosts first


def test_cross_content_pairs_are_preferred():
    team = [
        t(1, "New Math", 1, "Math"),
        t(2, "Old Math", 15, "Math"),
        t(3, "New ELA", 1, "ELA"),
        t(4, "Old ELA", 15, "ELA"),
    ]
    pairs, _ = rules.suggest_pairs(team)
    for host, guest in pairs:
        assert host.department != guest.department


def test_last_times_pairs_are_avoided():
    team = [
        t(1, "New A", 1, "Math"),
        t(2, "Old B", 15, "ELA"),
        t(3, "New C", 1, "Math"),
        t(4, "Old D", 15, "ELA"),
    ]
    first, _ = rules.suggest_pairs(team)
    previous = {frozenset((a.id, b.id)) for a, b in first}
    second, _ = rules.suggest_pairs(team, previous)
    assert {frozenset((a.id, b.id)) for a, b in second}.isdisjoint(previous)


def test_odd_team_leaves_one_teacher_over():
    pairs, left = rules.suggest_pairs([t(1, "A"), t(2, "B"), t(3, "C")])
    assert len(pairs) == 1 and len(left) == 1


def test_mixed_groups_spread_each_grade_across_groups():
    walkers = [t(i, f"T{i}", grade=6 + i % 3) for i in range(9)]
    groups = rules.form_mixed_groups(walkers, size=3, by="grade")
    assert len(groups) == 3
    for group in groups:
        assert sorted(member.grade for member in group) == [6, 7, 8]


def test_mixed_groups_by_department():
    walkers = [t(i, f"T{i}", department=d) for i, d in enumerate("AABBCC")]
    groups = rules.form_mixed_groups(walkers, size=3, by="department")
    assert [len({m.department for m in g}) for g in groups] == [3, 3]


def test_group_size_decides_how_many_groups():
    walkers = [t(i, f"T{i}") for i in range(10)]
    assert len(rules.form_mixed_groups(walkers, size=4)) == 3


def test_swap_cap_names_those_over_it():
    assert rules.over_cap({1: 2, 2: 1, 3: 0}, cap=2) == [1]
    assert rules.over_cap({1: 9}, cap=None) == []


@pytest.mark.parametrize(
    "start,end,allowed",
    [
        ("draft", "scheduled", True),
        ("scheduled", "in_progress", True),
        ("in_progress", "debriefed", True),
        ("debriefed", "closed", True),
        ("draft", "cancelled", True),
        ("scheduled", "cancelled", True),
        ("in_progress", "cancelled", False),
        ("draft", "closed", False),
        ("closed", "draft", False),
        ("cancelled", "scheduled", False),
    ],
)
def test_status_moves(start, end, allowed):
    assert rules.can_move(start, end) is allowed
