"""Demo cycles: one past cycle of each type this school year, with visits and debriefs.

Rows are found by natural keys (a problem's question, a cycle's title), so a
second run changes nothing. Past cycles are written as they would stand after
the fact (closed, debriefed), with their status history; they are not booked,
because calendars only need what is still to come.
"""

import datetime as dt

from django.db import transaction

from cycles import rules, selectors
from cycles.models import (
    QUALITY_CHECK_FIELDS,
    Cycle,
    CycleLookFor,
    CycleParticipant,
    CycleTransition,
    Debrief,
    LookFor,
    ProblemOfPractice,
    Visit,
    WalkNextStep,
)
from cycles.services import micro_debrief_due, problem_create
from jel.demo import DEMO_DOMAIN
from jel.models import User
from scheduling import selectors as schedule

WRITING_QUESTION = (
    "What is the evidence that students are actively engaged with the writing "
    "learning target?"
)
WRITING_LOOK_FORS = [
    ("Students can say the writing target in their own words", "oral"),
    ("Students point to the posted target or rubric while they write", "visual"),
    ("Drafts show revision aimed at the target", "artifact"),
    ("Students give each other feedback using the target's language", "oral"),
]
DISCOURSE_LOOK_FORS = [
    ("Students build on a classmate's idea out loud", "oral"),
    ("Students use sentence stems to justify a claim", "oral"),
]
Kind = Cycle.Kind
Status = Cycle.Status


def _user(name: str) -> User:
    return User.objects.get(email=f"{name}@{DEMO_DOMAIN}")


def _moment(school, day: dt.date, clock: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, clock, tzinfo=school.tz)


def _period_for(school, host, observers, day, prefer=None):
    """A period the host teaches: the block's period if they can, else one in
    which the observers plan."""
    taught = schedule.teaching_periods(user=host, day=day, school=school)
    if not taught:
        return None
    same = [p for p in taught if prefer is not None and p.number == prefer.number]
    if same:
        return same[0]
    busy = {}
    for observer in observers:
        for p in schedule.teaching_periods(user=observer, day=day, school=school):
            busy[p.number] = busy.get(p.number, 0) + 1
    return min(taught, key=lambda p: (busy.get(p.number, 0), p.starts_at))


def _problem(school, principal) -> ProblemOfPractice:
    found = ProblemOfPractice.objects.filter(
        school=school, question=WRITING_QUESTION
    ).first()
    if found:
        return found
    return problem_create(
        school=school,
        by=principal,
        question=WRITING_QUESTION,
        theory_of_action="If teachers post, unpack and revisit the writing target "
        "with students, then students will use it to plan and revise their writing.",
        initiative="Writing across the curriculum",
        checks=QUALITY_CHECK_FIELDS,
        look_fors=WRITING_LOOK_FORS,
    )


def _library(school, coach) -> list[LookFor]:
    found = []
    for text, kind in DISCOURSE_LOOK_FORS:
        look_for, _ = LookFor.objects.get_or_create(
            school=school,
            text=text,
            problem=None,
            defaults={"kind": kind, "created_by": coach},
        )
        found.append(look_for)
    return found


def _history(cycle, by, steps):
    """Record the status moves a past cycle went through, at their times."""
    previous = Status.DRAFT
    for status, at in steps:
        CycleTransition.objects.create(
            school=cycle.school,
            cycle=cycle,
            from_status=previous,
            to_status=status,
            by=by,
            at=at,
        )
        previous = status
    cycle.status = previous
    cycle.save(update_fields=["status"])


