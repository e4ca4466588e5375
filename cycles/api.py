"""The cycles API: the cycles a person may see, one cycle's plan, status moves,
and host rotation suggestions for planners.

The plan (visits with host, start, minutes, observers) is given whole, to
evaluators too: a planner needs it to plan, and it is not evidence. It cannot
be joined with evidence into attribution because no evidence output gives an
evaluator a visit, a time, an observer, an id or the order of writing of
someone else's entry (jel.permissions.EvidenceDisclosure says why each).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from cycles import selectors, services
from cycles.filters import CycleFilter
from cycles.models import Cycle, CycleParticipant
from jel.models import Role
from jel.permissions import HasAbility, HasCurrentSchool

PERMISSIONS = [IsAuthenticated, HasCurrentSchool, HasAbility]


class PersonOutput(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()


class LookForOutput(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    kind = serializers.CharField()


class VisitOutput(serializers.Serializer):
    id = serializers.IntegerField()
    date = serializers.DateField()
    starts_at = serializers.DateTimeField(allow_null=True)
    minutes = serializers.IntegerField()
    period = serializers.CharField(source="period.name", allow_null=True, default=None)
    host = PersonOutput()
    observers = PersonOutput(many=True, source="observers.all")
    booked = serializers.SerializerMethodField()

    def get_booked(self, visit) -> bool:
        return visit.booking_id is not None


class CycleOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    focus = serializers.CharField()
    starts_on = serializers.DateField(allow_null=True)
    ends_on = serializers.DateField(allow_null=True)
    facilitator = PersonOutput(allow_null=True)
    problem_of_practice = serializers.CharField(
        source="problem_of_practice.question", allow_null=True, default=None
    )


class CycleDetailOutput(CycleOutput):
    look_fors = serializers.SerializerMethodField()
    visits = VisitOutput(many=True, source="visits.all")
    hosts = serializers.SerializerMethodField()
    observers = serializers.SerializerMethodField()

    def get_look_fors(self, cycle) -> list[dict]:
        return LookForOutput(selectors.cycle_look_fors(cycle=cycle), many=True).data

    def get_hosts(self, cycle) -> list[dict]:
        return PersonOutput(cycle.people(CycleParticipant.Role.HOST), many=True).data

    def get_observers(self, cycle) -> list[dict]:
        users = cycle.people(CycleParticipant.Role.OBSERVER)
        return PersonOutput(users, many=True).data


class TransitionInput(serializers.Serializer):
    to = serializers.ChoiceField(choices=Cycle.Status.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class HostSuggestionOutput(serializers.Serializer):
    user = PersonOutput()
    hosted_this_year = serializers.IntegerField()


def _cycle(request, pk) -> Cycle:
    cycle = selectors.cycle_for_viewer(membership=request._request.membership, pk=pk)
    if cycle is None:
        raise Http404
    return cycle


class CycleListApi(APIView):
    """Cycles the signed-in person may see: all for planners, their own otherwise."""

    ability = "use_school"
    permission_classes = PERMISSIONS

    @extend_schema(responses=CycleOutput(many=True))
    def get(self, request):
        # The page ignores an unknown filter value; the API says what was wrong.
        chosen = CycleFilter(request.query_params)
        if not chosen.is_valid():
            raise ValidationError(chosen.errors)
        cycles = selectors.cycle_list(
            membership=request._request.membership, filters=request.query_params
        )
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(cycles, request, view=self)
        return paginator.get_paginated_response(CycleOutput(page, many=True).data)


class CycleDetailApi(APIView):
    """One cycle's plan: look-fors in order, visits, hosts and observers."""

    ability = "use_school"
    permission_classes = PERMISSIONS

    @extend_schema(responses=CycleDetailOutput)
    def get(self, request, pk):
        return Response(CycleDetailOutput(_cycle(request, pk)).data)


class CycleTransitionApi(APIView):
    """Move a cycle to its next status; a refused move answers 400 with reasons."""

    ability = "plan_cycles"
    permission_classes = PERMISSIONS

    @extend_schema(request=TransitionInput, responses=CycleOutput)
    def post(self, request, pk):
        cycle = _cycle(request, pk)
        data = TransitionInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            cycle = services.cycle_transition(
                cycle=cycle,
                to_status=data.validated_data["to"],
                by=request.user,
                note=data.validated_data.get("note", ""),
            )
        except DjangoValidationError as error:
            errors = dict(error.message_dict)
            # The service names the page's field; the API's field is `to`.
            if "status" in errors:
                errors["to"] = errors.pop("status")
            raise ValidationError(errors) from error
        return Response(CycleOutput(cycle).data)


class HostSuggestionsApi(APIView):
    """Teachers ranked by how few visits they have hosted this school year."""

    ability = "plan_cycles"
    permission_classes = PERMISSIONS

    @extend_schema(responses=HostSuggestionOutput(many=True))
    def get(self, request):
        school = request._request.school
        candidates = selectors.staff_choices(
            school=school, roles=[Role.TEACHER, Role.MENTOR]
        )
        ranked = selectors.host_rotation(school=school, candidates=candidates)
        rows = [{"user": u, "hosted_this_year": n} for u, n in ranked]
        return Response(HostSuggestionOutput(rows, many=True).data)
