from django.urls import path

from cycles import api, views

app_name = "cycles"
urlpatterns = [
    path("cycles/", views.cycle_list, name="list"),
    path("cycles/new/", views.cycle_new, name="new"),
    path("cycles/settings/", views.cycle_settings, name="settings"),
    path("cycles/availability/", views.availability, name="availability"),
    path("cycles/check/", views.cycle_check, name="check"),
    path("cycles/<id:pk>/", views.cycle_detail, name="detail"),
    path("cycles/<id:pk>/edit/", views.cycle_edit, name="edit"),
    path("cycles/<id:pk>/status/", views.cycle_transition, name="transition"),
    path("cycles/<id:pk>/hosting/", views.host_respond, name="host_respond"),
    path("debriefs/<id:pk>/", views.debrief, name="debrief"),
    # "Plan a visit" keeps its address under /schedule/; it books a one-visit
    # micro-observation, so the page is cycles'.
    path("schedule/visits/new/", views.visit_plan, name="visit_plan"),
    path("problems/", views.problem_list, name="problem_list"),
    path("problems/new/", views.problem_new, name="problem_new"),
    path("problems/<id:pk>/", views.problem_detail, name="problem_detail"),
    path("look-fors/", views.look_for_library, name="look_fors"),
    path("look-fors/add/", views.look_for_add, name="look_for_add"),
    path("look-fors/<id:pk>/move/", views.look_for_move, name="look_for_move"),
    path("look-fors/<id:pk>/remove/", views.look_for_remove, name="look_for_remove"),
    path("api/v1/cycles/", api.CycleListApi.as_view(), name="api_list"),
    path(
        "api/v1/cycles/host-suggestions/",
        api.HostSuggestionsApi.as_view(),
        name="api_host_suggestions",
    ),
    path("api/v1/cycles/<id:pk>/", api.CycleDetailApi.as_view(), name="api_detail"),
    path(
        "api/v1/cycles/<id:pk>/transition/",
        api.CycleTransitionApi.as_view(),
        name="api_transition",
    ),
]
