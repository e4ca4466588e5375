"""Demo cycles: about ten school weeks of past cycles of all five types.

The history is planned week by week from the calendar (walking back from
today through the demo's school days): each week has one rounds, lab, swap
day or learning walk in turn, and two micro-observations; the most recent
school day has a micro-observation whose debrief is still due. Who takes part
is drawn from a random generator seeded by the cycle's kind and day, so a
plan for a given day is always the same.

Rows are found by natural keys (a problem's question, a cycle's title and
day), so a second run changes nothing and a later run only adds the days that
have passed since. Past cycles are written as they would stand after the
fact (closed, debriefed), with their status history; they are not booked,
because calendars only need what is still to come. What is to come is planned
through the services and booked: this week's two visits of "Plan a visit"
(one-visit micro-observations, one with cover) and next week's instructional
rounds with their debrief, so the principal's and coach's calendars have them.
"""

import datetime as dt
import random
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

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
from cycles.services.planning import walk_routes
from jel.demo import DEMO_DOMAIN, demo_people
from jel.models import Role, User
from scheduling import demo as schedule_demo
from scheduling import demo_calendar as calendar
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
    ("Students ask each other questions about their reasoning", "oral"),
    ("Anchor charts of talk moves are used during discussion", "visual"),
]
Kind = Cycle.Kind
Status = Cycle.Status


def _user(name: str) -> User:
    return User.objects.get(email=f"{name}@{DEMO_DOMAIN}")


def _moment(school, day: dt.date, clock: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, clock, tzinfo=school.tz)


_TAUGHT: dict = {}


def _teaching(school, user, day):
    """teaching_periods, remembered for the length of one seed run."""
    key = (school.pk, user.pk, day)
    if key not in _TAUGHT:
        _TAUGHT[key] = schedule.teaching_periods(user=user, day=day, school=school)
    return _TAUGHT[key]


def _period_for(school, host, observers, day, prefer=None):
    """A period the host teaches: the block's period if they can, else one in
    which the observers plan."""
    taught = _teaching(school, host, day)
    if not taught:
        return None
    same = [p for p in taught if prefer is not None and p.number == prefer.number]
    if same:
        return same[0]
    busy = {}
    for observer in observers:
        for p in _teaching(school, observer, day):
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
    previous, rows = Status.DRAFT, []
    for status, at in steps:
        rows.append(
            CycleTransition(
                school=cycle.school,
                cycle=cycle,
                from_status=previous,
                to_status=status,
                by=by,
                at=at,
            )
        )
        previous = status
    CycleTransition.objects.bulk_create(rows)
    cycle.status = previous
    cycle.save(update_fields=["status"])


