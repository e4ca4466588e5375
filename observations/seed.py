"""Demo data: evidence for past visits, and the demo teacher's reflections and goals.

Evidence varies the way a real school's does: each look-for is seen at its own
rate, more in some departments and grades than others, and one look-for per
problem rises over the semester as the work takes hold. Texts come from a bank
of sentences per look-for. Every choice is drawn from a generator seeded by
the visit and observer, so a run on the same day writes the same rows.

Idempotent: evidence is keyed by a client id derived from the visit and entry,
reflections and goals by their cycle (or their text), check-ins by their goal.
"""

import datetime
import random
import uuid

from django.utils import timezone

from cycles.models import Cycle, Visit
from jel.demo import DEMO_TEACHER_EMAIL
from jel.models import StaffProfile, User
from observations.models import Evidence, Goal, GoalCheckIn, Observation, Reflection
from observations.selectors import look_fors_for_cycle
from scheduling import demo_calendar as calendar

DOING, SAYING, THINKING = "doing", "saying", "thinking"
# Sentences an observer might write for each look-for, with what they show.
BANK = {
    "Students can say the writing target in their own words": [
        (
            "Asked what they were working on, a student said: making my claim clearer.",
            SAYING,
        ),
        (
            "Two students explained the target to a partner without looking up.",
            SAYING,
        ),
        (
            "A student told me the goal is to use evidence that proves the claim.",
            SAYING,
        ),
        ("Most of the table could say what a strong conclusion needs today.", THINKING),
        (
            "A student restated the target, then fixed it: 'no, it's reasons'.",
            THINKING,
        ),
        ("A student read the target aloud but could not say what it meant.", SAYING),
        (
            "Pairs took turns saying the target in their own words before writing.",
            DOING,
        ),
    ],
    "Students point to the posted target or rubric while they write": [
        (
            "A student ran a finger down the rubric before the second paragraph.",
            DOING,
        ),
        ("Three students glanced at the posted target while drafting.", DOING),
        (
            "Asked what was next, a student pointed to the rubric's evidence row.",
            DOING,
        ),
        ("The rubric was taped inside each folder; two students had it open.", DOING),
        ("A student said: 'I'm on this box' and pointed to the rubric.", SAYING),
        ("Nobody at the back table looked at the target during work time.", DOING),
    ],
    "Drafts show revision aimed at the target": [
        ("A draft had the claim crossed out and rewritten to be arguable.", DOING),
        ("Two drafts showed a new sentence of evidence added in the margin.", DOING),
        (
            "A student moved her strongest reason to the start of the paragraph.",
            THINKING,
        ),
        (
            "Most revisions were spelling fixes, not changes to the argument.",
            DOING,
        ),
        (
            "A student marked the sentence that meets the target, then rewrote it.",
            THINKING,
        ),
        ("A draft showed arrows reorganising the paragraphs around the claim.", DOING),
        (
            "A student said: 'my reason doesn't match my claim, I need a new one'.",
            SAYING,
        ),
    ],
    "Students give each other feedback using the target's language": [
        (
            "A student told her partner: 'your evidence doesn't prove the claim yet'.",
            SAYING,
        ),
        (
            "Partners used the rubric words 'relevant' and 'explain' in feedback.",
            SAYING,
        ),
        (
            "A pair traded drafts and each wrote one rubric criterion on a sticky.",
            DOING,
        ),
        ("Feedback at one table was 'good job' and 'I like it'.", SAYING),
        (
            "A student asked his partner which rubric row she thought he had reached.",
            THINKING,
        ),
        (
            "Two students disagreed about a reason and checked the rubric.",
            THINKING,
        ),
    ],
    "Students build on a classmate's idea out loud": [
        (
            "A student said: 'adding to what Maria said, the ratio stays the same'.",
            SAYING,
        ),
        (
            "Three students built on the first answer before the teacher spoke.",
            SAYING,
        ),
        ("A student changed his answer after hearing a classmate's example.", THINKING),
        ("During the share, a student connected two classmates' ideas.", THINKING),
        ("Students mostly answered the teacher, not each other.", DOING),
        ("A student pointed to a partner's diagram and extended it.", DOING),
        ("A quiet student said: 'that's like what we saw in the lab'.", SAYING),
    ],
    "Students use sentence stems to justify a claim": [
        ("A student began: 'I think this because...' and gave two reasons.", SAYING),
        ("Stems were on the table; both partners used 'the evidence shows'.", SAYING),
        ("A student asked for the stem card before answering.", DOING),
        (
            "A student justified her estimate: 'it has to be more than half because'.",
            THINKING,
        ),
        ("Students read the stem but finished it with a one-word answer.", SAYING),
        ("A student wrote a stem-based justification next to each answer.", DOING),
    ],
    "Students ask each other questions about their reasoning": [
        ("A student asked: 'how did you know to multiply there?'", SAYING),
        ("Partners asked each other 'why' before writing their answer down.", SAYING),
        (
            "A student asked a classmate to show where in the text she found that.",
            THINKING,
        ),
        ("No student questions between peers during the ten minutes.", DOING),
        ("A group stopped to ask one member to explain his diagram.", DOING),
        ("A student asked: 'what would happen if the number were negative?'", THINKING),
    ],
    "Anchor charts of talk moves are used during discussion": [
        ("A student pointed to the talk-moves chart before disagreeing.", DOING),
        ("The teacher tapped the chart and a student rephrased his classmate.", DOING),
        (
            "Talk moves were posted but nobody looked at them during the discussion.",
            DOING,
        ),
        ("A student used 'I respectfully disagree' straight from the chart.", SAYING),
        ("Students added a new talk move to the chart after the discussion.", THINKING),
        ("Each table had a small copy of the chart and used it to take turns.", DOING),
    ],
}
GENERAL = [
    ("Students worked in pairs for most of the ten minutes.", DOING),
    ("The room was quiet; most students were writing independently.", DOING),
    ("A student asked whether they could use the example from yesterday.", THINKING),
    ("Students moved into groups quickly and started without reminders.", DOING),
    ("One student explained the task to a classmate who had been absent.", SAYING),
]
SO_WHAT = [
    "Students were checking their own thinking against the goal.",
    "Naming the criterion made the feedback something the writer could act on.",
    "The stems gave quieter students a way in.",
    "Students were doing the thinking, not the teacher.",
]
NOW_WHAT = [
    "Try the same partner prompt in my class.",
    "Give my students the rubric in their own words before peer feedback.",
    "Model one piece of feedback before pairs start.",
    "Ask students to name the criterion before they give feedback.",
]
# How often each look-for is seen in a classroom: a base rate, and a weekly
# rise for the look-for the school has been working on.
RATES = {
    "Students can say the writing target in their own words": (0.70, 0.0),
    "Students point to the posted target or rubric while they write": (0.35, 0.0),
    "Drafts show revision aimed at the target": (0.15, 0.045),
    "Students give each other feedback using the target's language": (0.45, 0.0),
    "Students build on a classmate's idea out loud": (0.50, 0.0),
    "Students use sentence stems to justify a claim": (0.60, 0.0),
    "Students ask each other questions about their reasoning": (0.20, 0.035),
    "Anchor charts of talk moves are used during discussion": (0.40, 0.0),
}
DEPARTMENT_LIFT = {
    "English Language Arts": 0.15,
    "Social Studies": 0.05,
    "Science": 0.0,
    "Mathematics": -0.05,
    "Special Education": -0.10,
    "English Learner Support": 0.05,
}
GRADE_LIFT = {6: -0.10, 7: 0.0, 8: 0.10}
SEED_NAMESPACE = uuid.UUID("6f1f6a8e-2d4b-4d7e-9a43-3b5f0c1d7e21")


