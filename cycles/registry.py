"""Hooks through which observations fills the debrief page without cycles importing it.

Dependencies point one way (cycles <- observations), so the debrief page cannot
read evidence itself. observations registers a provider from its AppConfig.ready():

    register_debrief_evidence(fn)

where fn(*, cycle, viewer, hide_hosts) returns a list of groups, one per
look-for (plus one for evidence without a look-for), each a dict:

    {"look_for": LookFor | None, "label": str, "entries": [
        {"text": str, "students": str, "host": str | None, "at": datetime | None}
    ]}

When hide_hosts is true (rounds and walks) entries must carry host=None; the
debrief page also drops any host name it is given in that case.
"""

from collections.abc import Callable

_debrief_evidence: list[Callable] = []


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
