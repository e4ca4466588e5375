"""The term planner's solver on small schools whose best plans are known."""

import pytest
from django_scopes import scope

from cycles.planner import baseline, explain, solver
from cycles.planner.inputs import read_inputs
from cycles.planner.proposal import figures_of
from cycles.tests.planner_school import FOUR, small_school


def _plan(cast, people, intentions, **school):
    users, term, _built = small_school(cast.school, people, **school)
    with scope(school=cast.school):
        inputs = read_inputs(school=cast.school, term=term, intentions=intentions)
    by_hand = baseline.baseline_plan(inputs)
    visits, status, _seconds = solver.solve(inputs, hint=by_hand, time_limit=10)
    return users, inputs, visits, by_hand, status


@pytest.mark.django_db
def test_each_teacher_observes_once_with_no_substitute(cast):
    users, inputs, visits, by_hand, status = _plan(cast, FOUR, {"observe_at_least": 1})
    solved = figures_of(inputs, visits)
    assert status == "OPTIMAL"
    assert solved["shortfalls"] == []
    assert solved["substitutes"] == 0
    # Ben, Cal and Dee teach while they observe: Ann covers each, on 3 days.
    assert solved["coverage_periods"] == 3
    assert {v.cover for v in visits if v.cover} == {users["Ann"].pk}
    # By hand, Cal is put on Monday while Ann observes: a substitute.
    assert figures_of(inputs, by_hand)["substitutes"] == 1


@pytest.mark.django_db
def test_the_weekly_cover_cap_is_never_exceeded(cast):
    users, inputs, visits, by_hand, _status = _plan(
        cast, FOUR, {"observe_at_least": 1, "cover_cap_week": 1}
    )
    solved = figures_of(inputs, visits)
    covers = [v for v in visits if v.cover]
    assert len(covers) == 1 and covers[0].cover == users["Ann"].pk
    # Three observers teach then, Ann may cover one: two substitutes, no fewer.
    assert solved["substitutes"] == 2
    assert figures_of(inputs, by_hand)["substitutes"] >= 2
    for plan in (visits, by_hand):
        assert sum(1 for v in plan if v.cover == users["Ann"].pk) <= 1


@pytest.mark.django_db
def test_no_pair_twice_and_one_visit_a_day(cast):
    _users, inputs, visits, _by_hand, _status = _plan(
        cast, FOUR, {"observe_at_least": 2, "host_at_least": 1}
    )
    pairs = [(v.observer, v.host) for v in visits]
    assert len(pairs) == len(set(pairs))
    days = {}
    for v in visits:
        for person in (v.observer, v.host):
            day = (person, inputs.slots[v.slot].date)
            assert day not in days, "someone has two visits in a day"
            days[day] = v


@pytest.mark.django_db
def test_an_impossible_intention_names_what_blocks_it(cast):
    users, inputs, visits, _by_hand, status = _plan(cast, FOUR, {"observe_at_least": 4})
    solved = figures_of(inputs, visits)
    assert status == "OPTIMAL"
    # Worked by hand: Ann never teaches in period 2, so nobody observes her;
    # a day holds two visits only with Ann in one, so five days hold 8 visits
    # at most. 16 observations asked: short by 8, Ann by exactly one.
    assert len(visits) == 8
    assert sum(s["short"] for s in solved["shortfalls"]) == 8
    short = {s["who"]: s["short"] for s in solved["shortfalls"]}
    assert short[users["Ann"].pk] == 1
    blocked = explain.explain(inputs, visits)
    ann = next(b for b in blocked if "Ann Able" in b["message"])
    assert ann["constraint"] == "too_few_hosts"
    assert ann["message"] == (
        "Ann Able: cannot observe 4 colleagues; can see only 3 colleagues teach "
        "(no pair twice). Short by 1 visit."
    )


@pytest.mark.django_db
def test_no_window_in_a_week_blocks_weekly_micro_observations(cast):
    import datetime as dt

    people = FOUR
    _users, inputs, visits, _by_hand, _status = _plan(
        cast,
        people,
        {"weekly_for_new": True},
        end=dt.date(2026, 12, 18),
        window_end=dt.date(2026, 12, 11),
    )
    # The window is only the first week; Ben and Dee are new teachers.
    blocked = explain.explain(inputs, visits)
    assert any(
        b["constraint"] == "no_window_week" and "Ben Brook" in b["message"]
        for b in blocked
    )


@pytest.mark.django_db
def test_substitutes_are_explained_per_department_and_day_type(cast):
    _users, inputs, visits, _by_hand, _status = _plan(
        cast, FOUR, {"observe_at_least": 1, "cover_cap_week": 0}
    )
    assert figures_of(inputs, visits)["substitutes"] == 3
    messages = [b["message"] for b in explain.explain(inputs, visits)]
    assert (
        "Science has 0 planning periods on Regular days inside the windows: "
        "2 teachers cannot observe without a substitute (no colleague is free to "
        "cover under the cap of 0 covers a week)." in messages
    )
    assert any(m.startswith("English has 0 planning periods") for m in messages)


EIGHT = [
    ("Ann Able", [1, 3, 4, 5, 6, 7], 10, "Mathematics"),
    ("Ben Brook", [1, 2, 4, 5, 6, 7], 1, "Science"),
    ("Cal Cole", [1, 2, 3, 5, 6, 7], 12, "Science"),
    ("Dee Dale", [2, 3, 4, 5, 6, 7], 2, "English"),
    ("Eve East", [1, 2, 3, 4, 6, 7], 0, "English"),
    ("Fay Ford", [1, 2, 3, 4, 5, 7], 8, "Arts"),
    ("Gus Gray", [1, 2, 3, 4, 5, 6], 1, "Arts"),
    ("Hal Hill", [1, 2, 3, 4, 5, 6, 7], 15, "Mathematics"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "people,intentions",
    [
        (FOUR, {"observe_at_least": 2, "host_at_least": 1}),
        (FOUR, {"observe_at_least": 1, "cover_cap_week": 1}),
        (EIGHT, {"observe_at_least": 2, "host_at_least": 1, "weekly_for_new": True}),
        (EIGHT, {"observe_at_least": 3, "cover_cap_week": 1}),
    ],
)
def test_the_solver_is_never_worse_than_the_baseline(cast, people, intentions):
    _users, inputs, visits, by_hand, _status = _plan(
        cast, people, intentions, window_periods=(2, 3, 5)
    )
    solved, manual = figures_of(inputs, visits), figures_of(inputs, by_hand)

    def short(figures):
        return sum(s["short"] for s in figures["shortfalls"])

    assert short(solved) <= short(manual)
    if short(solved) == short(manual):
        assert solved["substitutes"] <= manual["substitutes"]
    if inputs.cover_cap_week is not None:
        weeks = {}
        for v in visits:
            if v.cover:
                key = (v.cover, inputs.slots[v.slot].week)
                weeks[key] = weeks.get(key, 0) + 1
        assert max(weeks.values(), default=0) <= inputs.cover_cap_week
