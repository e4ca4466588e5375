"""Cycles, visits and evidence for observations tests, built directly on models."""

import datetime
import io
import uuid
import zipfile

from django.conf import settings
from django.utils import timezone
from django_scopes import scopes_disabled

from cycles.models import Cycle, CycleLookFor, CycleParticipant, LookFor, Visit
from observations.models import (
    Evidence,
    Goal,
    Observation,
    Reflection,
    SchoolExport,
)


@scopes_disabled()
def cycle_with_visit(
    school,
    *,
    host,
    observers=(),
    facilitator=None,
    kind=Cycle.Kind.ROUNDS,
    day=None,
    look_fors=("Students explain their thinking", "Students cite the text"),
    title="Writing rounds",
    at=datetime.time(7, 30),
):
    """A scheduled cycle with look-fors and one visit; returns the visit.

    The visit starts at `at` on `day` (today by default): at the suite's 08:00
    it has started, so evidence can be recorded.
    """
    cycle = Cycle.objects.create(
        school=school,
        kind=kind,
        title=title,
        focus="Students talk about the writing target",
        facilitator=facilitator,
        status=Cycle.Status.SCHEDULED,
        guiding_students_doing="Students explaining evidence to each other",
    )
    for position, text in enumerate(look_fors):
        look_for = LookFor.objects.create(
            school=school, text=text, kind=LookFor.Kind.ORAL, position=position
        )
        CycleLookFor.objects.create(
            school=school, cycle=cycle, look_for=look_for, position=position
        )
    day = day or timezone.localdate()
    visit = Visit.objects.create(
        school=school,
        cycle=cycle,
        host=host,
        date=day,
        starts_at=timezone.make_aware(datetime.datetime.combine(day, at)),
    )
    visit.observers.set(observers)
    CycleParticipant.objects.create(
        school=school, cycle=cycle, user=host, role=CycleParticipant.Role.HOST
    )
    for observer in observers:
        CycleParticipant.objects.create(
            school=school,
            cycle=cycle,
            user=observer,
            role=CycleParticipant.Role.OBSERVER,
        )
    if facilitator is not None:
        CycleParticipant.objects.create(
            school=school,
            cycle=cycle,
            user=facilitator,
            role=CycleParticipant.Role.FACILITATOR,
        )
    return visit


@scopes_disabled()
def evidence(visit, observer, text="Students explained their reasoning", **extra):
    observation, _ = Observation.objects.get_or_create(
        visit=visit, observer=observer, defaults={"school": visit.school}
    )
    return Evidence.objects.create(
        school=visit.school,
        observation=observation,
        client_id=uuid.uuid4(),
        text=text,
        **extra,
    )


@scopes_disabled()
def reflection(author, school, body="I noticed my students", **extra):
    return Reflection.objects.create(school=school, author=author, body=body, **extra)


@scopes_disabled()
def goal(owner, school, text="Use turn-and-talk every lesson", **extra):
    return Goal.objects.create(school=school, owner=owner, text=text, **extra)


ACCESS_EXPORT_FILE = "exports/tests/access-case.zip"


@scopes_disabled()
def finished_export(school, user, **extra):
    """A done export row with a small zip on disk (not a real export's content)."""
    path = settings.VAR_DIR / ACCESS_EXPORT_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("README.md", "A test export.\n")
    path.write_bytes(buffer.getvalue())
    return SchoolExport.objects.create(
        school=school,
        requested_by=user,
        role="principal",
        status=SchoolExport.Status.DONE,
        progress=100,
        step="Ready",
        file_name=ACCESS_EXPORT_FILE,
        size=len(buffer.getvalue()),
        rows=1,
        finished_at=timezone.now(),
        **extra,
    )


@scopes_disabled()
def running_export(school, user):
    return SchoolExport.objects.create(
        school=school,
        requested_by=user,
        role="principal",
        status=SchoolExport.Status.RUNNING,
        progress=40,
        step="Reading visits",
    )
