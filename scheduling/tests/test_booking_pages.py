"""A booking's page, cancelling it, changing its coverage; the coverage plan."""

from django.core import mail
from django.urls import reverse
from django_scopes import scope

from scheduling.models import Booking
from scheduling.services import SUBSTITUTE, booking_plan
from scheduling.tests.conftest import TUESDAY


def _visit(sched, cast, cover=SUBSTITUTE):
    with scope(school=sched.school):
        return booking_plan(
            school=sched.school,
            by=cast.principal,
            kind=Booking.Kind.VISIT,
            title="Visit to Hope",
            date=TUESDAY,
            period=sched.periods[3],
            host=sched.host,
            observers=[sched.observer],
            coverage={sched.observer: cover},
        )


def test_participant_sees_the_booking_but_not_planner_controls(login, sched, cast):
    visit = _visit(sched, cast)
    page = login(sched.observer).get(
        reverse("scheduling:booking_detail", args=[visit.pk])
    )
    html = page.content.decode()
    assert "Visit to Hope" in html and "Tuesday 1 December 2026, 09:50-10:05" in html
    assert "Cancel this booking" not in html


def test_teacher_not_involved_gets_404(login, sched, cast):
    visit = _visit(sched, cast)
    response = login(sched.bo).get(
        reverse("scheduling:booking_detail", args=[visit.pk])
    )
    # As another school's booking: the address does not confirm it exists.
    assert response.status_code == 404


def test_cancel_marks_the_booking_cancelled(login, sched, cast):
    visit = _visit(sched, cast)
    client = login(cast.principal)
    client.post(reverse("scheduling:booking_cancel", args=[visit.pk]))
    page = client.get(reverse("scheduling:booking_detail", args=[visit.pk]))
    assert "Cancelled" in page.content.decode()


def test_assigning_a_free_colleague_replaces_the_substitute(login, sched, cast):
    visit = _visit(sched, cast)
    with scope(school=sched.school):
        cover = visit.coverages.get()
    client = login(cast.principal)
    client.post(
        reverse("scheduling:coverage_assign", args=[cover.pk]),
        {f"cover-{cover.pk}-covered_by": sched.bo.pk},
    )
    page = client.get(reverse("scheduling:booking_detail", args=[visit.pk]))
    assert "Bo Baker</strong> covers Omar Haddad" in page.content.decode()


def test_assigning_someone_busy_is_refused_with_a_message(login, sched, cast):
    visit = _visit(sched, cast)
    with scope(school=sched.school):
        cover = visit.coverages.get()
    client = login(cast.principal)
    response = client.post(
        reverse("scheduling:coverage_assign", args=[cover.pk]),
        {f"cover-{cover.pk}-covered_by": cast.teacher.pk},
        follow=True,
    )
    assert "Choose a colleague who is free then" in response.content.decode()


def test_coverage_plan_lists_the_day_and_emails_the_office(
    login, sched, cast, django_capture_on_commit_callbacks
):
    _visit(sched, cast, cover=sched.ann)
    client = login(cast.principal)
    page = client.get(reverse("scheduling:coverage_plan"), {"date": "2026-12-01"})
    html = page.content.decode()
    assert "Coverage plan: Tuesday 1 December 2026" in html
    assert "Haddad class P3" in html and "Ann Able" in html
    # The e-mail goes through the outbox and ships once the request commits
    # (in the request's scope, as the middleware's is in a real request).
    with scope(school=sched.school), django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("scheduling:coverage_email"),
            {"to": "office@school.example.org", "date": "2026-12-01"},
        )
    [sent] = mail.outbox
    assert sent.to == ["office@school.example.org"]
    assert "Coverage plan for Tuesday 1 December" in sent.subject
    assert "Omar Haddad is away; Ann Able covers." in sent.body


def test_coverage_counts_show_who_covered(
    login, sched, cast, django_assert_max_num_queries
):
    _visit(sched, cast, cover=sched.ann)
    client = login(cast.principal)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("scheduling:coverage_counts"))
    assert '<td>Ann Able</td><td class="text-end">1</td>' in page.content.decode()


def _move_data(sched, period, **extra):
    return {
        "date": TUESDAY.isoformat(),
        "period": sched.periods[period].pk,
        "start_time": "",
        "window_override_reason": "",
        **extra,
    }


def test_moving_to_a_free_period_keeps_the_calendar_entry(login, sched, cast):
    visit = _visit(sched, cast, cover=sched.ann)
    client = login(cast.principal)
    form = client.get(reverse("scheduling:booking_move", args=[visit.pk]))
    assert f'value="{sched.periods[3].pk}" selected' in form.content.decode()
    response = client.post(
        reverse("scheduling:booking_move", args=[visit.pk]), _move_data(sched, 5)
    )
    assert response.status_code == 302
    with scope(school=sched.school):
        visit.refresh_from_db()
        assert (visit.period, visit.sequence) == (sched.periods[5], 1)
        # Omar plans in period 5, so the cover is released.
        assert visit.coverages.count() == 0


def test_moving_into_a_conflict_shows_it_and_offers_cover(login, sched, cast):
    visit = _visit(sched, cast, cover=sched.ann)
    client = login(cast.principal)
    page = client.post(
        reverse("scheduling:booking_move", args=[visit.pk]), _move_data(sched, 2)
    ).content.decode()
    # Ann teaches in period 2, so she cannot keep covering.
    assert "Ann Able teaches Able class P2 in Period 2 and cannot cover." in page
    with scope(school=sched.school):
        visit.refresh_from_db()
        assert visit.period == sched.periods[3]


def test_moving_with_a_new_coverer_succeeds(login, sched, cast):
    visit = _visit(sched, cast)
    client = login(cast.principal)
    client.post(
        reverse("scheduling:booking_move", args=[visit.pk]),
        _move_data(sched, 4, **{f"cover_{sched.observer.pk}": cast.teacher.pk}),
    )
    with scope(school=sched.school):
        visit.refresh_from_db()
        assert visit.period == sched.periods[4]
        # Terry plans in period 4 and replaces the substitute.
        assert visit.coverages.get().covered_by == cast.teacher