def _past_cycle(
    school,
    *,
    kind,
    title,
    day,
    by,
    facilitator,
    visits,
    look_fors,
    observers=(),
    status=Status.CLOSED,
    debrief=None,
    **fields,
):
    """One past cycle with its people, visits, debrief and history."""
    cycle = Cycle.objects.filter(school=school, title=title).first()
    if cycle is not None:
        return cycle
    cycle = Cycle.objects.create(
        school=school,
        kind=kind,
        title=title,
        facilitator=facilitator,
        starts_on=day,
        ends_on=day,
        created_by=by,
        **fields,
    )
    if cycle.problem_of_practice_id:
        cycle.problem_version = cycle.problem_of_practice.versions.order_by(
            "-number"
        ).first()
        cycle.save(update_fields=["problem_version"])
    hosts = []
    for host, _ in visits:
        if host not in hosts:
            hosts.append(host)
    rows = [
        CycleParticipant(
            school=school,
            cycle=cycle,
            user=host,
            role=CycleParticipant.Role.HOST,
            host_response=CycleParticipant.HostResponse.ACCEPTED
            if kind == Kind.LAB
            else "",
        )
        for host in hosts
    ]
    rows += [
        CycleParticipant(
            school=school, cycle=cycle, user=u, role=CycleParticipant.Role.OBSERVER
        )
        for u in observers
    ]
    rows.append(
        CycleParticipant(
            school=school,
            cycle=cycle,
            user=facilitator,
            role=CycleParticipant.Role.FACILITATOR,
        )
    )
    CycleParticipant.objects.bulk_create(rows)
    CycleLookFor.objects.bulk_create(
        CycleLookFor(school=school, cycle=cycle, look_for=lf, position=i)
        for i, lf in enumerate(look_fors)
    )
    if kind == Kind.WALK:
        walkers = selectors.teachers_for(observers, school=school)
        groups = rules.form_mixed_groups(walkers, cycle.group_size or 3, by="grade")
        for number, group in enumerate(groups, start=1):
            CycleParticipant.objects.filter(
                cycle=cycle,
                role=CycleParticipant.Role.OBSERVER,
                user_id__in=[t.id for t in group],
            ).update(group_number=number)
    made = []
    offsets = {}
    block = None
    if kind in (Kind.ROUNDS, Kind.WALK):
        # Rounds and walks visit their classrooms in one block: a period that
        # every host teaches, if there is one.
        numbers = None
        for host in hosts:
            taught = {
                p.number
                for p in schedule.teaching_periods(user=host, day=day, school=school)
            }
            numbers = taught if numbers is None else numbers & taught
        block = next(
            (
                p
                for p in schedule.teaching_periods(
                    user=hosts[0], day=day, school=school
                )
                if p.number in (numbers or set())
            ),
            None,
        )
    for host, watchers in visits:
        period = _period_for(school, host, watchers, day, prefer=block)
        block = block or period
        clock = period.starts_at if period else dt.time(9, 0)
        step = offsets.get(period.pk if period else None, 0)
        offsets[period.pk if period else None] = step + 1
        starts_at = _moment(school, day, clock) + dt.timedelta(minutes=20 * step)
        visit = Visit.objects.create(
            school=school,
            cycle=cycle,
            host=host,
            date=day,
            period=period,
            starts_at=starts_at,
            minutes=15,
            room=period.section.room if period is not None else None,
        )
        visit.observers.set(watchers)
        made.append(visit)
    start = _moment(school, day, dt.time(7, 30))
    debrief = debrief or {}
    held_after = debrief.pop("held_after", dt.timedelta(days=1))
    steps = debrief.pop("steps", {})
    if kind == Kind.MICRO:
        for visit in made:
            row = Debrief.objects.create(
                school=school,
                cycle=cycle,
                visit=visit,
                due_at=micro_debrief_due(visit),
                held_at=None if held_after is None else visit.ends_at + held_after,
                **debrief,
            )
            row.attendees.set([visit.host, *visit.observers.all()])
    else:
        due = start + dt.timedelta(days=1, hours=7)
        row = Debrief.objects.create(
            school=school,
            cycle=cycle,
            due_at=due,
            held_at=None if held_after is None else due,
            **debrief,
        )
        row.attendees.set(list(observers) + hosts)
        for number, text in steps.items():
            WalkNextStep.objects.create(
                school=school, debrief=row, group_number=number, next_step=text
            )
    path = [
        (Status.SCHEDULED, start - dt.timedelta(days=10)),
        (Status.IN_PROGRESS, start + dt.timedelta(hours=1)),
        (Status.DEBRIEFED, start + dt.timedelta(days=1, hours=8)),
        (Status.CLOSED, start + dt.timedelta(days=2)),
    ]
    order = [s for s, _ in path]
    _history(cycle, by, path[: order.index(status) + 1])
    # Planned before it was scheduled, as it would have been.
    Cycle.objects.filter(pk=cycle.pk).update(created_at=start - dt.timedelta(days=14))
    return cycle


