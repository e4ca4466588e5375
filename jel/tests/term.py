"""A term in the life of the demo school, driven through the real services and
views with a frozen clock that moves on (issue 15: "A term in the life of the
school, as a test"). jel/tests/test_term_simulation.py runs it and checks the
invariants after each day.

`Term` is the driver: `plan()` plans each of the five cycle types and a
planner visit as the school would, `day(date)` runs one school day, minute by
minute where something happens (a notice falls due, a visit starts or ends),
and `minute(at)` is one such minute: the clock moves there, observers capture
what has started, and the reminder job claims and delivers what is due
(`reminders_claim_due`, `reminder_deliver`, `outbound_ship`, as
jel.tasks does). Nothing here writes a row the product would not: every change
goes through a service or a POST of the page that makes it.
"""

import datetime as dt
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from cycles import selectors as cycle_selectors
from cycles import services as cycle_services
from cycles.kinds import spec_for
from cycles.models import Cycle, Debrief, ProblemOfPractice, Visit
from jel import services as core
from jel.models import Membership, OutboundEmail, Reminder, ReminderState, Role
from scheduling import day_facts
from scheduling import selectors as schedule
from scheduling.conflict_rules import BookingConflict
from scheduling.models import SchoolDay


@dataclass
class Figures:
    """What the simulation did, printed at the end."""

    planned: dict = field(default_factory=dict)
    refused: list = field(default_factory=list)
    minutes: int = 0
    delivered: int = 0
    emails: int = 0
    evidence: int = 0
    debriefs: int = 0
    reflections: int = 0
    goals: int = 0
    check_ins: int = 0
    pages: int = 0
    kinds: Counter = field(default_factory=Counter)