def _walk_visits(cycle, hosts, visits):
    """A walk's visits as planning lays out groups: each group in its own rooms
    at once (walk_routes), instead of every walker in every room."""
    groups = list(selectors.walk_groups(cycle=cycle).values())
    if len(groups) < 2:
        return visits, None
    grouped = {user.pk for group in groups for user in group}
    everyone = {user.pk: user for _host, watchers in visits for user in watchers}
    loose = [user for pk, user in everyone.items() if pk not in grouped]
    groups[0] = groups[0] + loose
    routes = walk_routes(hosts, groups)
    return [(host, walkers) for _step, host, walkers in routes], [
        step for step, _host, _walkers in routes
    ]


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
    cycle = Cycle.objects.filter(school=school, title=title, starts_on=day).first()
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
        visits, walk_steps = _walk_visits(cycle, hosts, visits)
    else:
        walk_steps = None
    made = []
    offsets = {}
    block = None
    if kind in (Kind.ROUNDS, Kind.WALK):
        # Rounds and walks visit their classrooms in one block: a period that
        # every host teaches, if there is one.
        numbers = None
        for host in hosts:
            taught = {p.number for p in _teaching(school, host, day)}
            numbers = taught if numbers is None else numbers & taught
        block = next(
            (
                p
                for p in _teaching(school, hosts[0], day)
                if p.number in (numbers or set())
            ),
            None,
        )
    for index, (host, watchers) in enumerate(visits):
        period = _period_for(school, host, watchers, day, prefer=block)
        block = block or period
        clock = period.starts_at if period else dt.time(9, 0)
        step = offsets.get(period.pk if period else None, 0)
        offsets[period.pk if period else None] = step + 1
        if walk_steps is not None:
            # The walk's groups are in their own rooms at once, step by step.
            step = walk_steps[index]
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
    now = timezone.now()
    start = _moment(school, day, dt.time(7, 30))
    notes = dict(debrief or {})
    # How long after the visit (micro) or after the due time (others) the
    # debrief was held; None: not yet. Nothing is held after now.
    held_after = notes.pop("held_after", dt.timedelta(0))
    steps = notes.pop("steps", {})
    held_times = []
    if kind == Kind.MICRO:
        for visit in made:
            held = None if held_after is None else visit.ends_at + held_after
            held = held if held is not None and held <= now else None
            held_times.append(held)
            row = Debrief.objects.create(
                school=school,
                cycle=cycle,
                visit=visit,
                due_at=micro_debrief_due(visit),
                held_at=held,
                **(notes if held else {}),
            )
            row.attendees.set([visit.host, *visit.observers.all()])
    else:
        if kind == Kind.LAB:
            # The facilitated reflection follows the lesson straight away.
            due = max(v.ends_at for v in made) + dt.timedelta(minutes=10)
        else:
            due = start + dt.timedelta(days=1, hours=7)
        held = None if held_after is None else due + held_after
        held = held if held is not None and held <= now else None
        held_times.append(held)
        row = Debrief.objects.create(
            school=school,
            cycle=cycle,
            due_at=due,
            held_at=held,
            **(notes if held else {}),
        )
        row.attendees.set(list(observers) + hosts)
        if held:
            WalkNextStep.objects.bulk_create(
                WalkNextStep(
                    school=school, debrief=row, group_number=number, next_step=text
                )
                for number, text in steps.items()
            )
    order = [Status.SCHEDULED, Status.IN_PROGRESS, Status.DEBRIEFED, Status.CLOSED]
    path = [
        (Status.SCHEDULED, start - dt.timedelta(days=10)),
        (Status.IN_PROGRESS, start + dt.timedelta(hours=1)),
    ]
    if all(held_times):
        debriefed = max(held_times) + dt.timedelta(minutes=30)
        path.append((Status.DEBRIEFED, debriefed))
        if debriefed + dt.timedelta(days=1) <= now:
            path.append((Status.CLOSED, debriefed + dt.timedelta(days=1)))
    reached = [step for step in path if order.index(step[0]) <= order.index(status)]
    _history(cycle, by, reached)
    # Planned before it was scheduled, as it would have been.
    Cycle.objects.filter(pk=cycle.pk).update(created_at=start - dt.timedelta(days=14))
    return cycle


