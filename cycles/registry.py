"""Hooks through which observations plugs into cycles without cycles importing it.

Dependencies point one way (cycles <- observations), so the debrief page cannot
read evidence itself. observations registers a provider from its AppConfig.ready():

    register_debrief_evidence(fn)

where fn(*, cycle, viewer, hide_hosts) returns a list of groups, one per
look-for (plus one for evidence without a look-for), each a dict:

    {"look_for": LookFor | None, "label": str, "entries": [
        {"text": str, "students": str, "host": str | None, "at": datetime | None}
    ]}

When hide_hosts is true (the type's spec says so: rounds and walks) entries
must carry host=None; the debrief page also drops any host name it is given in
that case.

    register_visit_reminders(source, about="visit-reflection")

adds reminders each visit of an active cycle derives: source(visit) returns a
list of jel.services.ReminderSpec, kept in step under the key
"<about>:<visit pk>" whenever cycles re-derives the cycle's reminders (and
cancelled when the cycle is no longer scheduled or in progress).
"""

from collections.abc import Callable

_debrief_evidence: list[Callable] = []
_visit_reminders: list[tuple[str, Callable]] = []


def register_debrief_evidence(provider: Callable) -> None:
    if provider not in _debrief_evidence:
        _debrief_evidence.append(provider)


def debrief_evidence(*, cycle, viewer, hide_hosts: bool) -> list[dict] | None:
    """Evidence groups for a cycle's debrief, or None when no provider is there."""
    if not _debrief_evidence:
        return None
    groups: list[dict] = []
    for provider in _debrief_evidence:
        groups.extend(provider(cycle=cycle, viewer=viewer, hide_hosts=hide_hosts))
    if hide_hosts:
        for group in groups:
            for entry in group.get("entries", []):
                entry["host"] = None
    return groups


def register_visit_reminders(source: Callable, *, about: str) -> None:
    if all(key != about for key, _source in _visit_reminders):
        _visit_reminders.append((about, source))


def visit_reminder_sources() -> list[tuple[str, Callable]]:
    """(about key prefix, source) of every registered visit reminder."""
    return list(_visit_reminders)


_visit_parts: list[Callable] = []


def register_visit_part(provider: Callable) -> None:
    """provider(*, visit, user, debrief_held) -> scheduling.actions.Action | None."""
    if provider not in _visit_parts:
        _visit_parts.append(provider)


def visit_part(*, visit, user, debrief_held: bool):
    """The person's part in a visit from a registered provider, or None."""
    for provider in _visit_parts:
        action = provider(visit=visit, user=user, debrief_held=debrief_held)
        if action is not None:
            return action
    return None
