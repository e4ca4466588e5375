from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "scheduling"
    verbose_name = "Scheduling"

    def ready(self):
        from jel import registry
        from jel.permissions import ALL_ROLES
        from scheduling.demo import seed_schedule
        from scheduling.panels import home_panel, profile_panel
        from scheduling.selectors import PLANNERS

        registry.register_panel("home", 20, "scheduling/panels/home.html", home_panel)
        registry.register_panel(
            "profile", 20, "scheduling/panels/profile.html", profile_panel
        )
        registry.register_nav_link(20, "Schedule", "scheduling:school_week", PLANNERS)
        registry.register_nav_link(21, "My week", "scheduling:my_week", ALL_ROLES)
        registry.register_seeder(20, "schedule", seed_schedule)
