"""The evidence API: what the capture page's offline queue sends, and a list.

POST is idempotent by the browser-made client_id: the first send answers 201,
a repeat (or an update while typing) answers 200, and there is still one row.
A visit the sender may not see answers 404 (as another school's does); one they
see but do not observe answers 403.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from cycles.models import LookFor
from jel.permissions import HasAbility, HasCurrentSchool
from observations import selectors, services
from observations.judging import judging_words
from observations.models import EVIDENCE_MAX_CHARS, Evidence


def _words() -> serializers.CharField:
    return serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=EVIDENCE_MAX_CHARS,
        error_messages={
            "max_length": f"Keep an entry to {EVIDENCE_MAX_CHARS:,} characters: "
            "save it as two entries."
        },
    )


class EvidenceInput(serializers.Serializer):
    client_id = serializers.UUIDField()
    visit = serializers.IntegerField()
    text = _words()
    look_for = serializers.IntegerField(required=False, allow_null=True, default=None)
    student_focus = serializers.ChoiceField(
        choices=[("", "Not said"), *Evidence.StudentFocus.choices],
        required=False,
        default="",
    )
    is_tally = serializers.BooleanField(required=False, default=False)
    what = _words()
    so_what = _words()
    now_what = _words()
    noted_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


WITHHELD = (
    "Left out for an evaluator role (principal, district) reading others' "
    "evidence: it could point to the host (jel.permissions.EvidenceDisclosure)."
)


class EvidenceOutput(serializers.Serializer):
    """One entry, with only what jel.permissions.evidence_disclosure lets the
    reader see; an evaluator gets others' entries by look-for, shuffled."""

    id = serializers.IntegerField(required=False, help_text=WITHHELD)
    client_id = serializers.UUIDField(required=False, help_text=WITHHELD)
    cycle = serializers.IntegerField()
    cycle_title = serializers.CharField()
    visit = serializers.IntegerField(required=False, help_text=WITHHELD)
    host = serializers.CharField(
        required=False,
        help_text="Left out for evaluator roles, and where the reader may not "
        "see whose room it was.",
    )
    observer = serializers.CharField(required=False, help_text=WITHHELD)
    look_for = serializers.IntegerField(allow_null=True)
    look_for_text = serializers.CharField()
    student_focus = serializers.CharField()
    is_tally = serializers.BooleanField()
    text = serializers.CharField()
    what = serializers.CharField()
    so_what = serializers.CharField()
    now_what = serializers.CharField()
    noted_at = serializers.DateTimeField(required=False, help_text=WITHHELD)
    bright_spot = serializers.BooleanField()


class EvidenceSavedOutput(EvidenceOutput):
    judging_words = serializers.ListField(
        child=serializers.CharField(),
        help_text="Words that judge rather than describe: a nudge, not an error.",
    )


class EvidenceApi(APIView):
    """Evidence the signed-in user may read; POST saves one entry by client_id."""

    ability = "use_school"  # any member; what they may read is the selectors'
    permission_classes = [IsAuthenticated, HasCurrentSchool, HasAbility]

    @extend_schema(responses=EvidenceOutput(many=True))
    def get(self, request):
        role = request._request.membership.role
        evidence = selectors.evidence_visible_to(user=request.user, role=role)
        cycle = request.query_params.get("cycle")
        if cycle and cycle.isdigit():
            evidence = evidence.filter(observation__visit__cycle_id=cycle)
        # The whole list in its reading order, then the page: an evaluator's
        # pages must not follow the order the entries were written in.
        evidence = selectors.evidence_in_reading_order(evidence=evidence, role=role)
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(evidence, request, view=self)
        rows = selectors.evidence_rows(evidence=page, role=role, reader=request.user)
        return paginator.get_paginated_response(EvidenceOutput(rows, many=True).data)

    @extend_schema(
        request=EvidenceInput,
        responses={201: EvidenceSavedOutput, 200: EvidenceSavedOutput},
    )
    def post(self, request):
        data = EvidenceInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        visit = selectors.visit_for_viewer(
            membership=request._request.membership, pk=values.pop("visit")
        )
        if visit is None:
            raise Http404
        look_for_id = values.pop("look_for")
        look_for = None
        if look_for_id is not None:
            look_for = LookFor.objects.filter(pk=look_for_id).first()
            if look_for is None:
                raise ValidationError(
                    {"look_for": ["Choose one of this cycle's look-fors."]}
                )
        try:
            evidence, created = services.evidence_record(
                visit=visit, look_for=look_for, **values, by=request.user
            )
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from error
        role = request._request.membership.role
        row = selectors.evidence_rows(
            evidence=[evidence], role=role, reader=request.user
        )[0]
        row["judging_words"] = judging_words(
            " ".join(getattr(evidence, name) for name in services.EVIDENCE_FIELDS)
        )
        return Response(
            EvidenceSavedOutput(row).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )
