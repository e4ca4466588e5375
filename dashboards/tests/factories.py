"""Known data for the dashboard tests: cycles, visits, observations and evidence.

Rows are made directly (as the cycles and observations services would leave
them) so each test states exactly which figures it expects.
"""

import datetime as dt
import itertools
import uuid

from django.utils import timezone
from django_scopes import scopes_disabled

from cycles.models import Cycle, CycleLookFor, CycleParticipant, Debrief, LookFor, Visit
from observations.models import Evidence, Observation

_numbers = itertools.count(1)


@scopes_disabled()
def look_for(school, text, *, kind=LookFor.Kind.VISUAL, problem=None, position=0):
    return LookFor.objects.create(
        school=school, text=text, kind=kind, problem=problem, position=position
    )


@scopes_disabled()
def cycle(
    school,
    *,
    kind=Cycle.Kind.ROUNDS,
    look_fors=(),
    problem=None,
    facilitator=None,
    status=Cycle.Status.IN_PROGRESS,
    title=None,
    starts_on=None,
):
    made = Cycle.objects.create(
        school=school,
        kind=kind,
        title=title or f"Cycle {next(_numbers)}",
        problem_of_practice=problem,
        facilitator=facilitator,
        status=status,
        starts_on=starts_on,
    )
    for position, found in enumerate(look_fors):
        CycleLookFor.objects.create(
            school=school, cycle=made, look_for=found, position=position
        )
    if facilitator is not None:
        CycleParticipant.objects.create(
            school=school,
            cycle=made,
            user=facilitator,
            role=CycleParticipant.Role.FACILITATOR,
        )
    return made


def _join(the_cycle, user, role):
    CycleParticipant.objects.get_or_create(
        school=the_cycle.school,
        cycle=the_cycle,
        user=user,
        role=role,
    )


@scopes_disabled()
def visit(
    the_cycle,
    host,
    observers,
    day: dt.date,
    *,
    seen=(),
    tallies=None,
    minutes=15,
    observed=True,
    texts=None,
):
    """A visit; when observed, the first observer's record tags each look-for seen
    (or, seeing none, holds one entry tied to no look-for)."""
    made = Visit.objects.create(
        school=the_cycle.school, cycle=the_cycle, host=host, date=day, minutes=minutes
    )
    made.observers.set(observers)
    _join(the_cycle, host, CycleParticipant.Role.HOST)
    for observer in observers:
        _join(the_cycle, observer, CycleParticipant.Role.OBSERVER)
    if not observed or not observers:
        return made
    noted = timezone.make_aware(
        dt.datetime.combine(day, dt.time(10, 0)), the_cycle.school.tz
    )
    record = Observation.objects.create(
        school=the_cycle.school,
        visit=made,
        observer=observers[0],
        started_at=noted,
        ended_at=noted + dt.timedelta(minutes=minutes),
    )
    for found in seen:
        Evidence.objects.create(
            school=the_cycle.school,
            observation=record,
            client_id=uuid.uuid4(),
            look_for=found,
            text=(texts or {}).get(found.pk, "Students explained their thinking."),
            student_focus=Evidence.StudentFocus.SAYING,
            noted_at=noted,
        )
    if not seen and not tallies:
        # Observed means evidence was recorded (dashboards count only such
        # visits); an entry tied to no look-for changes no look-for's figures.
        Evidence.objects.create(
            school=the_cycle.school,
            observation=record,
            client_id=uuid.uuid4(),
            text="Students worked in pairs.",
            noted_at=noted,
        )
    for found, count in (tallies or {}).items():
        for _ in range(count):
            Evidence.objects.create(
                school=the_cycle.school,
                observation=record,
                client_id=uuid.uuid4(),
                look_for=found,
                is_tally=True,
                noted_at=noted,
            )
    return made


@scopes_disabled()
def debrief(the_cycle, *, due_at, held_at=None, the_visit=None, attendees=()):
    made = Debrief.objects.create(
        school=the_cycle.school,
        cycle=the_cycle,
        visit=the_visit,
        due_at=due_at,
        held_at=held_at,
    )
    made.attendees.set(attendees)
    return made
