from django.urls import path

from scheduling import api, roster_views, views

app_name = "scheduling"

urlpatterns = [
    path("schedule/my-week/", views.my_week, name="my_week"),
    path("schedule/week/", views.school_week, name="school_week"),
    path("schedule/visits/check/", views.visit_check, name="visit_check"),
    path("schedule/period-times/", views.period_times, name="period_times"),
    path("schedule/bookings/<id:pk>/", views.booking_detail, name="booking_detail"),
    path(
        "schedule/bookings/<id:pk>/cancel/",
        views.booking_cancel,
        name="booking_cancel",
    ),
    path("schedule/bookings/<id:pk>/move/", views.booking_move, name="booking_move"),
    path("schedule/bookings/<id:pk>/event.ics", views.booking_ics, name="booking_ics"),
    path(
        "schedule/coverage/<id:pk>/assign/",
        views.coverage_assign,
        name="coverage_assign",
    ),
    path("schedule/coverage/", views.coverage_plan, name="coverage_plan"),
    path("schedule/coverage/email/", views.coverage_email, name="coverage_email"),
    path("schedule/coverage/counts/", views.coverage_counts, name="coverage_counts"),
    path("schedule/setup/", views.setup, name="setup"),
    path("schedule/setup/day-types/new/", views.day_type_edit, name="day_type_new"),
    path(
        "schedule/setup/day-types/<id:pk>/",
        views.day_type_edit,
        name="day_type_edit",
    ),
    path("schedule/setup/windows/new/", views.window_edit, name="window_new"),
    path("schedule/setup/windows/<id:pk>/", views.window_edit, name="window_edit"),
    path(
        "schedule/setup/windows/<id:pk>/delete/",
        views.window_delete,
        name="window_delete",
    ),
    path("schedule/setup/days/", views.school_days, name="school_days"),
    path("schedule/roster/", roster_views.roster, name="roster"),
    path("schedule/roster/<id:pk>/", roster_views.roster_run, name="roster_run"),
    path(
        "schedule/roster/<id:pk>/confirm/",
        roster_views.roster_run_confirm,
        name="roster_run_confirm",
    ),
    path(
        "schedule/roster/<id:pk>/status/",
        roster_views.roster_run_status,
        name="roster_run_status",
    ),
    path("profile/calendar/", views.calendar_token, name="calendar_token"),
    path("calendar/<str:token>.ics", views.feed, name="feed"),
    path("api/v1/schedule/bookings/", api.MyBookingsApi.as_view(), name="api_bookings"),
    path("api/v1/schedule/check/", api.BookingCheckApi.as_view(), name="api_check"),
]
