"""Dashboard pages and their CSV exports. Thin: the figures come from
`dashboards.selectors`, the same ones the API returns."""

import csv
from functools import wraps

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import slugify

from dashboards import selectors as dashboards
from dashboards.forms import DashboardFilterForm
from jel.models import Membership, Role
from jel.permissions import ALL_ROLES, FACILITATORS, role_required

# Coaches and mentors may open a teacher's own ESSA page with them; principals are
# evaluators, and a per-teacher met / not met must never turn into a rating.
COACHES = frozenset({Role.COACH, Role.MENTOR})
DISTRICT = frozenset({Role.DISTRICT})

TRENDS_FIELDS = ("term", "start", "end", "kind", "problem", "department", "by")
PERIOD_FIELDS = ("term", "start", "end")
DISTRICT_FIELDS = ("start", "end", "kind")


def _form(request, fields):
    return DashboardFilterForm(request.GET, school=request.school, fields=fields)


def _query_without_table(request) -> str:
    query = request.GET.copy()
    query.pop("table", None)
    return query.urlencode()


def _csv(report, request, name: str, filters) -> HttpResponse:
    key = request.GET.get("table") or next(iter(report.tables))
    table = report.tables.get(key)
    if table is None:
        raise Http404("No such table on this dashboard.")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"{name}-{key}-{filters.start:%Y%m%d}-{filters.end:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(table.columns)
    writer.writerows(table.text_rows())
    return response


def _page(request, template, report, form, filters, csv_route, active, **extra):
    query = _query_without_table(request)
    return render(
        request,
        template,
        {
            "report": report,
            "form": form,
            "filters": filters,
            "csv_url": f"{reverse(csv_route)}?{query}&table="
            if query
            else f"{reverse(csv_route)}?table=",
            "active_tab": active,
            "threshold": request.school.privacy_threshold,
            **extra,
        },
    )


@role_required(FACILITATORS)
def trends(request):
    form = _form(request, TRENDS_FIELDS)
    filters = form.filters()
    report = dashboards.look_for_trends(school=request.school, filters=filters)
    return _page(
        request,
        "dashboards/trends.html",
        report,
        form,
        filters,
        "dashboards:trends_csv",
        "trends",
    )


@role_required(FACILITATORS)
def trends_csv(request):
    filters = _form(request, TRENDS_FIELDS).filters()
    report = dashboards.look_for_trends(school=request.school, filters=filters)
    return _csv(report, request, "look-for-trends", filters)


@role_required(FACILITATORS)
def participation(request):
    form = _form(request, PERIOD_FIELDS)
    filters = form.filters()
    report = dashboards.participation(school=request.school, filters=filters)
    return _page(
        request,
        "dashboards/participation.html",
        report,
        form,
        filters,
        "dashboards:participation_csv",
        "participation",
    )


@role_required(FACILITATORS)
def participation_csv(request):
    filters = _form(request, PERIOD_FIELDS).filters()
    report = dashboards.participation(school=request.school, filters=filters)
    return _csv(report, request, "participation", filters)


@role_required(FACILITATORS)
def follow_through(request):
    form = _form(request, PERIOD_FIELDS)
    filters = form.filters()
    report = dashboards.follow_through(school=request.school, filters=filters)
    return _page(
        request,
        "dashboards/follow_through.html",
        report,
        form,
        filters,
        "dashboards:follow_through_csv",
        "follow_through",
        overdue=list(
            zip(
                report.tables["overdue"].rows,
                report.extra["overdue_links"],
                strict=True,
            )
        ),
    )


@role_required(FACILITATORS)
def follow_through_csv(request):
    filters = _form(request, PERIOD_FIELDS).filters()
    report = dashboards.follow_through(school=request.school, filters=filters)
    return _csv(report, request, "follow-through", filters)


