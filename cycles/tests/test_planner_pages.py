"""The term planner's pages: plan the term, edit the proposal, accept it."""

import datetime as dt

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from cycles.models import Cycle, LookFor, ProblemOfPractice
from cycles.planner.models import PlannedVisit, TermPlan
from cycles.tests.planner_school import FOUR, small_school
from scheduling.models import Booking, Coverage

pytestmark = pytest.mark.django_db


@pytest.fixture
def school4(cast):
    users, term, built = small_school(cast.school, FOUR)
    with scopes_disabled():
        problem = ProblemOfPractice.objects.create(
            school=cast.school, question="Do students explain their thinking?"
        )
        look_for = LookFor.objects.create(
            school=cast.school,
            problem=problem,
            text="Students explain a step to a partner",
            kind="oral",
        )
    return users, term, built, look_for


def _plan_the_term(client, term, django_capture_on_commit_callbacks, **intentions):
    data = {"term": term.pk, "observe_at_least": 1, "host_at_least": 0}
    data.update(intentions)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("cycles:term_plan_new"), data)
    assert response.status_code == 302
    with scopes_disabled():
        return TermPlan.objects.latest("created_at")


def test_the_principal_plans_the_term_and_sees_the_proposal(
    login, cast, school4, django_capture_on_commit_callbacks
):
    users, term, _built, _look_for = school4
    client = login(cast.principal)
    plan = _plan_the_term(client, term, django_capture_on_commit_callbacks)
    assert plan.status == TermPlan.Status.PROPOSED
    page = client.get(reverse("cycles:term_plan", args=[plan.pk])).content.decode()
    assert 'data-figure="substitutes">0<' in page
    assert 'data-figure="baseline-substitutes">1<' in page
    # Planned for the four teachers of the term (the cast teach nothing).
    with scopes_disabled():
        observers = set(plan.visits.values_list("observer__full_name", flat=True))
    assert observers == {"Ann Able", "Ben Brook", "Cal Cole", "Dee Dale"}
    assert "Ann Able → " in page


