"""The leak test's harness: plant canaries, crawl as each role, check what came back.

A canary is a random-looking token written into one private thing (a private
reflection, a coaches-only one, a cycle-group one, a goal, a host's evidence).
product.md says who may read each; `ALLOWED` writes that down per crawling
role. `find_leaks` reads one response (a page, an API answer, a CSV, a feed,
an e-mail) as one role and names every canary found where it must not be,
and, for an evaluator who may read the host's evidence unattributed, anything
next to it that points at the host: the host's name, a time of day inside the
host's visit, or the observer's name.

The scenario is the probe's: a rounds cycle in three classrooms whose visits
follow each other (Lena 08:55, Grace 09:15, Keisha 09:35, 15 minutes each),
an entry written at 09:00 in Lena's room, and a swap day where each observer
visits exactly one host at the same hour.
"""

import datetime as dt
import json
import re
import secrets
import uuid
from dataclasses import dataclass, field
from html import unescape

from django.utils import timezone
from django_scopes import scopes_disabled

from cycles.models import (
    Cycle,
    CycleLookFor,
    CycleParticipant,
    Debrief,
    LookFor,
    Visit,
)
from jel.models import Role
from jel.tests.factories import staff
from observations.models import Evidence, Goal, Observation, Reflection

# The probe's day: a Wednesday before the suite's Monday, so it is all past.
PROBE_DAY = dt.date(2026, 11, 25)
ROUNDS_TIMES = (dt.time(8, 55), dt.time(9, 15), dt.time(9, 35))
VISIT_MINUTES = 15
SWAP_TIME = dt.time(10, 30)

# The crawling roles, by the name the report prints.
CRAWLERS = (
    "other_teacher",
    "principal",
    "coach_outside",
    "mentor_outside",
    "district",
    "other_school_principal",
)
EVALUATOR_CRAWLERS = {"principal", "district"}

# Which canary each crawler may read (product.md: reflections are the author's
# to share; goals are nobody else's; evidence reaches the cycle's people and a
# principal, and an evaluator only unattributed).
ALLOWED = {
    "other_teacher": set(),
    "principal": {"evidence"},
    "coach_outside": {"coaches_reflection"},
    "mentor_outside": {"coaches_reflection"},
    # District staff take part in the rounds (as the existing visibility tests
    # have it): they may read its evidence, unattributed, and, being in its
    # group, the reflection shared with the cycle group.
    "district": {"evidence", "group_reflection"},
    "other_school_principal": set(),
}


def canary(kind: str) -> str:
    """A token no page would contain by chance."""
    return f"zq{kind[:3]}{secrets.token_hex(6)}x"


@dataclass
class Planted:
    canaries: dict  # kind -> token
    rounds: Cycle
    swap: Cycle
    hosts: list  # Lena, Grace, Keisha
    observer: object  # wrote the canary entry in Lena's room
    swap_pairs: list  # (observer, host, evidence text)
    debrief: Debrief
    swap_debrief: Debrief
    users: dict = field(default_factory=dict)  # crawler name -> user

    @property
    def host(self):
        return self.hosts[0]


def _at(day, time, school):
    return timezone.make_aware(dt.datetime.combine(day, time), school.tz)


def _cycle(school, kind, title, facilitator, look_fors):
    cycle = Cycle.objects.create(
        school=school,
        kind=kind,
        title=title,
        focus="Students explain their reasoning",
        facilitator=facilitator,
        status=Cycle.Status.IN_PROGRESS,
        starts_on=PROBE_DAY,
        ends_on=PROBE_DAY,
    )
    for position, look_for in enumerate(look_fors):
        CycleLookFor.objects.create(
            school=school, cycle=cycle, look_for=look_for, position=position
        )
    CycleParticipant.objects.create(
        school=school,
        cycle=cycle,
        user=facilitator,
        role=CycleParticipant.Role.FACILITATOR,
    )
    return cycle


def _join(cycle, user, role):
    CycleParticipant.objects.get_or_create(
        school=cycle.school, cycle=cycle, user=user, defaults={"role": role}
    )