class Term:
    def __init__(self, school, clock):
        self.school = school
        self.clock = clock
        self.tz = school.tz
        self.figures = Figures()
        self._clients: dict[int, Client] = {}
        self._captured: set[tuple[int, int]] = set()
        self._reflected: set[tuple[int, int]] = set()
        self._debriefed: set[int] = set()
        self._taught: dict = {}
        # What each observer's capture page answered when the visit started.
        self.capture_answers: dict[tuple[int, int], int] = {}
        with scopes_disabled():
            members = Membership.objects.filter(school=school, is_active=True)
            self.by_role = {
                role: [m.user for m in members.filter(role=role).order_by("pk")]
                for role in Role.values
            }
        self.principal = self.by_role[Role.PRINCIPAL][0]
        self.coach = self.by_role[Role.COACH][0]
        self.teachers = self.by_role[Role.TEACHER]

    # --- the people ------------------------------------------------------------

    def client(self, user) -> Client:
        """The person's browser, signed in again after the idle timeout (as a
        person would, after a night)."""
        now = timezone.now()
        c, last = self._clients.get(user.pk, (None, None))
        if c is None or now - last > dt.timedelta(minutes=25):
            c = Client()  # a new session: the old one's sign-in time has passed
            c.force_login(user)
        self._clients[user.pk] = (c, now)
        return c

    def get(self, user, path):
        self.figures.pages += 1
        return self.client(user).get(path)

    def post(self, user, path, data, **extra):
        self.figures.pages += 1
        return self.client(user).post(path, data, **extra)

    # --- the calendar ------------------------------------------------------------

    def at(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=self.tz)

    def school_days(self, start: dt.date, count: int) -> list[dt.date]:
        with scopes_disabled():
            days = SchoolDay.objects.filter(
                school=self.school, date__gte=start, is_school_day=True
            ).order_by("date")
            return [d.date for d in days[:count]]

    def _free_and_teaching(self, day: dt.date, number: int):
        """Teachers free (not teaching) and teaching in the period numbered
        `number` on `day`, from the sections meeting that day (one query)."""
        if day not in self._taught:
            with scope(school=self.school):
                info = day_facts.day_info(day=day)
                sections = day_facts.sections_meeting(day=day, day_type=info.day_type)
                taught = defaultdict(set)
                for section in sections:
                    taught[section.period.number].add(section.teacher_id)
            self._taught[day] = taught
        teaching_ids = self._taught[day].get(number, set())
        free = [t for t in self.teachers if t.pk not in teaching_ids]
        teaching = [t for t in self.teachers if t.pk in teaching_ids]
        return free, teaching

    def _period(self, day: dt.date, number: int):
        with scope(school=self.school):
            return next(
                p for p in schedule.class_periods_on(day=day) if p.number == number
            )

    # --- planning ---------------------------------------------------------------

    def _try(self, kind: str, attempts):
        """Plan with the first attempt the product accepts; note each refusal."""
        for attempt in attempts:
            try:
                with scope(school=self.school):
                    result = attempt()
            except (ValidationError, BookingConflict) as refused:
                self.figures.refused.append((kind, str(refused)[:300]))
                continue
            self.figures.planned[kind] = self.figures.planned.get(kind, 0) + 1
            return result
        return None

    def _problem(self):
        with scopes_disabled():
            for problem in ProblemOfPractice.objects.filter(school=self.school):
                if problem.look_fors.filter(archived_at__isnull=True).count() >= 2:
                    return problem
        raise AssertionError("the demo school has no problem of practice to use")

    def _slots(self, days, numbers=(2, 3, 5, 6)):
        for day in days:
            for number in numbers:
                free, teaching = self._free_and_teaching(day, number)
                if len(free) >= 4 and len(teaching) >= 3:
                    yield day, number, free, teaching

    def plan(self, days: list[dt.date]) -> None:
        """Plan one cycle of each type, and a planner visit, on `days`."""
        problem = self._problem()
        look_fors = list(problem.look_fors.filter(archived_at__isnull=True))
        # Each type on its own day, so one plan does not take another's people.
        rounds_days, lab_days, swap_days, micro_days, walk_days, visit_days = (
            days[i::6] for i in range(6)
        )

        def create(**options):
            def attempt():
                cycle = cycle_services.cycle_create(
                    school=self.school, schedule=True, **options
                )
                return cycle

            return attempt

        def rounds(day, number, free, teaching):
            return create(
                by=self.principal,
                kind="rounds",
                title=f"Rounds {day:%d %b}",
                problem_of_practice=problem,
                facilitator=self.coach,
                hosts=teaching[:2],
                observers=free[:3],
                look_fors=look_fors,
                visit_date=day,
                period=self._period(day, number),
                minutes=12,
            )

        self._try("rounds", (rounds(*s) for s in self._slots(rounds_days)))

        def lab(day, number, free, teaching):
            def attempt():
                cycle = cycle_services.cycle_create(
                    school=self.school,
                    by=self.coach,
                    kind="lab",
                    title=f"Lab {day:%d %b}",
                    facilitator=self.coach,
                    hosts=teaching[:1],
                    observers=free[:2],
                    prebrief_goal="Students build on each other's ideas",
                    visit_date=day,
                    period=self._period(day, number),
                )
                # The host is asked, answers on the cycle page, then it is scheduled.
                host = teaching[0]
                answer = self.post(
                    host,
                    reverse("cycles:host_respond", args=[cycle.pk]),
                    {"answer": "accept"},
                )
                assert answer.status_code == 302, answer.status_code
                cycle.refresh_from_db()
                cycle_services.cycle_schedule(cycle=cycle, by=self.coach)
                return cycle

            return attempt

        self._try("lab", (lab(*s) for s in self._slots(lab_days)))

        def swap(day, number, free, teaching):
            return create(
                by=self.principal,
                kind="swap",
                title=f"Swap day {day:%d %b}",
                facilitator=self.coach,
                hosts=(teaching[:2] + free[:2]),
                visit_date=day,
                period=self._period(day, number),
                starts_on=day,
            )

        self._try("swap", (swap(*s) for s in self._slots(swap_days)))

        def micro(day, number, free, teaching):
            return create(
                by=self.coach,
                kind="micro",
                title=f"Quick look {day:%d %b}",
                facilitator=self.coach,
                hosts=teaching[:1],
                observers=free[:1],
                look_fors=look_fors[:1],
                visit_date=day,
                period=self._period(day, number),
                minutes=12,
            )

        self._try("micro", (micro(*s) for s in self._slots(micro_days)))

        def walk(day, number, free, teaching):
            return create(
                by=self.principal,
                kind="walk",
                title=f"Walk {day:%d %b}",
                facilitator=self.coach,
                initiative="Student discourse",
                grouping="grade",
                group_size=2,
                hosts=teaching[:2],
                observers=free[:4],
                visit_date=day,
                period=self._period(day, number),
            )

        self._try("walk", (walk(*s) for s in self._slots(walk_days)))

        def planner_visit(day, number, free, teaching):
            def attempt():
                response = self.post(
                    self.principal,
                    reverse("cycles:visit_plan"),
                    {
                        "host": teaching[0].pk,
                        "observers": [free[0].pk],
                        "date": day.isoformat(),
                        "period": self._period(day, number).pk,
                        "minutes": 15,
                        "look_for": look_fors[0].pk,
                        "window_override_reason": "",
                    },
                )
                if response.status_code != 302:
                    raise ValidationError(
                        f"Plan a visit refused ({response.status_code})"
                    )
                return response

            return attempt

        self._try("planner visit", (planner_visit(*s) for s in self._slots(visit_days)))

    # --- a day and its minutes ---------------------------------------------------

    def _moments(self, day: dt.date) -> list[dt.datetime]:
        """The minutes of `day` when something happens."""
        start, end = self.at(day, 0), self.at(day + dt.timedelta(days=1), 0)
        moments = {self.at(day, 7), self.at(day, 16), self.at(day, 17, 30)}
        with scopes_disabled():
            moments |= set(
                Reminder.objects.filter(
                    school=self.school,
                    state=ReminderState.PENDING,
                    send_after__gte=start,
                    send_after__lt=end,
                ).values_list("send_after", flat=True)
            )
            for visit in Visit.objects.filter(
                school=self.school, date=day, starts_at__isnull=False
            ).exclude(cycle__status=Cycle.Status.CANCELLED):
                moments.add(visit.starts_at + dt.timedelta(minutes=2))
                moments.add(visit.starts_at + dt.timedelta(minutes=visit.minutes + 1))
            moments |= set(
                Debrief.objects.filter(
                    school=self.school, due_at__gte=start, due_at__lt=end
                ).values_list("due_at", flat=True)
            )
        return sorted(m for m in moments if m >= timezone.now())

    def day(self, day: dt.date) -> None:
        for moment in self._moments(day):
            self.minute(moment)
        # Anything still due today (a notice made during the day for today).
        while True:
            later = [m for m in self._moments(day) if m > timezone.now()]
            if not later:
                break
            for moment in later:
                self.minute(moment)
        self.minute(self.at(day, 23, 59))

    def minute(self, at: dt.datetime) -> None:
        self.clock.move_to(at)
        self.figures.minutes += 1
        self._capture(at)
        self._after_visits(at)
        self._deliver(at)

    def _deliver(self, at) -> None:
        """What the beat job and its tasks do each minute (jel.tasks)."""
        with scopes_disabled():
            for reminder_id in core.reminders_claim_due(now=at):
                core.reminder_deliver(reminder_id=reminder_id, now=at)
                self.figures.delivered += 1
            for outbound_id in OutboundEmail.objects.filter(
                shipped_at__isnull=True
            ).values_list("pk", flat=True):
                if core.outbound_ship(outbound_id=outbound_id, now=at):
                    self.figures.emails += 1

    # --- what people do ---------------------------------------------------------

    def _visits_started(self, at):
        with scopes_disabled():
            return list(
                Visit.objects.filter(
                    school=self.school,
                    date=at.astimezone(self.tz).date(),
                    starts_at__lte=at,
                )
                .exclude(cycle__status=Cycle.Status.CANCELLED)
                .select_related("cycle")
                .prefetch_related("observers")
            )

    def _capture(self, at) -> None:
        """Observers of a visit that has started record evidence as the capture
        page's JavaScript does: POST JSON to the evidence API."""
        for visit in self._visits_started(at):
            with scopes_disabled():
                look_fors = cycle_selectors.cycle_look_fors(cycle=visit.cycle)
            look_for = look_fors[0] if look_fors else None
            for observer in visit.observers.all():
                key = (visit.pk, observer.pk)
                if key in self._captured:
                    continue
                self._captured.add(key)
                page = self.get(
                    observer, reverse("observations:capture", args=[visit.pk])
                )
                self.capture_answers[key] = page.status_code
                assert page.status_code == 200, (
                    visit,
                    observer,
                    page.status_code,
                    page.get("Location"),
                )
                payload = {
                    "client_id": str(uuid.uuid4()),
                    "visit": visit.pk,
                    "text": "Three students restated the target in their own words.",
                    "look_for": look_for.pk if look_for else None,
                    "noted_at": at.isoformat(),
                }
                saved = self.post(
                    observer,
                    reverse("observations:api_evidence"),
                    payload,
                    content_type="application/json",
                )
                assert saved.status_code == 201, (visit, observer, saved.content[:300])
                self.figures.evidence += 1

    def _after_visits(self, at) -> None:
        """When a debrief is due and its cycle's visits are over, it is held
        (through the debrief page); each observer reflects and sets a goal."""
        due = Q(due_at__lte=at)
        if at.astimezone(self.tz).hour >= 16:
            due |= Q(due_at__isnull=True)  # no time set: after school
        with scopes_disabled():
            debriefs = list(
                Debrief.objects.filter(due, school=self.school, held_at__isnull=True)
                .exclude(cycle__status=Cycle.Status.CANCELLED)
                .exclude(cycle__status=Cycle.Status.DRAFT)
                .select_related("cycle", "cycle__facilitator")
            )
        for debrief in debriefs:
            cycle = debrief.cycle
            with scopes_disabled():
                visits = list(cycle.visits.all())
                if not visits or any(
                    v.starts_at is None
                    or v.starts_at + dt.timedelta(minutes=v.minutes) > at
                    for v in visits
                ):
                    continue
                if debrief.pk in self._debriefed:
                    continue
                self._debriefed.add(debrief.pk)
                spec = spec_for(cycle.kind).debrief
                data = dict.fromkeys(spec.fields, "What we saw, and a next step.")
                participants = [p.pk for p in cycle.participants.distinct()]
                data["attendees"] = participants
                data["held"] = "on"
                if spec.group_steps:
                    for number in cycle_selectors.walk_group_numbers(cycle=cycle):
                        data[f"group_{number}"] = "Ask one more why question."
                facilitator = cycle.facilitator or self.coach
            response = self.post(
                facilitator, reverse("cycles:debrief", args=[debrief.pk]), data
            )
            assert response.status_code == 302, (
                cycle.kind,
                response.content.decode()[:500],
            )
            self.figures.debriefs += 1
            for visit in visits:
                for observer in visit.observers.all():
                    self._reflect_and_set_goal(observer, visit, at)

    def _reflect_and_set_goal(self, observer, visit, at) -> None:
        key = (observer.pk, visit.cycle_id)
        if key in self._reflected:
            return
        self._reflected.add(key)
        reflection = self.post(
            observer,
            reverse("observations:reflection_create") + f"?visit={visit.pk}",
            {
                "cycle": visit.cycle_id,
                "body": "I will try the turn-and-talk I saw.",
                "visibility": "private",
            },
        )
        assert reflection.status_code == 302, reflection.content.decode()[:400]
        self.figures.reflections += 1
        follow_up = at.astimezone(self.tz).date() + dt.timedelta(days=7)
        goal = self.post(
            observer,
            reverse("observations:goal_create"),
            {"text": "Turn and talk before each answer", "follow_up_on": follow_up},
        )
        assert goal.status_code == 302, goal.content.decode()[:400]
        self.figures.goals += 1

    def check_in(self, day: dt.date) -> None:
        """Who has a goal to follow up today checks in on its page."""
        from observations.models import Goal

        with scopes_disabled():
            goals = list(
                Goal.objects.filter(
                    school=self.school, follow_up_on=day
                ).select_related("owner")
            )
        for goal in goals:
            response = self.post(
                goal.owner,
                reverse("observations:goal_detail", args=[goal.pk]),
                {"tried": "yes", "results_as_anticipated": "yes", "why": "It worked."},
            )
            assert response.status_code == 302, response.content.decode()[:400]
            self.figures.check_ins += 1
