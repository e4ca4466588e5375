from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView


class MembershipOutput(serializers.Serializer):
    school_id = serializers.IntegerField()
    school = serializers.CharField(source="school.name")
    role = serializers.CharField()


class MeOutput(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    full_name = serializers.CharField()
    school_id = serializers.IntegerField()
    role = serializers.CharField()
    memberships = MembershipOutput(many=True)


class MeView(APIView):
    """The signed-in user, their current school and role, and all their schools."""

    @extend_schema(responses=MeOutput)
    def get(self, request):
        user = request.user
        data = {
            "id": user.pk,
            "email": user.email,
            "full_name": user.full_name,
            "school_id": request._request.school.pk,
            "role": request._request.membership.role,
            "memberships": request._request.memberships,
        }
        return Response(MeOutput(data).data)