ROUNDS_DEBRIEFS = [
    {
        "describe": "In most rooms students read the target aloud; few referred "
        "to it while writing.",
        "analyze": "The target is posted everywhere but used mostly at the start "
        "of the lesson.",
        "predict": "As a student here I would learn that the target is something "
        "to copy, not to use.",
        "next_level_of_work": "Model checking a draft against the target in the "
        "middle of the lesson.",
    },
    {
        "describe": "Students in three rooms had the rubric open beside their "
        "drafts; two pairs used its words to give feedback.",
        "analyze": "Where the rubric was in student-friendly words, students "
        "used it without prompting.",
        "predict": "As a student here I would learn to check my own writing "
        "against what good looks like.",
        "next_level_of_work": "Rewrite each unit's rubric with students in their "
        "own words.",
    },
    {
        "describe": "Revisions were mostly spelling and punctuation; one room "
        "showed reorganised paragraphs.",
        "analyze": "Students revise what they know how to fix; few know how to "
        "revise for the target.",
        "predict": "As a student here I would learn that revising means correcting.",
        "next_level_of_work": "Teach one revision move tied to the target each "
        "week and look for it in drafts.",
    },
]
LAB_REFLECTIONS = [
    "Feedback was specific when students had stems; pairs without stems praised "
    "in general terms.",
    "Students who restated the goal first gave feedback that named a criterion.",
    "The quiet pair talked once the host gave them a choice of two prompts.",
    "Modelling one piece of feedback at the start changed what every pair said.",
]
SWAP_REFLECTIONS = [
    "Both pairs saw more student talk when problems had two solution paths.",
    "Students explained their thinking more when the teacher waited before "
    "calling on anyone.",
    "Talk moves posted on the wall were used in one room and ignored in the "
    "other; the difference was whether the teacher pointed to them.",
]
WALK_PATTERNS = [
    "Students talked most where stems were posted.",
    "Turn-and-talks were short; students who had a stem kept talking longer.",
    "Questions between students appeared in every grade once partners were set.",
]
WALK_STEPS = [
    "Post talk stems in every room.",
    "Add wait time after each question.",
    "Set talk partners for the whole week.",
    "End each discussion with one student summarising another's idea.",
]
MICRO_NEXT_STEPS = [
    "Ask two students to restate the target before work time.",
    "Pause mid-lesson and have partners check drafts against the target.",
    "Give the quiet table a sentence stem before the discussion.",
    "Ask one student to build on another's answer before adding your own.",
    "Leave the rubric on the desks, not only on the wall.",
]
# Teachers who have opened their rooms for labs (hosting is opt-in).
LAB_VOLUNTEERS = [
    "lena.fischer",
    "ben.carter",
    "keisha.johnson",
    "noah.bennett",
    "grace.kim",
    "rosa.delgado",
]
SWAP_DEPARTMENTS = ["Mathematics", "Science", "Social Studies"]
BIG_KINDS = [Kind.ROUNDS, Kind.LAB, Kind.SWAP, Kind.WALK]
TEACHER = "tara.nguyen"
DUE_MICRO = ("jamal.wright", TEACHER)


@dataclass
class Planned:
    """One past cycle the history calls for."""

    kind: str
    day: dt.date
    title: str
    hosts: list
    observers: list
    facilitator: str = "coach"
    fields: dict = field(default_factory=dict)
    status: str = Status.CLOSED
    debrief: dict = field(default_factory=dict)


def _rng(key: str) -> random.Random:
    """A generator seeded by a plan item's key: the same choices every run."""
    return random.Random(key)  # noqa: S311 - demo data, not secrets


def _first_name(key: str) -> str:
    return key.split(".")[0].capitalize()


def _label(day: dt.date) -> str:
    return f"{day:%B} {day.day}"


def _staff():
    """(key, department, years, grade) for everyone who teaches."""
    found = []
    for person in demo_people():
        if person.role not in (Role.TEACHER, Role.MENTOR):
            continue
        key = person.email.split("@")[0]
        found.append((key, person.department, person.years, person.grades[0]))
    return found


def _teaching_on(day: dt.date, staff):
    """Who has classes on a day: everyone in term, the summer staff in summer."""
    if calendar.year_for(day).is_summer(day):
        return [s for s in staff if s[1] in schedule_demo.SUMMER_DEPARTMENTS]
    return list(staff)


def _spread(rng, people, count, exclude=()):
    """count people from as many departments as possible."""
    by_department = {}
    for person in people:
        if person[0] not in exclude:
            by_department.setdefault(person[1], []).append(person)
    departments = sorted(by_department)
    rng.shuffle(departments)
    chosen = []
    while len(chosen) < count and any(by_department.values()):
        for department in departments:
            pool = by_department[department]
            if pool and len(chosen) < count:
                chosen.append(pool.pop(rng.randrange(len(pool))))
    return [person[0] for person in chosen]


