from django.apps import AppConfig


class ObservationsConfig(AppConfig):
    name = "observations"

    def ready(self):
        from cycles.registry import (
            register_debrief_evidence,
            register_visit_part,
            register_visit_reminders,
        )
        from jel import registry
        from jel.permissions import ALL_ROLES
        from observations import (
            actions,
            panels,
            reminders,
            seed,
            selectors,
            visit_parts,
        )
        from scheduling.actions import register_action_source

        registry.register_panel(
            "home", 10, "observations/partials/home_visits.html", panels.visits_panel
        )
        registry.register_panel(
            "home", 20, "observations/partials/home_follow_ups.html", panels.follow_ups
        )
        registry.register_panel(
            "home", 30, "observations/partials/home_thanks.html", panels.thanks_panel
        )
        registry.register_nav_link(
            60, "Reflections", "observations:reflections", ALL_ROLES
        )
        registry.register_nav_link(61, "Goals", "observations:goals", ALL_ROLES)
        register_debrief_evidence(selectors.debrief_evidence_groups)
        register_visit_part(visit_parts.visit_part)
        register_visit_reminders(
            reminders.reflection_reminders, about=reminders.ABOUT_VISIT_REFLECTION
        )
        registry.register_reminder_source("observations", reminders.rederive)
        registry.register_seeder(40, "observations", seed.seed_observations)
        register_action_source(actions.action_source, order=10)
