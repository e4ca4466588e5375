"""The dashboards' figures as JSON: the same selectors and tables as the pages.

Numbers come back as numbers, as the CSVs write them (jel/csv_export.py), never
as the page's words: a share cell is {"suppressed": false, "share": 75,
"seen": 3, "visits": 4, "classrooms": 4}, "4 of 6" is {"count": 4, "out_of": 6},
"39%" is {"share": 39, "count": ..., "out_of": ...} (share null when nothing is
due), a week its Monday and a moment ISO 8601, "Met" true. Suppressed cells come
back as {"suppressed": true, "note": ...} with no number, and each table says
per row whether any of its figures is withheld ("suppressed").
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from cycles.models import Cycle, ProblemOfPractice
from dashboards import selectors as dashboards
from dashboards.filters import period_errors
from dashboards.selectors.figures import Cell, Percent, Ratio, Shown, Withheld
from jel.permissions import HasAbility
from jel.validation import check_school_date
from scheduling.models import Term


class FilterInput(serializers.Serializer):
    term = serializers.IntegerField(required=False)
    start = serializers.DateField(required=False, validators=[check_school_date])
    end = serializers.DateField(required=False, validators=[check_school_date])
    kind = serializers.ChoiceField(
        choices=Cycle.Kind.choices, required=False, allow_blank=True
    )
    problem = serializers.IntegerField(required=False)
    department = serializers.CharField(required=False, allow_blank=True)
    by = serializers.ChoiceField(
        choices=list(dashboards.HEATMAP_BY), required=False, allow_blank=True
    )

    def validate_term(self, value):
        term = Term.objects.filter(school=self.context["school"], pk=value).first()
        if term is None:
            raise serializers.ValidationError("No such term in this school.")
        return term

    def validate_problem(self, value):
        school = self.context["school"]
        if not ProblemOfPractice.objects.filter(school=school, pk=value).exists():
            raise serializers.ValidationError(
                "No such problem of practice in this school."
            )
        return value

    def validate(self, data):
        for field, message in period_errors(data.get("start"), data.get("end")):
            raise serializers.ValidationError({field or "end": message})
        return data


class TableOutput(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.ListField())
    suppressed = serializers.ListField(child=serializers.BooleanField())


def api_value(value):
    """One table cell as JSON: its numbers, never the words the page shows."""
    if isinstance(value, Shown):
        return value.data()
    if isinstance(value, Withheld):
        return {"suppressed": True, "note": value.text()}
    if isinstance(value, Percent):
        return {"share": value.value, "count": value.part, "out_of": value.whole}
    if isinstance(value, Ratio):
        return {"count": value.part, "out_of": value.whole}
    if isinstance(value, Cell):
        (typed,) = value.csv_values()
        return typed
    return value


def api_table(table) -> dict:
    return {
        "key": table.key,
        "title": table.title,
        "columns": table.columns,
        "rows": [[api_value(value) for value in row] for row in table.rows],
        "suppressed": [
            any(getattr(value, "suppressed", False) for value in row)
            for row in table.rows
        ],
    }


class ReportOutput(serializers.Serializer):
    title = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    privacy_threshold = serializers.IntegerField()
    tables = TableOutput(many=True)


class DashboardApi(APIView):
    """Base: validate the filters, build the report, return its tables."""

    permission_classes = [IsAuthenticated, HasAbility]
    ability = "view_dashboards"

    def build(self, request, filters):  # pragma: no cover - every subclass has one
        raise NotImplementedError

    @extend_schema(parameters=[FilterInput], responses=ReportOutput)
    def get(self, request, *args, **kwargs):
        school = request._request.school
        given = FilterInput(data=request.query_params, context={"school": school})
        given.is_valid(raise_exception=True)
        data = given.validated_data
        filters = dashboards.resolve_filters(
            school=school,
            term=data.get("term"),
            start=data.get("start"),
            end=data.get("end"),
            kind=data.get("kind", ""),
            problem_id=data.get("problem"),
            department=data.get("department", ""),
            by=data.get("by", ""),
        )
        report = self.build(request._request, filters, **kwargs)
        output = ReportOutput(
            {
                "title": report.title,
                "start": filters.start,
                "end": filters.end,
                "privacy_threshold": school.privacy_threshold,
                "tables": [api_table(table) for table in report.tables.values()],
            }
        )
        return Response(output.data)


class TrendsApi(DashboardApi):
    def build(self, request, filters):
        return dashboards.look_for_trends(school=request.school, filters=filters)


class ParticipationApi(DashboardApi):
    def build(self, request, filters):
        return dashboards.participation(school=request.school, filters=filters)


class FollowThroughApi(DashboardApi):
    def build(self, request, filters):
        return dashboards.follow_through(school=request.school, filters=filters)


class EssaSchoolApi(DashboardApi):
    def build(self, request, filters):
        return dashboards.essa_for_school(school=request.school, filters=filters)


class MyLearningApi(DashboardApi):
    ability = "use_school"

    def build(self, request, filters):
        return dashboards.essa_for_teacher(
            school=request.school, user=request.user, filters=filters
        )


def _person(request, user_id):
    person = dashboards.member_of_school(school=request.school, user_id=user_id)
    if person is None:
        raise NotFound("No such teacher in this school.")
    return person


class EssaTeacherApi(DashboardApi):
    ability = "view_teacher_learning"

    def initial(self, request, *args, **kwargs):
        # Another school's person is not found (404) before the role check (403).
        django_request = request._request
        if django_request.user.is_authenticated and django_request.school:
            _person(django_request, kwargs["user_id"])
        super().initial(request, *args, **kwargs)

    def build(self, request, filters, user_id):
        person = _person(request, user_id)
        return dashboards.essa_for_teacher(
            school=request.school, user=person, filters=filters
        )


class DistrictApi(DashboardApi):
    ability = "view_district"

    def build(self, request, filters):
        return dashboards.district_trends(
            district=request.school.district, filters=filters
        )