def history_plan(today: dt.date) -> list[Planned]:
    """The past cycles of the weeks before today, a function of the day alone."""
    staff = _staff()
    days = calendar.school_days_before(today, calendar.HISTORY_SCHOOL_DAYS)
    weeks = {}
    for day in sorted(days):
        weeks.setdefault(calendar.monday_of(day), []).append(day)
    plan = []
    for monday, week in sorted(weeks.items()):
        number = monday.toordinal() // 7
        middle = week[len(week) // 2]
        kind = BIG_KINDS[number % len(BIG_KINDS)]
        rng = _rng(f"{kind}-{middle.isoformat()}")
        teaching = _teaching_on(middle, staff)
        with_tara = number % 2 == 0
        if kind == Kind.ROUNDS:
            hosts = _spread(rng, teaching, 4, exclude={TEACHER})
            others = _spread(rng, teaching, 3, exclude={TEACHER, *hosts})
            watchers = ([TEACHER] if with_tara else []) + others
            plan.append(
                Planned(
                    kind,
                    middle,
                    f"Writing rounds, {_label(middle)}",
                    hosts,
                    watchers,
                    fields={
                        "focus": "How students use the writing target while drafting."
                    },
                    debrief=dict(rng.choice(ROUNDS_DEBRIEFS)),
                )
            )
        elif kind == Kind.LAB:
            names = {s[0] for s in teaching}
            volunteers = [v for v in LAB_VOLUNTEERS if v in names]
            host = volunteers[number % len(volunteers)]
            others = _spread(rng, teaching, 3, exclude={TEACHER, host})
            watchers = [TEACHER, *others[:2]] if with_tara else others
            plan.append(
                Planned(
                    kind,
                    middle,
                    f"Peer feedback lab with {_first_name(host)}, {_label(middle)}",
                    [host],
                    watchers,
                    fields={
                        "focus": "Peer feedback using the rubric's language.",
                        "prebrief_goal": "Students give feedback that names one "
                        "rubric criterion.",
                        "prebrief_expectations": "Sit with a pair; listen, do not "
                        "help.",
                        "prebrief_prompts": "What words from the rubric do "
                        "students use?",
                    },
                    debrief={"reflection": rng.choice(LAB_REFLECTIONS)},
                )
            )
        elif kind == Kind.SWAP:
            department = SWAP_DEPARTMENTS[(number // 4) % len(SWAP_DEPARTMENTS)]
            team = sorted(
                (s for s in teaching if s[1] == department), key=lambda s: s[2]
            )
            if len(team) < 2:
                team = sorted(teaching, key=lambda s: s[2])[:4]
            pairs = []
            # New teachers with experienced ones, a different pairing each time.
            shift = number % max(1, len(team) // 2)
            half = len(team) // 2
            for i in range(half):
                pairs.append((team[i][0], team[half + (i + shift) % half][0]))
            plan.append(
                Planned(
                    kind,
                    middle,
                    f"{department} swap day, {_label(middle)}",
                    pairs,
                    [],
                    fields={"focus": "How students explain their reasoning."},
                    debrief={
                        # Every third swap day the debrief slips a day.
                        "held_after": dt.timedelta(days=1 if number % 3 == 0 else 0),
                        "reflection": rng.choice(SWAP_REFLECTIONS),
                    },
                )
            )
        else:
            hosts = _spread(rng, teaching, 3, exclude={TEACHER})
            others = _spread(rng, teaching, 5, exclude={TEACHER, *hosts})
            walkers = ([TEACHER] if not with_tara else []) + others
            steps = rng.sample(WALK_STEPS, 2)
            plan.append(
                Planned(
                    kind,
                    middle,
                    f"Discourse learning walk, {_label(middle)}",
                    hosts,
                    walkers,
                    fields={
                        "initiative": "Student discourse across content areas",
                        "grouping": Cycle.Grouping.GRADE,
                        "group_size": 3,
                        "guiding_students_doing": "Talking to each other about "
                        "ideas, not only to the teacher.",
                        "guiding_subtle_prompts": "Turn-and-talk with a sentence stem.",
                        "guiding_expected_artifacts": "Anchor charts of talk moves.",
                    },
                    debrief={
                        "patterns": rng.choice(WALK_PATTERNS),
                        "steps": {1: steps[0], 2: steps[1]},
                    },
                )
            )
        # Two micro-observations a week: frequency over length.
        for slot, day in enumerate([week[0], week[-1]]):
            rng = _rng(f"micro-{slot}-{day.isoformat()}")
            teaching = _teaching_on(day, staff)
            if slot == 0:
                [other] = _spread(rng, teaching, 1, exclude={TEACHER})
                host, watcher = (TEACHER, other) if with_tara else (other, TEACHER)
            else:
                host, watcher = _spread(rng, teaching, 2, exclude={TEACHER})
            plan.append(
                Planned(
                    Kind.MICRO,
                    day,
                    f"Micro-observation in {_first_name(host)}'s class, {_label(day)}",
                    [host],
                    [watcher],
                    facilitator="coach" if slot == 0 else "coach2",
                    debrief={
                        # Now and then a debrief comes in after its 24 hours.
                        "held_after": dt.timedelta(
                            hours=30 if rng.random() < 0.2 else 3
                        ),
                        "next_step": rng.choice(MICRO_NEXT_STEPS),
                    },
                )
            )
    # The latest school day: a micro-observation still waiting for its debrief.
    day = days[0]
    host, watcher = DUE_MICRO
    plan.append(
        Planned(
            Kind.MICRO,
            day,
            f"Micro-observation: revision in {_first_name(host)}'s class, "
            f"{_label(day)}",
            [host],
            [watcher],
            status=Status.IN_PROGRESS,
            debrief={"held_after": None},
        )
    )
    return plan


# --- What is still to come: booked through the services, so calendars show it ---

# This week's visits planned through "Plan a visit" (host, observer): the
# second is in a period Omar teaches, so his class is covered.
PLANNED_VISITS = [("samuel.okafor", "tara.nguyen"), ("grace.kim", "omar.haddad")]
# Next week's instructional rounds: the coach facilitates, the principal and
# two teachers observe; the visits and the debrief after school are booked.
UPCOMING_ROUNDS_OBSERVERS = ["principal", "lena.fischer", "isabel.santos"]
UPCOMING_DEBRIEF_AT = dt.time(15, 10)


def _planned_visits(school, *, principal, look_for, days) -> int:
    """The visits of "Plan a visit" this week: one-visit micro-observations."""
    from cycles.services import quick_visit_plan
    from cycles.services.quick_visit import quick_visit_title
    from scheduling import services as booking_services
    from scheduling.models import Booking

    made = 0
    for day, (host_key, observer_key) in zip(days, PLANNED_VISITS, strict=True):
        host, observer = _user(host_key), _user(observer_key)
        title = quick_visit_title(host, day)
        if Booking.objects.filter(school=school, date=day, title=title).exists():
            continue
        busy = {p.number for p in _teaching(school, observer, day)}
        wants_cover = observer_key == "omar.haddad"
        taught = sorted(
            _teaching(school, host, day),
            key=lambda p: ((p.number in busy) != wants_cover, p.starts_at),
        )
        for period in taught:
            coverage = None
            if period.number in busy:
                options = schedule.coverage_suggestions(
                    school=school, date=day, period=period, observer=observer
                )
                others = [o.user for o in options if o.user != host]
                coverage = {
                    observer: others[0] if others else booking_services.SUBSTITUTE
                }
            try:
                with transaction.atomic():
                    quick_visit_plan(
                        school=school,
                        by=principal,
                        host=host,
                        observers=[observer],
                        date=day,
                        period=period,
                        minutes=15,
                        coverage=coverage,
                        title=title,
                        look_for=look_for,
                    )
            except (booking_services.BookingConflict, ValidationError):
                continue
            made += 1
            break
    return made


def _upcoming_rounds(school, *, coach, problem, look_fors, today) -> int:
    """Next week's rounds, scheduled: visits and debrief in everyone's calendar."""
    from cycles.services import cycle_create

    monday = calendar.monday_of(today) + dt.timedelta(days=7)
    first = calendar.next_school_day(monday)
    title = f"Writing rounds, week of {_label(calendar.monday_of(first))}"
    if Cycle.objects.filter(school=school, title=title).exists():
        return 0
    observers = [_user(key) for key in UPCOMING_ROUNDS_OBSERVERS]
    teachers = [_user(key) for key, *_rest in _staff()]
    for day in calendar.days_between(first, first + dt.timedelta(days=4)):
        if not calendar.year_for(day).is_school_day(day):
            continue
        observer_busy = {p.number for o in observers for p in _teaching(school, o, day)}
        for period in sorted(
            {p.number: p for t in teachers for p in _teaching(school, t, day)}.values(),
            key=lambda p: (p.number in observer_busy, p.starts_at),
        ):
            hosts = [
                t
                for t in teachers
                if t not in observers
                and any(p.number == period.number for p in _teaching(school, t, day))
            ][:2]
            if len(hosts) < 2:
                continue
            try:
                with transaction.atomic():
                    cycle_create(
                        school=school,
                        by=coach,
                        kind=Kind.ROUNDS,
                        title=title,
                        focus="Do students give each other feedback in the "
                        "language of the writing target?",
                        problem_of_practice=problem,
                        facilitator=coach,
                        hosts=hosts,
                        observers=observers,
                        look_fors=look_fors,
                        visit_date=day,
                        period=period,
                        minutes=15,
                        debrief_at=_moment(school, day, UPCOMING_DEBRIEF_AT),
                        starts_on=day,
                        ends_on=day,
                        schedule=True,
                    )
            except ValidationError:
                continue
            return 1
    return 0


@transaction.atomic
def seed_cycles(*, school, stdout=None):
    """Seed the demo problem of practice and ten weeks of past cycles."""
    _TAUGHT.clear()
    today = timezone.localdate(timezone=school.tz)
    principal, coach = _user("principal"), _user("coach")
    problem = _problem(school, principal)
    writing = list(problem.look_fors.order_by("position"))
    discourse = _library(school, coach)
    users = {
        u.email.split("@")[0]: u
        for u in User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}")
    }
    made = 0
    for item in history_plan(today):
        if Cycle.objects.filter(
            school=school, title=item.title, starts_on=item.day
        ).exists():
            continue
        fields = dict(item.fields)
        if item.kind == Kind.SWAP:
            visits = []
            for a, b in item.hosts:
                visits += [(users[a], [users[b]]), (users[b], [users[a]])]
            observers = ()
        else:
            observers = [users[o] for o in item.observers]
            visits = [(users[h], observers) for h in item.hosts]
        if item.kind in (Kind.ROUNDS, Kind.LAB):
            fields["problem_of_practice"] = problem
        if item.kind == Kind.ROUNDS:
            look_fors = writing
        elif item.kind == Kind.LAB:
            look_fors = [writing[3], writing[1]]
        elif item.kind == Kind.MICRO:
            rng = _rng(item.title)
            look_fors = [rng.choice(writing + discourse)]
        else:
            look_fors = discourse
        _past_cycle(
            school,
            kind=item.kind,
            title=item.title,
            day=item.day,
            by=coach if item.kind in (Kind.LAB, Kind.MICRO) else principal,
            facilitator=users[item.facilitator],
            visits=visits,
            observers=observers,
            look_fors=look_fors,
            status=item.status,
            debrief=item.debrief,
            **fields,
        )
        made += 1
    planned = _planned_visits(
        school,
        principal=principal,
        look_for=discourse[0],
        days=schedule_demo.visit_days(today),
    )
    upcoming = _upcoming_rounds(
        school, coach=coach, problem=problem, look_fors=writing, today=today
    )
    if stdout is not None:
        count = Cycle.objects.filter(school=school).count()
        stdout.write(
            f"Cycles: {made} new, {count} demo cycles with visits and debriefs; "
            f"{planned} visits planned this week and {upcoming} rounds next week, "
            "booked."
        )