def _rng(key: str) -> random.Random:
    return random.Random(key)  # noqa: S311 - demo data, not secrets


def _weeks_into_semester(day: datetime.date) -> int:
    year = calendar.year_for(day)
    starts = [t[2] for t in year.terms if t[1] == "semester" and t[2] <= day]
    start = max(starts, default=year.first_day)
    return max(0, (day - start).days // 7)


def seen_rate(look_for: str, department: str, grade, day: datetime.date) -> float:
    """How likely an observer is to see a look-for in this classroom on this day."""
    base, rise = RATES.get(look_for, (0.4, 0.0))
    rate = (
        base
        + DEPARTMENT_LIFT.get(department, -0.15)
        + GRADE_LIFT.get(grade, 0.0)
        + rise * _weeks_into_semester(day)
    )
    return min(0.95, max(0.05, rate))


def _entries(visit, observer, look_fors, host_facts, rng):
    """(text, focus, look-for) for one observer's record of one visit."""
    department, grade = host_facts
    found = []
    for look_for in look_fors:
        if rng.random() >= seen_rate(look_for.text, department, grade, visit.date):
            continue
        bank = BANK.get(look_for.text) or GENERAL
        for text, focus in rng.sample(bank, 1 + (rng.random() < 0.35)):
            found.append((text, focus, look_for))
    if not found or rng.random() < 0.4:
        text, focus = rng.choice(GENERAL)
        found.append((text, focus, None))
    return found


def _seed_evidence(*, school) -> int:
    today = timezone.localdate(timezone=school.tz)
    visits = list(
        Visit.objects.filter(school=school, date__lt=today)
        .select_related("cycle")
        .prefetch_related("observers")
        .order_by("date", "pk")
    )
    recorded = set(
        Observation.objects.filter(school=school, visit__in=visits).values_list(
            "visit_id", "observer_id"
        )
    )
    facts = {
        p.membership.user_id: (p.department, (p.grade_levels or [None])[0])
        for p in StaffProfile.objects.filter(school=school).select_related("membership")
    }
    look_fors_of = {}
    new_observations, plans = [], []
    for visit in visits:
        if visit.cycle_id not in look_fors_of:
            look_fors_of[visit.cycle_id] = look_fors_for_cycle(cycle=visit.cycle)
        observers = sorted(visit.observers.all(), key=lambda u: u.email)[:2]
        for observer in observers:
            if (visit.pk, observer.pk) in recorded:
                continue
            started = visit.starts_at or timezone.make_aware(
                datetime.datetime.combine(visit.date, datetime.time(10, 0)),
                school.tz,
            )
            observation = Observation(
                school=school,
                visit=visit,
                observer=observer,
                started_at=started,
                ended_at=started + datetime.timedelta(minutes=visit.minutes or 15),
            )
            new_observations.append(observation)
            plans.append((observation, visit, observer, started))
    Observation.objects.bulk_create(new_observations)
    rows = []
    for observation, visit, observer, started in plans:
        rng = _rng(f"{visit.pk}-{observer.pk}")
        entries = _entries(
            visit,
            observer,
            look_fors_of[visit.cycle_id],
            facts.get(visit.host_id, ("", None)),
            rng,
        )
        for number, (text, focus, look_for) in enumerate(entries):
            words = {"text": text}
            if visit.cycle.kind == Cycle.Kind.LAB:
                words = {
                    "what": text,
                    "so_what": rng.choice(SO_WHAT),
                    "now_what": rng.choice(NOW_WHAT),
                }
            rows.append(
                Evidence(
                    school=school,
                    observation=observation,
                    client_id=uuid.uuid5(
                        SEED_NAMESPACE, f"{visit.pk}-{observer.pk}-{number}"
                    ),
                    **words,
                    student_focus=focus,
                    look_for=look_for,
                    noted_at=started + datetime.timedelta(minutes=1 + 2 * number),
                    bright_spot=number == 0 and rng.random() < 0.3,
                )
            )
    Evidence.objects.bulk_create(rows)
    return len(rows)


REFLECTIONS = [
    "My students talk more when the question has more than one answer. I want to "
    "see what happens if I ask fewer recall questions.",
    "Seeing students use the rubric on their own made me realise mine stays on "
    "the wall. I am going to put it on the desks.",
    "I noticed how long the host waited after a question. I answer my own "
    "questions too quickly.",
    "The pairs that had a stem kept talking; the others stopped after one "
    "sentence. Stems next week.",
    "I was surprised how much the students could say about the target when "
    "someone simply asked them.",
    "Revision in that room meant changing the argument, not the commas. What "
    "did the teacher do before that?",
]
VISIBILITIES = [
    Reflection.Visibility.PRIVATE,
    Reflection.Visibility.CYCLE_GROUP,
    Reflection.Visibility.COACHES,
]
GOALS = [
    "Use turn-and-talk with sentence stems twice in every lesson.",
    "Post the learning target in student-friendly words and refer to it at the "
    "end of the lesson.",
    "Pause mid-lesson so partners check drafts against the target.",
    "Wait five seconds after each question before calling on anyone.",
    "Give every pair the rubric before peer feedback and ask for one criterion.",
    "Ask one student to build on another's answer before I respond.",
    "Model one revision move aimed at the target each week.",
]
CHECK_INS = [
    (
        True,
        GoalCheckIn.Results.YES,
        "Students used the stems without reminders by the third day.",
    ),
    (
        True,
        GoalCheckIn.Results.PARTLY,
        "It worked in the morning classes; after lunch the pairs drifted.",
    ),
    (False, "", "Testing week took the time; trying again next week."),
]


def _teacher_cycles(school, teacher, today):
    """The demo teacher's past cycles, newest first."""
    return list(
        Cycle.objects.filter(school=school, starts_on__lt=today)
        .filter(memberships__user=teacher)
        .exclude(status=Cycle.Status.CANCELLED)
        .distinct()
        .order_by("-starts_on", "-pk")
    )


def seed_observations(*, school, stdout) -> None:
    created = _seed_evidence(school=school)
    teacher = User.objects.filter(email=DEMO_TEACHER_EMAIL).first()
    if teacher is None:
        return
    today = timezone.localdate(timezone=school.tz)
    cycles = _teacher_cycles(school, teacher, today)
    for body, visibility in [
        (REFLECTIONS[0], Reflection.Visibility.PRIVATE),
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
            cycle=None,
            defaults={"visibility": visibility},
        )
    # A reflection after each lab, rounds and walk she joined.
    for cycle in cycles:
        if cycle.kind not in (Cycle.Kind.LAB, Cycle.Kind.ROUNDS, Cycle.Kind.WALK):
            continue
        number = cycle.starts_on.toordinal() // 7
        reflection, made = Reflection.objects.get_or_create(
            school=school,
            author=teacher,
            cycle=cycle,
            defaults={
                "body": REFLECTIONS[1 + number % (len(REFLECTIONS) - 1)],
                "visibility": VISIBILITIES[number % len(VISIBILITIES)],
            },
        )
        if made:
            written = timezone.make_aware(
                datetime.datetime.combine(cycle.starts_on, datetime.time(16, 0)),
                school.tz,
            )
            Reflection.objects.filter(pk=reflection.pk).update(
                created_at=written, updated_at=written
            )
    # A goal after each lab, rounds and walk, and after her two latest cycles
    # of any kind: the newest follows up in twelve days, the one before in two;
    # older ones were due two weeks after their cycle and most have had their
    # check-in (which clears the follow-up day).
    for position, cycle in enumerate(cycles):
        if position >= 2 and cycle.kind == Cycle.Kind.MICRO:
            continue
        if Goal.objects.filter(school=school, owner=teacher, cycle=cycle).exists():
            continue
        rng = _rng(f"goal-{cycle.title}-{cycle.starts_on}")
        if position == 0:
            follow_up_on = today + datetime.timedelta(days=12)
        elif position == 1:
            follow_up_on = today + datetime.timedelta(days=2)
        else:
            follow_up_on = cycle.starts_on + datetime.timedelta(days=14)
        checked_in = follow_up_on < today and position % 3 != 2
        goal = Goal.objects.create(
            school=school,
            owner=teacher,
            cycle=cycle,
            text=rng.choice(GOALS),
            follow_up_on=None if checked_in else follow_up_on,
        )
        set_at = timezone.make_aware(
            datetime.datetime.combine(cycle.starts_on, datetime.time(16, 30)),
            school.tz,
        )
        Goal.objects.filter(pk=goal.pk).update(created_at=set_at)
        if checked_in:
            tried, results, why = rng.choice(CHECK_INS)
            check_in = GoalCheckIn.objects.create(
                school=school,
                goal=goal,
                tried=tried,
                results_as_anticipated=results,
                why=why,
            )
            checked = timezone.make_aware(
                datetime.datetime.combine(follow_up_on, datetime.time(15, 30)),
                school.tz,
            )
            GoalCheckIn.objects.filter(pk=check_in.pk).update(created_at=checked)
    stdout.write(f"Observations: {created} evidence entries added.")
