from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "scheduling"
    verbose_name = "Scheduling"

    def ready(self):
        from jel import registry
        from jel.permissions import ABILITIES
        from scheduling.demo import seed_schedule
        from scheduling.panels import home_panel, profile_panel
        from scheduling.reminders import rederive_school_reminders

        registry.register_panel("home", 20, "scheduling/panels/home.html", home_panel)
        registry.register_panel(
            "profile", 20, "scheduling/panels/profile.html", profile_panel
        )
        registry.register_nav_link(
            20, "Schedule", "scheduling:school_week", ABILITIES["plan_visits"]
        )
        registry.register_nav_link(
            21, "My week", "scheduling:my_week", ABILITIES["use_school"]
        )
        registry.register_seeder(20, "schedule", seed_schedule)
        registry.register_reminder_source("scheduling", rederive_school_reminders)
