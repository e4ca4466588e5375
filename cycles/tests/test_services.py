"""Each cycle type's rules, enforced by the services with field errors."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from cycles import selectors, services
from cycles.models import (
    Cycle,
    CycleParticipant,
    CycleTransition,
    Debrief,
    LookFor,
    Visit,
)
from cycles.tests.factories import problem

pytestmark = pytest.mark.django_db

T = dt.time(9, 0)


def rounds(cast, teachers, pop, day, **extra):
    options = {
        "school": cast.school,
        "by": cast.principal,
        "kind": "rounds",
        "title": "Writing rounds",
        "problem_of_practice": pop,
        "facilitator": cast.coach,
        "hosts": [teachers["old_math"], teachers["old_ela"]],
        "observers": [teachers["new_math"], teachers["new_ela"], teachers["mid_sci"]],
        "look_fors": list(pop.look_fors.all()) if pop else [],
        "visit_date": day,
        "start_time": T,
    }
    options.update(extra)
    return services.cycle_create(**options)


def run_to_closed(cycle, by):
    """Take a scheduled cycle through its visits and a held debrief to closed."""
    services.cycle_transition(cycle=cycle, to_status="in_progress", by=by)
    for debrief in cycle.debriefs.all():
        services.debrief_record(debrief=debrief, by=by, held_at=timezone.now())
    for status in ("debriefed", "closed"):
        services.cycle_transition(cycle=cycle, to_status=status, by=by)


def test_cycle_is_debriefed_only_once_the_debrief_is_held(
    scoped, teachers, ready_problem, visit_day
):
    cycle = rounds(scoped, teachers, ready_problem, visit_day, schedule=True)
    services.cycle_transition(cycle=cycle, to_status="in_progress", by=scoped.coach)
    with pytest.raises(ValidationError) as excinfo:
        services.cycle_transition(cycle=cycle, to_status="debriefed", by=scoped.coach)
    assert "Record the debrief first" in excinfo.value.message_dict["held_at"][0]


def test_lab_reflection_is_due_right_after_the_lesson(scoped, teachers, visit_day):
    cycle = lab(scoped, teachers, visit_day)
    services.host_respond(cycle=cycle, user=teachers["old_ela"], accept=True)
    services.cycle_schedule(cycle=cycle, by=scoped.coach)
    visit = cycle.visits.get()
    debrief = cycle.debriefs.get()
    # Booked with its people at the first time after the lesson when all are
    # free (Vera teaches on after 09:30; see test_debrief_defaults.py).
    assert debrief.booking is not None
    assert debrief.due_at == debrief.booking.starts_at >= visit.ends_at


def errors_of(excinfo):
    return excinfo.value.message_dict


# --- Problems of practice --------------------------------------------------


def test_draft_problem_may_leave_checks_unticked(scoped):
    pop = problem(scoped.school, scoped.principal, checks=["check_observable"])
    assert not pop.passes_all_checks
    assert "High-leverage" in pop.unchecked()


def test_rounds_cannot_be_scheduled_with_a_problem_failing_checks(
    scoped, teachers, visit_day
):
    pop = problem(scoped.school, scoped.principal, checks=["check_observable"])
    cycle = rounds(scoped, teachers, pop, visit_day)
    with pytest.raises(ValidationError) as excinfo:
        services.cycle_schedule(cycle=cycle, by=scoped.principal)
    message = errors_of(excinfo)["problem_of_practice"][0]
    assert "all five quality checks" in message
    assert "Actionable" in message
    cycle.refresh_from_db()
    assert cycle.status == "draft"


def test_rounds_need_a_problem_of_practice(scoped, teachers, visit_day):
    with pytest.raises(ValidationError) as excinfo:
        rounds(scoped, teachers, None, visit_day, look_fors=[])
    assert "problem_of_practice" in errors_of(excinfo)
    assert Cycle.objects.count() == 0


def test_rounds_with_a_sound_problem_are_scheduled_and_recorded(
    scoped, teachers, ready_problem, visit_day
):
    cycle = rounds(scoped, teachers, ready_problem, visit_day, schedule=True)
    assert cycle.status == "scheduled"
    move = CycleTransition.objects.get(cycle=cycle)
    assert (move.from_status, move.to_status, move.by) == (
        "draft",
        "scheduled",
        scoped.principal,
    )
    visits = list(cycle.visits.order_by("starts_at"))
    assert [v.host for v in visits] == [teachers["old_math"], teachers["old_ela"]]
    # Both classrooms in one block, one after the other.
    assert visits[1].starts_at - visits[0].starts_at == dt.timedelta(minutes=20)
    assert visits[0].observers.count() == 3


def test_rounds_need_several_host_classrooms(
    scoped, teachers, ready_problem, visit_day
):
    cycle = rounds(
        scoped, teachers, ready_problem, visit_day, hosts=[teachers["old_math"]]
    )
    with pytest.raises(ValidationError) as excinfo:
        services.cycle_schedule(cycle=cycle, by=scoped.principal)
    assert "two or more hosts" in errors_of(excinfo)["hosts"][0]


def test_rounds_visits_last_ten_to_fifteen_minutes(
    scoped, teachers, ready_problem, visit_day
):
    with pytest.raises(ValidationError) as excinfo:
        rounds(scoped, teachers, ready_problem, visit_day, minutes=30)
    assert "10-15" in errors_of(excinfo)["minutes"][0]
    assert Cycle.objects.count() == 0


def test_editing_a_problem_keeps_the_old_text_on_a_closed_cycle(
    scoped, teachers, ready_problem, visit_day
):
    closed = rounds(scoped, teachers, ready_problem, visit_day, schedule=True)
    run_to_closed(closed, scoped.coach)
    open_one = rounds(scoped, teachers, ready_problem, visit_day, title="Open")
    old_question = ready_problem.question
    services.problem_update(
        problem=ready_problem,
        by=scoped.principal,
        question="A sharper question?",
        checks=[],
    )
    closed.refresh_from_db()
    open_one.refresh_from_db()
    assert closed.problem_version.question == old_question
    assert open_one.problem_version.question == "A sharper question?"
    assert ready_problem.versions.count() == 2


# --- Look-fors --------------------------------------------------------------


def test_unused_look_for_is_deleted_and_used_one_archived(
    scoped, teachers, ready_problem, visit_day
):
    spare = services.look_for_create(
        school=scoped.school,
        by=scoped.coach,
        text="Students ask questions",
        kind="oral",
    )
    assert services.look_for_remove(look_for=spare, by=scoped.coach) == "deleted"
    rounds(scoped, teachers, ready_problem, visit_day)
    used = ready_problem.look_fors.first()
    assert services.look_for_remove(look_for=used, by=scoped.coach) == "archived"
    assert LookFor.objects.get(pk=used.pk).is_archived


def test_look_for_needs_a_kind(scoped):
    with pytest.raises(ValidationError) as excinfo:
        services.look_for_create(
            school=scoped.school, by=scoped.coach, text="x", kind="smell"
        )
    assert "kind" in errors_of(excinfo)


def test_look_fors_keep_their_order_and_move(scoped, ready_problem):
    first, second, third = ready_problem.look_fors.order_by("position")
    services.look_for_move(look_for=third, by=scoped.coach, up=True)
    assert list(ready_problem.look_fors.order_by("position")) == [first, third, second]


# --- Status machine ---------------------------------------------------------


def test_illegal_transition_is_refused(scoped, teachers, ready_problem, visit_day):
    cycle = rounds(scoped, teachers, ready_problem, visit_day)
    with pytest.raises(ValidationError) as excinfo:
        services.cycle_transition(cycle=cycle, to_status="closed", by=scoped.coach)
    assert "cannot become closed" in errors_of(excinfo)["status"][0]


def test_cancel_from_draft_is_recorded(scoped, teachers, ready_problem, visit_day):
    cycle = rounds(scoped, teachers, ready_problem, visit_day)
    services.cycle_transition(cycle=cycle, to_status="cancelled", by=scoped.coach)
    assert list(cycle.transitions.values_list("to_status", "by")) == [
        ("cancelled", scoped.coach.pk)
    ]


def test_closed_cycle_cannot_be_edited(scoped, teachers, ready_problem, visit_day):
    cycle = rounds(scoped, teachers, ready_problem, visit_day, schedule=True)
    run_to_closed(cycle, scoped.coach)
    cycle.refresh_from_db()
    with pytest.raises(ValidationError):
        services.cycle_update(cycle=cycle, by=scoped.coach, title="New")


# --- Rotation ---------------------------------------------------------------


def test_host_suggestions_rank_who_hosted_least_this_year(
    scoped, teachers, ready_problem, visit_day
):
    rounds(scoped, teachers, ready_problem, visit_day)  # old_math, old_ela host
    rounds(
        scoped,
        teachers,
        ready_problem,
        visit_day,
        hosts=[teachers["old_math"], teachers["mid_ss"]],
    )
    ranked = selectors.host_rotation(
        school=scoped.school,
        day=visit_day,
        candidates=[
            teachers["old_math"],
            teachers["old_ela"],
            teachers["mid_ss"],
            teachers["mid_sci"],
        ],
    )
    assert [(u.full_name, n) for u, n in ranked] == [
        ("Sam Science", 0),
        ("Sia Social", 1),
        ("Vera Veteran", 1),
        ("Olga Old", 2),
    ]


def test_hosting_last_school_year_does_not_count(scoped, teachers, ready_problem):
    rounds(scoped, teachers, ready_problem, dt.date(2026, 5, 1))
    ranked = dict(
        selectors.host_rotation(
            school=scoped.school,
            day=dt.date(2026, 11, 1),
            candidates=[teachers["old_math"]],
        )
    )
    assert ranked[teachers["old_math"]] == 0


# --- Labs -------------------------------------------------------------------


def lab(cast, teachers, day, **extra):
    options = {
        "school": cast.school,
        "by": cast.coach,
        "kind": "lab",
        "title": "Discourse lab",
        "facilitator": cast.coach,
        "hosts": [teachers["old_ela"]],
        "observers": [teachers["new_ela"], teachers["new_math"]],
        "prebrief_goal": "Students build on each other's ideas",
        "visit_date": day,
        "start_time": T,
        "minutes": 30,
    }
    options.update(extra)
    return services.cycle_create(**options)


def test_lab_host_must_opt_in_before_scheduling(scoped, teachers, visit_day):
    cycle = lab(scoped, teachers, visit_day)
    with pytest.raises(ValidationError) as excinfo:
        services.cycle_schedule(cycle=cycle, by=scoped.coach)
    assert "has not agreed to host" in errors_of(excinfo)["hosts"][0]
    services.host_respond(cycle=cycle, user=teachers["old_ela"], accept=True)
    assert services.cycle_schedule(cycle=cycle, by=scoped.coach).status == "scheduled"


def test_lab_host_who_declines_blocks_scheduling_and_is_named(
    scoped, teachers, visit_day
):
    cycle = lab(scoped, teachers, visit_day)
    services.host_respond(cycle=cycle, user=teachers["old_ela"], accept=False)
    with pytest.raises(ValidationError) as excinfo:
        services.cycle_schedule(cycle=cycle, by=scoped.coach)
    assert "Vera Veteran declined to host" in errors_of(excinfo)["hosts"][0]


def test_only_a_host_can_answer_for_hosting(scoped, teachers, visit_day):
    cycle = lab(scoped, teachers, visit_day)
    with pytest.raises(ValidationError):
        services.host_respond(cycle=cycle, user=teachers["new_ela"], accept=True)


def test_lab_needs_a_prebrief_goal_and_defaults_follow_up_to_14_days(
    scoped, teachers, visit_day
):
    cycle = lab(scoped, teachers, visit_day, prebrief_goal="")
    assert cycle.follow_up_days == 14
    services.host_respond(cycle=cycle, user=teachers["old_ela"], accept=True)
    with pytest.raises(ValidationError) as excinfo:
        services.cycle_schedule(cycle=cycle, by=scoped.coach)
    assert "prebrief_goal" in errors_of(excinfo)


def test_labs_chain_into_a_series(scoped, teachers, visit_day):
    series = services.lab_series_create(
        school=scoped.school,
        by=scoped.coach,
        title="Talk moves",
        inquiry="How do talk moves deepen reasoning?",
    )
    lab(scoped, teachers, visit_day, series=series)
    lab(scoped, teachers, visit_day + dt.timedelta(days=14), series=series)
    assert series.cycles.count() == 2


# --- Swap days --------------------------------------------------------------


def swap(cast, members, day, **extra):
    options = {
        "school": cast.school,
        "by": cast.principal,
        "kind": "swap",
        "title": "Swap day",
        "facilitator": cast.coach,
        "hosts": members,
        "visit_date": day,
        "start_time": T,
        "starts_on": day,
    }
    options.update(extra)
    return services.cycle_create(**options)


def test_swap_day_pairs_new_with_experienced_across_content(
    scoped, teachers, visit_day
):
    members = [teachers[k] for k in ("new_math", "old_math", "new_ela", "old_ela")]
    cycle = swap(scoped, members, visit_day)
    pairs = {
        frozenset((v.host.full_name, v.observers.get().full_name))
        for v in cycle.visits.all()
    }
    assert pairs == {
        frozenset(("Nia New", "Vera Veteran")),
        frozenset(("Ned Novice", "Olga Old")),
    }
    assert cycle.visits.count() == 4  # each pair visits each other


def test_swap_day_avoids_last_times_pairs(scoped, teachers, visit_day):
    members = [teachers[k] for k in ("new_math", "old_math", "new_ela", "old_ela")]
    first = swap(scoped, members, visit_day)
    second = swap(scoped, members, visit_day + dt.timedelta(days=30))

    def pairs(cycle):
        return {
            frozenset((v.host_id, v.observers.get().pk)) for v in cycle.visits.all()
        }

    assert pairs(first).isdisjoint(pairs(second))


def test_swap_cap_refuses_a_plan_and_names_who(scoped, teachers, visit_day):
    services.cycle_settings_update(
        school=scoped.school, by=scoped.principal, swap_days_cap_per_teacher_per_year=1
    )
    members = [teachers["new_math"], teachers["old_ela"]]
    swap(scoped, members, visit_day, schedule=True)
    second = swap(
        scoped,
        [teachers["new_math"], teachers["mid_sci"]],
        visit_day + dt.timedelta(days=7),
    )
    with pytest.raises(ValidationError) as excinfo:
        services.cycle_schedule(cycle=second, by=scoped.principal)
    message = errors_of(excinfo)["hosts"][0]
    assert "cap of 1 swap days" in message
    assert "Nia New" in message and "Sam Science" not in message


def test_swap_rotation_target_is_counted(scoped, teachers, visit_day):
    swap(scoped, [teachers["new_math"], teachers["old_ela"]], visit_day)
    found = selectors.swap_rotations_this_semester(school=scoped.school, day=visit_day)
    assert found == {"count": 1, "target": 2, "met": False}


# --- Micro-observations -----------------------------------------------------


def micro(cast, teachers, day, look_fors, **extra):
    options = {
        "school": cast.school,
        "by": cast.coach,
        "kind": "micro",
        "title": "Quick look",
        "facilitator": cast.coach,
        "hosts": [teachers["old_math"]],
        "observers": [teachers["new_math"]],
        "look_fors": look_fors,
        "visit_date": day,
        "start_time": T,
        "minutes": 12,
    }
    options.update(extra)
    return services.cycle_create(**options)


def test_micro_needs_exactly_one_look_for(scoped, teachers, ready_problem, visit_day):
    with pytest.raises(ValidationError) as excinfo:
        micro(scoped, teachers, visit_day, list(ready_problem.look_fors.all()))
    assert "exactly one look-for" in errors_of(excinfo)["look_fors"][0]


def test_micro_debrief_is_due_24_hours_after_the_visit_and_flagged_when_late(
    scoped, teachers, ready_problem, visit_day
):
    cycle = micro(scoped, teachers, visit_day, [ready_problem.look_fors.first()])
    debrief = Debrief.objects.get(cycle=cycle)
    visit = Visit.objects.get(cycle=cycle)
    assert debrief.due_at == visit.starts_at + dt.timedelta(minutes=12, hours=24)
    with time_machine.travel(debrief.due_at - dt.timedelta(minutes=1)):
        assert not debrief.is_overdue
    with time_machine.travel(debrief.due_at + dt.timedelta(minutes=1)):
        assert debrief.is_overdue
        assert list(selectors.debriefs_overdue(school=scoped.school)) == [debrief]
        debrief.held_at = timezone.now()
        assert not debrief.is_overdue


def test_micro_suggests_the_reciprocal_visit(
    scoped, teachers, ready_problem, visit_day
):
    look_for = ready_problem.look_fors.first()
    cycle = micro(scoped, teachers, visit_day, [look_for])
    suggestion = selectors.micro_reciprocal_suggestion(cycle=cycle)
    assert suggestion["host"] == teachers["new_math"]
    assert suggestion["observer"] == teachers["old_math"]
    micro(
        scoped,
        teachers,
        visit_day + dt.timedelta(days=2),
        [look_for],
        hosts=[teachers["new_math"]],
        observers=[teachers["old_math"]],
    )
    assert selectors.micro_reciprocal_suggestion(cycle=cycle) is None


# --- Learning walks ---------------------------------------------------------


def walk(cast, teachers, day, **extra):
    options = {
        "school": cast.school,
        "by": cast.principal,
        "kind": "walk",
        "title": "Walk",
        "facilitator": cast.coach,
        "initiative": "Student discourse",
        "grouping": "grade",
        "group_size": 3,
        "hosts": [teachers["mid_ss"]],
        "observers": [
            teachers[k]
            for k in ("new_math", "old_math", "new_ela", "old_ela", "mid_sci")
        ],
        "visit_date": day,
        "start_time": T,
    }
    options.update(extra)
    return services.cycle_create(**options)


def test_walk_needs_an_initiative(scoped, teachers, visit_day):
    with pytest.raises(ValidationError) as excinfo:
        walk(scoped, teachers, visit_day, initiative="")
    assert "initiative" in errors_of(excinfo)


def test_walk_forms_mixed_grade_groups(scoped, teachers, visit_day):
    cycle = walk(scoped, teachers, visit_day)
    groups = selectors.walk_groups(cycle=Cycle.objects.get(pk=cycle.pk))
    assert len(groups) == 2
    grades = {
        number: {u.memberships.get().profile.grade_levels[0] for u in members}
        for number, members in groups.items()
    }
    assert all(len(found) >= 2 for found in grades.values())


def test_walk_debrief_needs_one_next_step_per_group(scoped, teachers, visit_day):
    cycle = walk(scoped, teachers, visit_day)
    debrief = cycle.debriefs.get()
    with pytest.raises(ValidationError) as excinfo:
        services.debrief_record(
            debrief=debrief,
            by=scoped.coach,
            held_at=timezone.now(),
            group_steps={1: "Post sentence stems"},
        )
    assert "Missing for group 2" in errors_of(excinfo)["group_steps"][0]
    services.debrief_record(
        debrief=debrief,
        by=scoped.coach,
        held_at=timezone.now(),
        group_steps={1: "Post sentence stems", 2: "Wait time after questions"},
    )
    assert debrief.group_steps.count() == 2


def test_rounds_debrief_keeps_the_protocol_fields(
    scoped, teachers, ready_problem, visit_day
):
    cycle = rounds(scoped, teachers, ready_problem, visit_day)
    debrief = services.debrief_record(
        debrief=cycle.debriefs.get(),
        by=scoped.coach,
        held_at=timezone.now(),
        describe="Students read the target aloud",
        analyze="In most rooms...",
        predict="We would learn to copy",
        next_level_of_work="Model revision",
        attendees=[teachers["new_math"]],
    )
    assert debrief.next_level_of_work == "Model revision"
    with pytest.raises(ValidationError):
        services.debrief_record(
            debrief=debrief, by=scoped.coach, next_step="Micro only"
        )


def test_host_part_is_kept_for_lab_host_response(scoped, teachers, visit_day):
    cycle = lab(scoped, teachers, visit_day)
    part = CycleParticipant.objects.get(cycle=cycle, role="host")
    assert part.host_response == "pending"
