"""Dashboard pages. One view per report serves its page and its CSV (the `.csv`
route, or `?format=csv`) from the same report; the API returns it as JSON.
Thin: the figures come from `dashboards.selectors`."""

from dataclasses import dataclass
from functools import wraps

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import slugify

from dashboards import selectors
from dashboards.filters import DashboardFilterSet
from jel.csv_export import csv_response
from jel.permissions import ability_required, can

TRENDS_FIELDS = ("term", "start", "end", "kind", "problem", "department", "by")
PERIOD_FIELDS = ("term", "start", "end")
DISTRICT_FIELDS = ("start", "end", "kind")


@dataclass(frozen=True)
class Page:
    """How one report is served: its route (the CSV route adds "_csv"), its
    template, its tab, the filters it offers and its CSV file's name."""

    route: str
    template: str
    tab: str
    csv_name: str
    fields: tuple = PERIOD_FIELDS


TRENDS = Page("trends", "trends.html", "trends", "look-for-trends", TRENDS_FIELDS)
PARTICIPATION = Page(
    "participation", "participation.html", "participation", "participation"
)
FOLLOW_THROUGH = Page(
    "follow_through", "follow_through.html", "follow_through", "follow-through"
)
ESSA = Page("essa", "essa_school.html", "essa", "essa-school")
MY_LEARNING = Page("my_learning", "essa_teacher.html", "mine", "my-learning")
ESSA_TEACHER = Page("essa_teacher", "essa_teacher.html", "essa", "learning")
DISTRICT = Page(
    "district", "district.html", "district", "district-trends", DISTRICT_FIELDS
)


def wants_csv(request, as_csv: bool) -> bool:
    return as_csv or request.GET.get("format") == "csv"


def _query_without(request, *names) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def _csv_response(report, request, name: str, filters) -> HttpResponse:
    key = request.GET.get("table") or next(iter(report.tables))
    table = report.tables.get(key)
    if table is None:
        raise Http404("No such table on this dashboard.")
    filename = f"{name}-{key}-{filters.start:%Y%m%d}-{filters.end:%Y%m%d}.csv"
    return csv_response(
        filename, table.csv_header(), table.csv_rows(), withheld=table.withheld
    )


def serve(
    request,
    page: Page,
    build,
    *,
    as_csv=False,
    route_args=(),
    csv_name=None,
    extra=None,
):
    """The report for the filters in the URL, as its page or as one table's CSV.

    build(filters) -> Report; extra(report) -> more page context (HTML only).
    """
    filterset = DashboardFilterSet(
        request.GET, school=request.school, fields=page.fields
    )
    filters = filterset.filters_chosen()
    report = build(filters)
    if wants_csv(request, as_csv):
        return _csv_response(report, request, csv_name or page.csv_name, filters)
    query = _query_without(request, "table", "format")
    csv_base = reverse(f"dashboards:{page.route}_csv", args=route_args)
    return render(
        request,
        f"dashboards/{page.template}",
        {
            "report": report,
            "form": filterset.form,
            "filters": filters,
            "csv_url": f"{csv_base}?{query}&table=" if query else f"{csv_base}?table=",
            "active_tab": page.tab,
            "threshold": request.school.privacy_threshold,
            **(extra(report) if extra else {}),
        },
    )


@ability_required("view_dashboards")
def trends(request, as_csv=False):
    return serve(
        request,
        TRENDS,
        lambda filters: selectors.look_for_trends(
            school=request.school, filters=filters
        ),
        as_csv=as_csv,
    )


@ability_required("view_dashboards")
def participation(request, as_csv=False):
    return serve(
        request,
        PARTICIPATION,
        lambda filters: selectors.participation(school=request.school, filters=filters),
        as_csv=as_csv,
    )


def _overdue_rows(report) -> dict:
    rows = report.tables["overdue"].rows
    return {"overdue": list(zip(rows, report.extra["overdue_links"], strict=True))}


@ability_required("view_dashboards")
def follow_through(request, as_csv=False):
    return serve(
        request,
        FOLLOW_THROUGH,
        lambda filters: selectors.follow_through(
            school=request.school, filters=filters
        ),
        as_csv=as_csv,
        extra=_overdue_rows,
    )


@ability_required("view_dashboards")
def essa_school(request, as_csv=False):
    def teachers(report) -> dict:
        # Coaches and mentors may open a teacher's own page with them; principals
        # are evaluators, and a per-teacher met / not met must never be a rating.
        if not can(request, "view_teacher_learning"):
            return {"teachers": []}
        return {"teachers": selectors.teaching_staff(school=request.school)}

    return serve(
        request,
        ESSA,
        lambda filters: selectors.essa_for_school(
            school=request.school, filters=filters
        ),
        as_csv=as_csv,
        extra=teachers,
    )


@ability_required("use_school")
def my_learning(request, as_csv=False):
    return serve(
        request,
        MY_LEARNING,
        lambda filters: selectors.essa_for_teacher(
            school=request.school, user=request.user, filters=filters
        ),
        as_csv=as_csv,
        extra=lambda report: {"is_own": True},
    )


def teacher_in_school(request, user_id):
    """The school's member with that id, or 404 (another school's person too)."""
    person = selectors.member_of_school(school=request.school, user_id=user_id)
    if person is None:
        raise Http404("No such teacher in this school.")
    return person


def person_in_school_first(view):
    """Another school's person is not found (404) before any role check (403)."""

    @wraps(view)
    def wrapped(request, user_id, *args, **kwargs):
        if request.user.is_authenticated and request.school is not None:
            teacher_in_school(request, user_id)
        return view(request, user_id, *args, **kwargs)

    return wrapped


@person_in_school_first
@ability_required("view_teacher_learning")
def essa_teacher(request, user_id, as_csv=False):
    person = teacher_in_school(request, user_id)
    return serve(
        request,
        ESSA_TEACHER,
        lambda filters: selectors.essa_for_teacher(
            school=request.school, user=person, filters=filters
        ),
        as_csv=as_csv,
        route_args=[person.pk],
        csv_name=f"learning-{slugify(person.full_name)}",
        extra=lambda report: {"is_own": person.pk == request.user.pk},
    )


@ability_required("view_district")
def district(request, as_csv=False):
    return serve(
        request,
        DISTRICT,
        lambda filters: selectors.district_trends(
            district=request.school.district, filters=filters
        ),
        as_csv=as_csv,
    )
