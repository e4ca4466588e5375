from django.apps import AppConfig


class CyclesConfig(AppConfig):
    name = "cycles"
    verbose_name = "Cycles"

    def ready(self):
        from cycles import actions, reminders, seed, selectors
        from jel import registry
        from jel.permissions import ABILITIES
        from scheduling.actions import register_action_source

        def home_panel(request):
            if request.membership is None:
                return None
            return selectors.home_panel(membership=request.membership)

        registry.register_panel("home", 30, "cycles/home_panel.html", home_panel)
        registry.register_nav_link(30, "Cycles", "cycles:list", ABILITIES["use_school"])
        registry.register_nav_link(
            31, "Problems of practice", "cycles:problem_list", ABILITIES["plan_cycles"]
        )
        registry.register_seeder(30, "cycles", seed.seed_cycles)
        registry.register_reminder_source("cycles", reminders.rederive_school)
        register_action_source(actions.action_source, order=20)
