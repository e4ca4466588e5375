"""Demo data: evidence for past visits, and the demo teacher's reflections and goals.

Idempotent: evidence is keyed by a client id derived from the visit and entry,
reflections and goals by their text.
"""

import datetime
import uuid

from django.utils import timezone

from cycles.models import Cycle, Visit
from jel.demo import DEMO_TEACHER_EMAIL
from jel.models import User
from observations.models import Evidence, Goal, Observation, Reflection
from observations.selectors import look_fors_for_cycle

SAMPLE_EVIDENCE = [
    (
        "Two students explained their strategy to a partner using the target words.",
        "saying",
    ),
    ("Most students wrote a claim before looking at the example.", "doing"),
    ("A student asked: how do we know the author means that?", "thinking"),
    (
        "Students pointed to the learning target on the board when asked what they "
        "were learning.",
        "doing",
    ),
]
SEED_NAMESPACE = uuid.UUID("6f1f6a8e-2d4b-4d7e-9a43-3b5f0c1d7e21")


def _seed_evidence(*, school) -> int:
    today = timezone.localdate()
    created = 0
    visits = (
        Visit.objects.filter(school=school, date__lt=today)
        .select_related("cycle")
        .prefetch_related("observers")
    )
    for visit in visits:
        look_fors = look_fors_for_cycle(cycle=visit.cycle)
        for observer in visit.observers.all()[:2]:
            observation, _ = Observation.objects.get_or_create(
                visit=visit, observer=observer, defaults={"school": school}
            )
            for number, (text, focus) in enumerate(SAMPLE_EVIDENCE):
                client_id = uuid.uuid5(
                    SEED_NAMESPACE, f"{visit.pk}-{observer.pk}-{number}"
                )
                noted_at = timezone.make_aware(
                    datetime.datetime.combine(visit.date, datetime.time(10, number))
                )
                words = {"text": text}
                if visit.cycle.kind == Cycle.Kind.LAB:
                    words = {
                        "what": text,
                        "so_what": "Students were checking their own thinking.",
                        "now_what": "Try the same partner prompt in my class.",
                    }
                _, made = Evidence.objects.get_or_create(
                    client_id=client_id,
                    defaults={
                        "school": school,
                        "observation": observation,
                        **words,
                        "student_focus": focus,
                        "look_for": look_fors[number % len(look_fors)]
                        if look_fors
                        else None,
                        "noted_at": noted_at,
                        "bright_spot": number == 0,
                    },
                )
                created += made
    return created


def seed_observations(*, school, stdout) -> None:
    created = _seed_evidence(school=school)
    teacher = User.objects.filter(email=DEMO_TEACHER_EMAIL).first()
    if teacher is None:
        return
    today = timezone.localdate()
    for body, visibility in [
        (
            "My students talk more when the question has more than one answer. "
            "I want to see what happens if I ask fewer recall questions.",
            Reflection.Visibility.PRIVATE,
        ),
        (
            "Wondering how to get the quiet table to share their thinking before "
            "the whole-class discussion. Ideas welcome.",
            Reflection.Visibility.COACHES,
        ),
    ]:
        Reflection.objects.get_or_create(
            school=school,
            author=teacher,
            body=body,
            defaults={"visibility": visibility},
        )
    for text, follow_up_on in [
        (
            "Use turn-and-talk with sentence stems twice in every lesson.",
            today + datetime.timedelta(days=2),
        ),
        (
            "Post the learning target in student-friendly words and refer to it at "
            "the end of the lesson.",
            today + datetime.timedelta(days=12),
        ),
    ]:
        Goal.objects.get_or_create(
            school=school,
            owner=teacher,
            text=text,
            defaults={"follow_up_on": follow_up_on},
        )
    stdout.write(f"Observations: {created} evidence entries added.")