def test_a_locked_visit_stays_when_the_plan_is_solved_again(
    login, cast, school4, django_capture_on_commit_callbacks
):
    client = login(cast.principal)
    plan = _plan_the_term(client, school4[1], django_capture_on_commit_callbacks)
    with scopes_disabled():
        visit = plan.visits.order_by("date").last()
        kept = (visit.observer_id, visit.host_id, visit.date, visit.period_id)
    client.post(reverse("cycles:planned_visit_lock", args=[visit.pk]), {"locked": "1"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("cycles:term_plan_resolve", args=[plan.pk]))
    with scopes_disabled():
        plan.refresh_from_db()
        assert plan.status == TermPlan.Status.PROPOSED
        locked = plan.visits.get(locked=True)
    assert (locked.observer_id, locked.host_id, locked.date, locked.period_id) == kept


def test_moving_a_visit_outside_the_windows_is_refused(
    login, cast, school4, django_capture_on_commit_callbacks
):
    users, term, built, _look_for = school4
    client = login(cast.principal)
    plan = _plan_the_term(client, term, django_capture_on_commit_callbacks)
    with scopes_disabled():
        visit = plan.visits.filter(host=users["Ben"]).first() or plan.visits.first()
        before = (visit.date, visit.period_id)
    # The window holds period 2 only: period 1 is no slot to visit in.
    response = client.post(
        reverse("cycles:planned_visit_move", args=[visit.pk]),
        {"date": "2026-12-09", "period": built["periods"][1].pk},
    )
    assert response.status_code == 400
    assert "no class period inside the term" in response.content.decode()
    with scopes_disabled():
        visit.refresh_from_db()
    assert (visit.date, visit.period_id) == before


def test_a_moved_visit_is_locked_in_its_new_slot(
    login, cast, school4, django_capture_on_commit_callbacks
):
    users, term, built, _look_for = school4
    client = login(cast.principal)
    plan = _plan_the_term(client, term, django_capture_on_commit_callbacks)
    with scopes_disabled():
        used = set(plan.visits.values_list("date", flat=True))
        visit = plan.visits.filter(observer=users["Ann"]).get()
    free_day = next(
        term.starts_on + dt.timedelta(days=i)
        for i in range(5)
        if term.starts_on + dt.timedelta(days=i) not in used
    )
    response = client.post(
        reverse("cycles:planned_visit_move", args=[visit.pk]),
        {"date": free_day.isoformat(), "period": built["periods"][2].pk},
    )
    assert response.status_code == 302
    with scopes_disabled():
        visit.refresh_from_db()
    assert (visit.date, visit.locked, visit.covered_by_id) == (free_day, True, None)


def test_accepting_creates_cycles_bookings_and_cover(
    login, cast, school4, django_capture_on_commit_callbacks
):
    users, term, _built, look_for = school4
    client = login(cast.principal)
    plan = _plan_the_term(client, term, django_capture_on_commit_callbacks)
    response = client.post(
        reverse("cycles:term_plan_accept", args=[plan.pk]), {"look_for": look_for.pk}
    )
    assert response.status_code == 302
    with scopes_disabled():
        plan.refresh_from_db()
        assert plan.status == TermPlan.Status.ACCEPTED
        visits = list(plan.visits.all())
        assert all(v.cycle_id for v in visits)
        assert Cycle.objects.filter(school=cast.school, kind="micro").count() == 4
        assert Booking.objects.filter(school=cast.school, kind="visit").count() == 4
        covered = Coverage.objects.filter(
            school=cast.school, covered_by=users["Ann"]
        ).count()
    assert covered == 3
    # A teacher sees the visit on their cycles list.
    page = login(users["Ben"]).get(reverse("cycles:list")).content.decode()
    assert "Visit to" in page


def test_accepting_is_all_or_nothing(
    login, cast, school4, django_capture_on_commit_callbacks
):
    users, term, _built, look_for = school4
    client = login(cast.principal)
    plan = _plan_the_term(client, term, django_capture_on_commit_callbacks)
    with scopes_disabled():
        last = plan.visits.order_by("date").last()
        # Since the plan was made the host's class that day was cancelled: the
        # last visit cannot be booked, so none may be.
        with scope(school=cast.school):
            from scheduling.models import SchoolDay

            SchoolDay.objects.create(
                school=cast.school,
                date=last.date,
                is_school_day=False,
                note="Snow day",
            )
        bookings = Booking.objects.count()
    response = client.post(
        reverse("cycles:term_plan_accept", args=[plan.pk]), {"look_for": look_for.pk}
    )
    assert response.status_code == 400
    assert "Nothing was created." in response.content.decode()
    with scopes_disabled():
        assert Booking.objects.count() == bookings
        assert Cycle.objects.filter(school=cast.school).count() == 0
        plan.refresh_from_db()
        assert plan.status == TermPlan.Status.PROPOSED
        assert not PlannedVisit.objects.filter(cycle__isnull=False).exists()


def test_asking_for_nothing_is_refused_with_a_message(login, cast, school4):
    client = login(cast.principal)
    response = client.post(
        reverse("cycles:term_plan_new"),
        {"term": school4[1].pk, "observe_at_least": 0, "host_at_least": 0},
    )
    assert response.status_code == 200
    assert "Ask for at least one thing" in response.content.decode()
    with scopes_disabled():
        assert not TermPlan.objects.exists()


def test_a_plan_stuck_solving_can_be_solved_again(
    login, cast, school4, django_capture_on_commit_callbacks
):
    client = login(cast.principal)
    with scopes_disabled():
        plan = TermPlan.objects.create(
            school=cast.school,
            term=school4[1],
            intentions={"observe_at_least": 1},
            status=TermPlan.Status.SOLVING,
            progress=40,
        )
    page = client.get(reverse("cycles:term_plan", args=[plan.pk])).content.decode()
    assert "Solving: 40%" in page and "Stuck? Solve again" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("cycles:term_plan_resolve", args=[plan.pk]))
    with scopes_disabled():
        plan.refresh_from_db()
    assert plan.status == TermPlan.Status.PROPOSED
    assert plan.figures["solver"]["visits"] == 4


def test_another_schools_plan_is_not_found(login, cast, school4):
    with scopes_disabled():
        plan = TermPlan.objects.create(
            school=cast.school, term=school4[1], intentions={}, status="proposed"
        )
    client = login(cast.other_principal)
    assert client.get(reverse("cycles:term_plan", args=[plan.pk])).status_code == 404


def test_the_proposal_and_the_list_take_a_fixed_number_of_queries(
    login,
    cast,
    school4,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):
    client = login(cast.principal)
    plan = _plan_the_term(client, school4[1], django_capture_on_commit_callbacks)
    with scopes_disabled():
        # Twice the visits (the same slots, other plan rows) must not cost more.
        for visit in list(plan.visits.all()):
            visit.pk = None
            visit.save()
    with django_assert_max_num_queries(15):
        page = client.get(reverse("cycles:term_plan", args=[plan.pk]))
    assert page.content.decode().count('id="planned-visit-') == 8
    with django_assert_max_num_queries(10):
        client.get(reverse("cycles:term_plans"))
