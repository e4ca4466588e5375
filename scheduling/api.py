"""The schedule API: a person's bookings, and checking a booking before planning it."""

import datetime as dt

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from jel.dates import week_start
from jel.permissions import HasAbility, HasCurrentSchool
from jel.validation import check_school_date
from scheduling import selectors
from scheduling.booking_request import SUBSTITUTE, BookingRequest
from scheduling.forms import staff_of
from scheduling.models import Booking, Period

MAX_RANGE_DAYS = 92


class BookingPersonOutput(serializers.Serializer):
    id = serializers.IntegerField(source="user.pk")
    name = serializers.CharField(source="user.full_name")
    role = serializers.CharField()


class BookingCoverageOutput(serializers.Serializer):
    observer = serializers.CharField()
    covered_by = serializers.CharField(allow_null=True)
    needs_substitute = serializers.BooleanField()
    course = serializers.CharField(source="section.course", allow_null=True)


class BookingOutput(serializers.Serializer):
    id = serializers.IntegerField()
    uid = serializers.UUIDField()
    kind = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    date = serializers.DateField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    period = serializers.CharField(source="period.name", allow_null=True)
    room = serializers.CharField(source="room.name", allow_null=True)
    host = serializers.CharField(allow_null=True)
    my_role = serializers.CharField(
        help_text="host, observer, facilitator, "
        "attendee, or covering (a class is yours to cover)"
    )
    people = BookingPersonOutput(many=True, source="people.all")
    coverage = BookingCoverageOutput(many=True, source="coverages.all")


class BookingRangeInput(serializers.Serializer):
    # Dates a school could mean: year 9999 has no week after it.
    start = serializers.DateField(required=False, validators=[check_school_date])
    end = serializers.DateField(required=False, validators=[check_school_date])

    def validate(self, data):
        today = timezone.localdate()
        start = data.get("start") or week_start(today)
        end = data.get("end") or start + dt.timedelta(days=6)
        if end < start:
            raise serializers.ValidationError({"end": "End on or after start."})
        if (end - start).days > MAX_RANGE_DAYS:
            raise serializers.ValidationError(
                {"end": f"Ask for at most {MAX_RANGE_DAYS} days at a time."}
            )
        return {"start": start, "end": end}


class MyBookingsApi(APIView):
    """The signed-in person's bookings between two dates (default: this week)."""

    ability = "use_school"
    permission_classes = [IsAuthenticated, HasCurrentSchool, HasAbility]

    @extend_schema(
        parameters=[
            OpenApiParameter("start", dt.date, required=False),
            OpenApiParameter("end", dt.date, required=False),
        ],
        responses=BookingOutput(many=True),
    )
    def get(self, request):
        query = BookingRangeInput(data=request.query_params)
        query.is_valid(raise_exception=True)
        bookings = selectors.bookings_for_user(
            user=request.user,
            start=query.validated_data["start"],
            end=query.validated_data["end"],
        )
        for booking in bookings:
            booking.my_role = selectors.role_of(booking, request.user)
        return Response(BookingOutput(bookings, many=True).data)


class BookingCheckInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Booking.Kind.choices, default="visit")
    date = serializers.DateField(validators=[check_school_date])
    period = serializers.IntegerField(required=False, allow_null=True, default=None)
    start_time = serializers.TimeField(required=False, allow_null=True, default=None)
    minutes = serializers.IntegerField(min_value=1, max_value=480, default=15)
    host = serializers.IntegerField(required=False, allow_null=True, default=None)
    observers = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list
    )
    covered = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        default=list,
        help_text="Observers whose class already has cover.",
    )

    def validate(self, data):
        school = self.context["school"]
        people = {u.pk: u for u in staff_of(school)}
        errors = {}
        if data["period"] is not None:
            period = Period.objects.filter(school=school, pk=data["period"]).first()
            if period is None:
                errors["period"] = "No such period in this school."
            data["period"] = period
        elif data["start_time"] is None:
            errors["period"] = "Give a period or a start_time."
        if data["host"] is not None:
            data["host"] = people.get(data["host"])
            if data["host"] is None:
                errors["host"] = "No such person on this school's staff."
        unknown = [pk for pk in data["observers"] + data["covered"] if pk not in people]
        if unknown:
            errors["observers"] = f"Not on this school's staff: {unknown}."
        if errors:
            raise serializers.ValidationError(errors)
        data["observers"] = [people[pk] for pk in data["observers"]]
        data["covered"] = [people[pk] for pk in data["covered"]]
        return data


class BookingConflictOutput(serializers.Serializer):
    code = serializers.CharField()
    reason = serializers.CharField()
    person = serializers.IntegerField(source="person.pk", allow_null=True)
    period = serializers.CharField(source="period.name", allow_null=True)


class FreeSlotOutput(serializers.Serializer):
    date = serializers.DateField()
    period = serializers.IntegerField(source="period.number", allow_null=True)
    starts_at = serializers.TimeField()
    label = serializers.CharField()


class BookingCheckOutput(serializers.Serializer):
    ok = serializers.BooleanField()
    conflicts = BookingConflictOutput(many=True)
    suggestions = FreeSlotOutput(many=True)


class BookingCheckApi(APIView):
    """What would stop a booking, and the nearest slots free for everyone."""

    ability = "plan_visits"
    permission_classes = [IsAuthenticated, HasCurrentSchool, HasAbility]

    @extend_schema(request=BookingCheckInput, responses=BookingCheckOutput)
    def post(self, request):
        school = request._request.school
        given = BookingCheckInput(data=request.data, context={"school": school})
        given.is_valid(raise_exception=True)
        data = given.validated_data
        feedback = selectors.booking_feedback(
            request=BookingRequest(
                school=school,
                kind=data["kind"],
                date=data["date"],
                period=data["period"],
                start_time=data["start_time"],
                minutes=data["minutes"],
                host=data["host"],
                observers=data["observers"],
                # Whoever covers them, their class is taken care of.
                coverage=dict.fromkeys(data["covered"], SUBSTITUTE),
            ),
            with_cover=False,
        )
        return Response(
            BookingCheckOutput(
                {
                    "ok": feedback.ok,
                    "conflicts": feedback.conflicts,
                    "suggestions": feedback.suggestions,
                }
            ).data
        )
