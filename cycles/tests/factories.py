import factory

from cycles.models import Cycle, LookFor, ProblemOfPractice
from cycles.services import problem_create

ALL_CHECKS = [
    "check_instructional_core",
    "check_observable",
    "check_actionable",
    "check_broader_strategy",
    "check_high_leverage",
]


def problem(school, by=None, *, checks=ALL_CHECKS, look_fors=None, question=None):
    """A problem of practice through the service, so it has its first version."""
    return problem_create(
        school=school,
        by=by,
        question=question
        or "What is the evidence that students are actively engaged with the "
        "writing learning target?",
        theory_of_action="If teachers post and revisit the target, then students "
        "can say what they are learning.",
        initiative="Writing across the curriculum",
        checks=checks,
        look_fors=look_fors
        if look_fors is not None
        else [
            ("Students explain the target in their own words", "oral"),
            ("Students refer to the posted target or rubric", "visual"),
            ("Drafts show revision toward the target", "artifact"),
        ],
    )


class LookForFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LookFor

    text = factory.Sequence(lambda n: f"Students do thing {n}")
    kind = LookFor.Kind.VISUAL


class ProblemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProblemOfPractice

    question = factory.Sequence(lambda n: f"What is the evidence that students {n}?")


class CycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cycle

    kind = Cycle.Kind.ROUNDS
    title = factory.Sequence(lambda n: f"Cycle {n}")
