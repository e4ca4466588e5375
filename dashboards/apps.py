from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = "Dashboards"

    def ready(self):
        from jel import registry
        from jel.permissions import ABILITIES

        registry.register_nav_link(
            50, "Dashboard", "dashboards:trends", ABILITIES["view_dashboards"]
        )
        registry.register_nav_link(
            51, "Dashboard", "dashboards:district", ABILITIES["view_district"]
        )
        registry.register_nav_link(
            62, "My learning", "dashboards:my_learning", ABILITIES["use_school"]
        )