def _visit(cycle, host, observers, starts):
    visit = Visit.objects.create(
        school=cycle.school,
        cycle=cycle,
        host=host,
        date=starts.date(),
        starts_at=starts,
        minutes=VISIT_MINUTES,
    )
    visit.observers.set(observers)
    _join(cycle, host, CycleParticipant.Role.HOST)
    for observer in observers:
        _join(cycle, observer, CycleParticipant.Role.OBSERVER)
    return visit


def _entry(visit, observer, text, noted_at, look_for):
    observation, _ = Observation.objects.get_or_create(
        visit=visit, observer=observer, defaults={"school": visit.school}
    )
    return Evidence.objects.create(
        school=visit.school,
        observation=observation,
        client_id=uuid.uuid4(),
        text=text,
        look_for=look_for,
        noted_at=noted_at,
    )


@scopes_disabled()
def plant(cast) -> Planted:
    """The probe's school: rounds in three rooms, a swap day, and five canaries."""
    school = cast.school
    kinds = (
        "private_reflection",
        "coaches_reflection",
        "group_reflection",
        "goal",
        "evidence",
    )
    canaries = {kind: canary(kind) for kind in kinds}
    names = ("Lena Lindqvist", "Grace Gallagher", "Keisha Kowalczyk")
    hosts = [staff(school, Role.TEACHER, full_name=name) for name in names]
    observers = [
        staff(school, Role.TEACHER, full_name=name)
        for name in ("Omar Oyelaran", "Priya Pemberton", "Quinn Quarshie")
    ]
    facilitator = staff(school, Role.COACH, full_name="Fiona Facilitator")
    mentor = staff(school, Role.MENTOR, full_name="Milo Mentorson")
    look_fors = [
        LookFor.objects.create(
            school=school, text=text, kind=LookFor.Kind.ORAL, position=n
        )
        for n, text in enumerate(
            ("Students explain their thinking", "Students cite the text")
        )
    ]
    rounds = _cycle(school, Cycle.Kind.ROUNDS, "Probe rounds", facilitator, look_fors)
    _join(rounds, cast.district, CycleParticipant.Role.OBSERVER)
    visits = [
        _visit(rounds, host, observers, _at(PROBE_DAY, time, school))
        for host, time in zip(hosts, ROUNDS_TIMES, strict=True)
    ]
    # Each observer writes in each room five minutes in; Omar's entry in
    # Lena's room holds the canary.
    for room, visit in zip("ABC", visits, strict=True):
        for number, observer in enumerate(observers):
            text = f"Students compared strategies, note {room}{number}"
            if visit.host == hosts[0] and observer == observers[0]:
                text = f"Students argued from the text {canaries['evidence']}"
            noted = visit.starts_at + dt.timedelta(minutes=5 + number)
            _entry(visit, observer, text, noted, look_fors[number % 2])
    debrief = Debrief.objects.create(
        school=school, cycle=rounds, due_at=_at(PROBE_DAY, dt.time(15, 0), school)
    )
    # The swap day: each observer in exactly one room, all at the same hour.
    swap = _cycle(school, Cycle.Kind.SWAP, "Probe swap day", facilitator, look_fors)
    _join(swap, cast.district, CycleParticipant.Role.OBSERVER)
    swap_pairs = []
    for host, observer in zip(hosts, observers, strict=True):
        visit = _visit(swap, host, [observer], _at(PROBE_DAY, SWAP_TIME, school))
        text = f"Swap evidence {secrets.token_hex(4)}"
        noted = visit.starts_at + dt.timedelta(minutes=4)
        _entry(visit, observer, text, noted, look_fors[0])
        swap_pairs.append((observer, host, text))
    swap_debrief = Debrief.objects.create(
        school=school, cycle=swap, due_at=_at(PROBE_DAY, dt.time(15, 0), school)
    )
    Reflection.objects.create(
        school=school,
        author=hosts[0],
        body=f"Only for me {canaries['private_reflection']}",
    )
    Reflection.objects.create(
        school=school,
        author=hosts[0],
        body=f"For coaches {canaries['coaches_reflection']}",
        visibility=Reflection.Visibility.COACHES,
    )
    Reflection.objects.create(
        school=school,
        author=hosts[1],
        body=f"For the group {canaries['group_reflection']}",
        visibility=Reflection.Visibility.CYCLE_GROUP,
        cycle=rounds,
    )
    Goal.objects.create(
        school=school,
        owner=hosts[2],
        text=f"My goal {canaries['goal']}",
        cycle=rounds,
        follow_up_on=dt.date(2026, 11, 30),
    )
    planted = Planted(
        canaries=canaries,
        rounds=rounds,
        swap=swap,
        hosts=hosts,
        observer=observers[0],
        swap_pairs=swap_pairs,
        debrief=debrief,
        swap_debrief=swap_debrief,
    )
    planted.users = {
        "other_teacher": cast.outsider,
        "principal": cast.principal,
        "coach_outside": cast.coach,
        "mentor_outside": mentor,
        "district": cast.district,
        "other_school_principal": cast.other_principal,
    }
    return planted


