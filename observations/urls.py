from django.urls import path

from observations import api, offline_views, school_data_views, views

app_name = "observations"

urlpatterns = [
    path("offline/pages/", offline_views.offline_pages, name="offline_pages"),
    path("visits/<id:visit_id>/observe/", views.capture, name="capture"),
    path(
        "visits/<id:visit_id>/observe/evidence/",
        views.evidence_create,
        name="evidence_create",
    ),
    path(
        "visits/<id:visit_id>/observe/start/",
        views.observation_start,
        name="observation_start",
    ),
    path(
        "visits/<id:visit_id>/observe/stop/",
        views.observation_stop,
        name="observation_stop",
    ),
    path(
        "evidence/<id:pk>/bright-spot/",
        views.evidence_bright_spot,
        name="evidence_bright_spot",
    ),
    path("evidence/<id:pk>/edit/", views.evidence_edit, name="evidence_edit"),
    path("evidence/<id:pk>/delete/", views.evidence_delete, name="evidence_delete"),
    path("evidence/<id:pk>/wall/", views.evidence_wall, name="evidence_wall"),
    path("evidence/my-room/", views.my_room, name="my_room"),
    path("evidence/my-room/read/", views.bright_spots_read, name="bright_spots_read"),
    path("bright-spots/", views.wall, name="wall"),
    path(
        "evidence/cycle/<id:cycle_id>/",
        views.cycle_evidence,
        name="cycle_evidence",
    ),
    path(
        "evidence/cycle/<id:cycle_id>.csv",
        views.cycle_evidence_csv,
        name="cycle_evidence_csv",
    ),
    path("reflections/", views.reflections, name="reflections"),
    path("reflections/new/", views.reflection_create, name="reflection_create"),
    path("reflections/<id:pk>/", views.reflection_detail, name="reflection_detail"),
    path("reflections/<id:pk>/edit/", views.reflection_edit, name="reflection_edit"),
    path(
        "reflections/<id:pk>/delete/",
        views.reflection_delete,
        name="reflection_delete",
    ),
    path("reflections/<id:pk>/reply/", views.reflection_reply, name="reflection_reply"),
    path("goals/", views.goals, name="goals"),
    path("goals/new/", views.goal_create, name="goal_create"),
    path("goals/<id:pk>/", views.goal_detail, name="goal_detail"),
    path("school-data/", school_data_views.school_data, name="school_data"),
    path(
        "school-data/<id:pk>/status/",
        school_data_views.school_data_status,
        name="school_data_status",
    ),
    path(
        "school-data/<id:pk>/download/",
        school_data_views.school_data_download,
        name="school_data_download",
    ),
    path("api/v1/evidence/", api.EvidenceApi.as_view(), name="api_evidence"),
]
