"""Dashboard routes: each page, its CSV and its JSON."""

from django.urls import path

from dashboards import api, views

app_name = "dashboards"

CSV = {"as_csv": True}

urlpatterns = [
    path("", views.trends, name="trends"),
    path("trends.csv", views.trends, CSV, name="trends_csv"),
    path("participation/", views.participation, name="participation"),
    path("participation.csv", views.participation, CSV, name="participation_csv"),
    path("follow-through/", views.follow_through, name="follow_through"),
    path("follow-through.csv", views.follow_through, CSV, name="follow_through_csv"),
    path("essa/", views.essa_school, name="essa"),
    path("essa.csv", views.essa_school, CSV, name="essa_csv"),
    path("essa/teachers/<id:user_id>/", views.essa_teacher, name="essa_teacher"),
    path(
        "essa/teachers/<id:user_id>.csv",
        views.essa_teacher,
        CSV,
        name="essa_teacher_csv",
    ),
    path("my-learning/", views.my_learning, name="my_learning"),
    path("my-learning.csv", views.my_learning, CSV, name="my_learning_csv"),
    path("district/", views.district, name="district"),
    path("district.csv", views.district, CSV, name="district_csv"),
    path("api/trends/", api.TrendsApi.as_view(), name="api_trends"),
    path(
        "api/participation/", api.ParticipationApi.as_view(), name="api_participation"
    ),
    path(
        "api/follow-through/",
        api.FollowThroughApi.as_view(),
        name="api_follow_through",
    ),
    path("api/essa/", api.EssaSchoolApi.as_view(), name="api_essa"),
    path(
        "api/essa/teachers/<id:user_id>/",
        api.EssaTeacherApi.as_view(),
        name="api_essa_teacher",
    ),
    path("api/my-learning/", api.MyLearningApi.as_view(), name="api_my_learning"),
    path("api/district/", api.DistrictApi.as_view(), name="api_district"),
]
