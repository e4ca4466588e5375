"""Dashboard routes (issue 9), kept apart from observations/urls.py."""

app_name = "dashboards"
urlpatterns: list = []