# --- Reading a response ---------------------------------------------------------

TIME = re.compile(r"(?<!\d)([01]?\d|2[0-3]):([0-5]\d)(?::\d\d)?(?:\s?([AaPp])\.?[Mm])?")


def _times_in(text: str) -> set[dt.time]:
    found = set()
    for hour, minute, half in TIME.findall(text):
        hour = int(hour)
        if half and half.lower() == "p" and hour < 12:
            hour += 12
        if half and half.lower() == "a" and hour == 12:
            hour = 0
        found.add(dt.time(hour, int(minute)))
    return found


def visit_window(planted: Planted) -> list[tuple[dt.time, dt.time]]:
    """The canary host's visit, in school time and in UTC (ISO times are UTC
    in the API); the canary entry's minute is inside it."""
    school = planted.rounds.school
    start = _at(PROBE_DAY, ROUNDS_TIMES[0], school)
    end = start + dt.timedelta(minutes=VISIT_MINUTES)
    windows = []
    for zone in (school.tz, dt.UTC):
        windows.append((start.astimezone(zone).time(), end.astimezone(zone).time()))
    return windows


def units_around(body: str, token: str, content_type: str) -> list[str]:
    """The pieces of a response that belong with each occurrence of the token:
    the JSON object holding it, the CSV line, or the text around it in HTML
    and e-mail (tags dropped)."""
    if "json" in content_type:
        try:
            data = json.loads(body)
        except ValueError:
            data = None
        if data is not None:
            units = []

            def walk(node):
                if isinstance(node, dict):
                    if any(token in json.dumps(v) for v in node.values()) and not any(
                        isinstance(v, dict | list) and token in json.dumps(v)
                        for v in node.values()
                    ):
                        units.append(json.dumps(node))
                    for value in node.values():
                        walk(value)
                elif isinstance(node, list):
                    for value in node:
                        walk(value)

            walk(data)
            return units or [body]
    if "csv" in content_type or "calendar" in content_type:
        return [line for line in body.splitlines() if token in line]
    text = unescape(re.sub(r"<[^>]+>", " ", body))
    text = re.sub(r"\s+", " ", text)
    units = []
    for match in re.finditer(re.escape(token), text):
        units.append(text[max(0, match.start() - 240) : match.end() + 240])
    return units


def find_leaks(*, role: str, where: str, body: str, content_type: str, planted):
    """Every forbidden thing in one response read by one crawler, as lines."""
    leaks = []
    for kind, token in planted.canaries.items():
        if token in body and kind not in ALLOWED[role]:
            leaks.append(f"{role} reads the {kind} canary at {where}")
    token = planted.canaries["evidence"]
    if role in EVALUATOR_CRAWLERS and token in body:
        windows = visit_window(planted)
        for unit in units_around(body, token, content_type):
            if planted.host.full_name in unit or planted.host.get_short_name() in unit:
                leaks.append(f"{role} sees the host's name by the evidence at {where}")
            if planted.observer.full_name in unit:
                leaks.append(f"{role} sees the observer by the evidence at {where}")
            for time in _times_in(unit):
                if any(start <= time <= end for start, end in windows):
                    leaks.append(
                        f"{role} sees {time:%H:%M}, inside the host's visit, by "
                        f"the evidence at {where}"
                    )
    return leaks