def _teachers_for_coach(request):
    if request.membership.role not in COACHES:
        return []
    return list(
        Membership.objects.filter(
            school=request.school, is_active=True, role__in=dashboards.TEACHING_ROLES
        )
        .select_related("user")
        .order_by("user__full_name")
    )


@role_required(FACILITATORS)
def essa_school(request):
    form = _form(request, PERIOD_FIELDS)
    filters = form.filters()
    report = dashboards.essa_for_school(school=request.school, filters=filters)
    return _page(
        request,
        "dashboards/essa_school.html",
        report,
        form,
        filters,
        "dashboards:essa_csv",
        "essa",
        teachers=_teachers_for_coach(request),
    )


@role_required(FACILITATORS)
def essa_csv(request):
    filters = _form(request, PERIOD_FIELDS).filters()
    report = dashboards.essa_for_school(school=request.school, filters=filters)
    return _csv(report, request, "essa-school", filters)


@role_required(ALL_ROLES)
def my_learning(request):
    form = _form(request, PERIOD_FIELDS)
    filters = form.filters()
    report = dashboards.essa_for_teacher(
        school=request.school, user=request.user, filters=filters
    )
    return _page(
        request,
        "dashboards/essa_teacher.html",
        report,
        form,
        filters,
        "dashboards:my_learning_csv",
        "mine",
        is_own=True,
    )


@role_required(ALL_ROLES)
def my_learning_csv(request):
    filters = _form(request, PERIOD_FIELDS).filters()
    report = dashboards.essa_for_teacher(
        school=request.school, user=request.user, filters=filters
    )
    return _csv(report, request, "my-learning", filters)


def teacher_in_school(request, user_id):
    membership = (
        Membership.objects.filter(school=request.school, user_id=user_id)
        .select_related("user")
        .first()
    )
    if membership is None:
        raise Http404("No such teacher in this school.")
    return membership.user


def person_in_school_first(view):
    """Another school's person is not found (404) before any role check (403)."""

    @wraps(view)
    def wrapped(request, user_id, *args, **kwargs):
        if request.user.is_authenticated and request.school is not None:
            teacher_in_school(request, user_id)
        return view(request, user_id, *args, **kwargs)

    return wrapped


@person_in_school_first
@role_required(COACHES)
def essa_teacher(request, user_id):
    person = teacher_in_school(request, user_id)
    form = _form(request, PERIOD_FIELDS)
    filters = form.filters()
    report = dashboards.essa_for_teacher(
        school=request.school, user=person, filters=filters
    )
    query = _query_without_table(request)
    csv_base = reverse("dashboards:essa_teacher_csv", args=[person.pk])
    return render(
        request,
        "dashboards/essa_teacher.html",
        {
            "report": report,
            "form": form,
            "filters": filters,
            "csv_url": f"{csv_base}?{query}&table=" if query else f"{csv_base}?table=",
            "active_tab": "essa",
            "threshold": request.school.privacy_threshold,
            "is_own": person.pk == request.user.pk,
        },
    )


@person_in_school_first
@role_required(COACHES)
def essa_teacher_csv(request, user_id):
    person = teacher_in_school(request, user_id)
    filters = _form(request, PERIOD_FIELDS).filters()
    report = dashboards.essa_for_teacher(
        school=request.school, user=person, filters=filters
    )
    return _csv(report, request, f"learning-{slugify(person.full_name)}", filters)


@role_required(DISTRICT)
def district(request):
    form = _form(request, DISTRICT_FIELDS)
    filters = form.filters()
    report = dashboards.district_trends(
        district=request.school.district, filters=filters
    )
    return _page(
        request,
        "dashboards/district.html",
        report,
        form,
        filters,
        "dashboards:district_csv",
        "district",
    )


@role_required(DISTRICT)
def district_csv(request):
    filters = _form(request, DISTRICT_FIELDS).filters()
    report = dashboards.district_trends(
        district=request.school.district, filters=filters
    )
    return _csv(report, request, "district-trends", filters)