@transaction.atomic
def seed_cycles(*, school, stdout=None):
    """Seed the demo problem of practice and a past cycle of each type."""
    principal, coach = _user("principal"), _user("coach")
    problem = _problem(school, principal)
    writing = list(problem.look_fors.order_by("position"))
    discourse = _library(school, coach)
    tara, samuel, lena = (
        _user("tara.nguyen"),
        _user("samuel.okafor"),
        _user("lena.fischer"),
    )
    jamal, grace = _user("jamal.wright"), _user("grace.kim")
    omar, priya, ben = _user("omar.haddad"), _user("priya.raman"), _user("ben.carter")
    sofia, elijah, hannah = (
        _user("sofia.rossi"),
        _user("elijah.moore"),
        _user("hannah.lee"),
    )
    noah, maya, keisha = (
        _user("noah.bennett"),
        _user("maya.patel"),
        _user("keisha.johnson"),
    )
    aaron, isabel, victor = (
        _user("aaron.schwartz"),
        _user("isabel.santos"),
        _user("victor.chen"),
    )
    rounds_observers = [tara, jamal, priya, maya]
    _past_cycle(
        school,
        kind=Kind.ROUNDS,
        title="Writing rounds, October",
        day=dt.date(2026, 10, 8),
        by=principal,
        facilitator=coach,
        problem_of_practice=problem,
        focus="How students use the writing target while drafting.",
        visits=[
            (lena, rounds_observers),
            (grace, rounds_observers),
            (keisha, rounds_observers),
        ],
        observers=rounds_observers,
        look_fors=writing,
        debrief={
            "describe": "In two of three rooms students read the target aloud; "
            "few referred to it while writing.",
            "analyze": "The target is posted everywhere but used mostly at the "
            "start of the lesson.",
            "predict": "As a student here I would learn that the target is "
            "something to copy, not to use.",
            "next_level_of_work": "Model checking a draft against the target in "
            "the middle of the lesson.",
        },
    )
    _past_cycle(
        school,
        kind=Kind.LAB,
        title="Peer feedback lab with Lena",
        day=dt.date(2026, 10, 20),
        by=coach,
        facilitator=coach,
        problem_of_practice=problem,
        focus="Peer feedback using the rubric's language.",
        prebrief_goal="Students give feedback that names one rubric criterion.",
        prebrief_expectations="Sit with a pair; listen, do not help.",
        prebrief_prompts="What words from the rubric do students use?",
        visits=[(lena, [tara, jamal, samuel])],
        observers=[tara, jamal, samuel],
        look_fors=[writing[3]],
        debrief={
            "held_after": dt.timedelta(0),
            "reflection": "Feedback was specific when students had stems; pairs "
            "without stems praised in general terms.",
        },
    )
    _past_cycle(
        school,
        kind=Kind.SWAP,
        title="Math department swap day",
        day=dt.date(2026, 11, 5),
        by=principal,
        facilitator=coach,
        focus="How students explain their reasoning.",
        visits=[(ben, [priya]), (priya, [ben]), (hannah, [elijah]), (elijah, [hannah])],
        look_fors=discourse,
        debrief={
            "reflection": "Both pairs saw more student talk when problems had "
            "two solution paths.",
        },
    )
    _past_cycle(
        school,
        kind=Kind.WALK,
        title="Discourse learning walk",
        day=dt.date(2026, 11, 12),
        by=principal,
        facilitator=coach,
        initiative="Student discourse across content areas",
        grouping=Cycle.Grouping.GRADE,
        group_size=3,
        guiding_students_doing="Talking to each other about ideas, not only to the "
        "teacher.",
        guiding_subtle_prompts="Turn-and-talk with a sentence stem.",
        guiding_expected_artifacts="Anchor charts of talk moves.",
        visits=[
            (noah, [samuel, omar, isabel, sofia, victor, aaron]),
            (sofia, [samuel, omar, isabel, noah, victor, aaron]),
        ],
        observers=[samuel, omar, isabel, noah, victor, aaron],
        look_fors=discourse,
        debrief={
            "patterns": "Students talked most where stems were posted.",
            "steps": {
                1: "Post talk stems in every room.",
                2: "Add wait time after each question.",
            },
        },
    )
    _past_cycle(
        school,
        kind=Kind.MICRO,
        title="Micro-observation: target talk in Ben's class",
        day=dt.date(2026, 11, 17),
        by=coach,
        facilitator=coach,
        visits=[(ben, [omar])],
        look_fors=[writing[0]],
        debrief={
            "held_after": dt.timedelta(hours=3),
            "next_step": "Ask two students to restate the target before work time.",
        },
    )
    # Still waiting for its debrief: the home page flags it as overdue.
    _past_cycle(
        school,
        kind=Kind.MICRO,
        title="Micro-observation: revision in Jamal's class",
        day=dt.date(2026, 11, 23),
        by=coach,
        facilitator=coach,
        visits=[(jamal, [tara])],
        look_fors=[writing[2]],
        status=Status.IN_PROGRESS,
        debrief={"held_after": None},
    )
    if stdout is not None:
        count = Cycle.objects.filter(school=school).count()
        stdout.write(f"Cycles: {count} demo cycles with visits and debriefs.")
