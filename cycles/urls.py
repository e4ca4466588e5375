from django.urls import path

from cycles import api, views
from cycles.planner import views as planner

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
    path("cycles/term-plans/", planner.term_plans, name="term_plans"),
    path("cycles/term-plans/new/", planner.term_plan_new, name="term_plan_new"),
    path("cycles/term-plans/<id:pk>/", planner.term_plan_detail, name="term_plan"),
    path(
        "cycles/term-plans/<id:pk>/progress/",
        planner.term_plan_progress,
        name="term_plan_progress",
    ),
    path(
        "cycles/term-plans/<id:pk>/solve/",
        planner.term_plan_resolve,
        name="term_plan_resolve",
    ),
    path(
        "cycles/term-plans/<id:pk>/accept/",
        planner.term_plan_accept,
        name="term_plan_accept",
    ),
    path(
        "cycles/term-plans/visits/<id:pk>/lock/",
        planner.planned_visit_lock,
        name="planned_visit_lock",
    ),
    path(
        "cycles/term-plans/visits/<id:pk>/move/",
        planner.planned_visit_move,
        name="planned_visit_move",
    ),
    path(
        "cycles/term-plans/visits/<id:pk>/remove/",
        planner.planned_visit_remove,
        name="planned_visit_remove",
    ),
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
