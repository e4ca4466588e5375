"""The ESSA rules alone, without the database."""

from jel import essa


def _results(**figures):
    return {r["key"]: r for r in essa.teacher_results(essa.LearningFigures(**figures))}


def test_one_day_event_is_not_sustained():
    results = _results(cycles_joined=1, weeks_spanned=1)
    assert results["sustained"]["met"] is False
    assert results["sustained"]["figures"] == "1 cycle joined over 1 week"


def test_two_cycles_over_six_weeks_are_sustained():
    assert _results(cycles_joined=2, weeks_spanned=6)["sustained"]["met"] is True
    assert _results(cycles_joined=2, weeks_spanned=5)["sustained"]["met"] is False


def test_hours_count_visit_minutes_and_debriefs():
    results = _results(visit_minutes=150, debriefs_attended=1)
    assert results["intensive"]["met"] is True
    assert results["intensive"]["figures"] == "3 hours (150 visit minutes, 1 debrief)"
    assert _results(visit_minutes=149, debriefs_attended=1)["intensive"]["met"] is False


def test_job_embedded_needs_own_classroom_tie():
    assert _results(visits_observed=2)["job_embedded"]["met"] is False
    assert _results(visits_observed=2, goals_set=1)["job_embedded"]["met"] is True
    assert _results(visits_observed=1, visits_hosted=1)["job_embedded"]["met"] is True


def test_collaborative_data_driven_and_classroom_focused_thresholds():
    results = _results(colleagues=3, evidence_entries=5, visits_observed=3)
    assert results["collaborative"]["met"] is True
    assert results["data_driven"]["met"] is True
    assert results["classroom_focused"]["met"] is True
    results = _results(colleagues=2, evidence_entries=4, visits_observed=2)
    assert not any(
        results[k]["met"] for k in ("collaborative", "data_driven", "classroom_focused")
    )


def test_every_result_states_its_rule():
    for result in essa.teacher_results(essa.LearningFigures()):
        assert result["rule"]
        assert result["met"] is False


def test_school_meets_a_criterion_when_half_its_teachers_do():
    meets = essa.LearningFigures(visits_observed=3)
    does_not = essa.LearningFigures()
    results = {r["key"]: r for r in essa.school_results([meets, does_not])}
    assert results["classroom_focused"]["met"] is True
    assert results["classroom_focused"]["figures"] == "1 of 2 teachers (50%)"
    results = {r["key"]: r for r in essa.school_results([meets, does_not, does_not])}
    assert results["classroom_focused"]["met"] is False


def test_school_with_no_teachers_meets_nothing():
    assert not any(r["met"] for r in essa.school_results([]))


def test_a_quarter_hour_rounds_up_to_three_tenths():
    figures = essa.LearningFigures(visit_minutes=15)
    assert figures.hours == 0.3
    assert _results(visit_minutes=15)["intensive"]["figures"] == (
        "0.3 hours (15 visit minutes, 0 debriefs)"
    )
