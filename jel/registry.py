"""Hooks through which higher apps plug into the core without the core importing them.

Dependencies point one way (jel <- scheduling <- cycles <- observations), so the
home page and seed_demo cannot import the apps above them. Instead each app
registers here from its AppConfig.ready().
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    """A block on a core page ("home", "profile"): callable(request) -> context|None."""

    page: str
    order: int
    template: str
    context: Callable


@dataclass(frozen=True)
class Seeder:
    """A step of seed_demo: order and callable(school, stdout); must be idempotent."""

    order: int
    name: str
    run: Callable


@dataclass(frozen=True)
class NavLink:
    """A link in the main navigation, shown to the roles named."""

    order: int
    label: str
    url_name: str
    roles: frozenset


@dataclass(frozen=True)
class ReminderSource:
    """An app that derives reminders: rederive(school) brings its pending ones
    in step with the school's current reminder times."""

    name: str
    rederive: Callable


panels: list[Panel] = []
nav_links: list[NavLink] = []
seeders: list[Seeder] = []
reminder_sources: list[ReminderSource] = []


def register_panel(page: str, order: int, template: str, context: Callable) -> None:
    if any(p.page == page and p.template == template for p in panels):
        return
    panels.append(Panel(page, order, template, context))
    panels.sort(key=lambda panel: panel.order)


def render_panels(page: str, request) -> list[dict]:
    """The panels of a page that have something to show for this request."""
    shown = []
    for panel in panels:
        if panel.page != page:
            continue
        context = panel.context(request)
        if context is not None:
            shown.append({"template": panel.template, "context": context})
    return shown


def register_seeder(order: int, name: str, run: Callable) -> None:
    if any(seeder.name == name for seeder in seeders):
        return
    seeders.append(Seeder(order, name, run))
    seeders.sort(key=lambda seeder: seeder.order)


def register_nav_link(order: int, label: str, url_name: str, roles) -> None:
    if any(link.url_name == url_name for link in nav_links):
        return
    nav_links.append(NavLink(order, label, url_name, frozenset(roles)))
    nav_links.sort(key=lambda link: link.order)


def nav_links_for(membership) -> list[NavLink]:
    if membership is None:
        return []
    return [link for link in nav_links if membership.role in link.roles]


def register_reminder_source(name: str, rederive: Callable) -> None:
    if any(source.name == name for source in reminder_sources):
        return
    reminder_sources.append(ReminderSource(name, rederive))
