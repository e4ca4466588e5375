"""Navigation links to the dashboards; imported once from ObservationsConfig.ready()."""

from jel import registry
from jel.models import Role
from jel.permissions import ALL_ROLES, FACILITATORS

registry.register_nav_link(50, "Dashboard", "dashboards:trends", FACILITATORS)
registry.register_nav_link(51, "Dashboard", "dashboards:district", {Role.DISTRICT})
registry.register_nav_link(62, "My learning", "dashboards:my_learning", ALL_ROLES)
