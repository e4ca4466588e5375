"""A term in the life of the demo school (issue 15), as one test.

The demo school is seeded on the suite's Monday; `Term` (jel/tests/term.py)
plans each of the five cycle types and a planner visit through the services and
the pages, then runs three school weeks minute by minute where something
happens: notices are claimed and delivered by the real reminder path,
observers capture through the evidence API, debriefs are held on the debrief
page, observers reflect and set goals, and check in when a goal falls due.

After each day, one function per invariant:
- every notice sent that day answers 200 for its recipient and offers the action
  it names (observe, host, cover, debrief, reflect, check in);
- nobody received more notices that day than the school's daily cap;
- nobody is in two bookings (or a booking and a cover duty) at once;
- every visit of the day can be captured by each of its observers;
- the participation dashboard's counts equal counts made from the rows.
"""

import datetime as dt
import os
import time
from collections import defaultdict

import pytest
import time_machine
from django.core.management import call_command
from django.urls import Resolver404, resolve
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from cycles.models import Cycle, Visit
from dashboards import selectors as dashboards
from jel.models import Reminder, ReminderKind, ReminderState, ReminderTimings, School
from jel.tests.clock import SUITE_NOW
from jel.tests.term import Figures, Term
from observations.models import Evidence
from scheduling import actions
from scheduling.day_facts import coverage_interval, load_day
from scheduling.models import Booking, BookingPerson, Coverage

pytestmark = pytest.mark.django_db

WEEKS = int(os.environ.get("JEL_TERM_WEEKS", "3"))  # fewer to try it quickly

# The page a notice of each kind leads to, and what on it does what it asks.
# None: the page itself is the action (a list or a digest to read).
ACTION_ON_PAGE = {
    ReminderKind.REFLECTION_PROMPT: ("observations:reflection_create", 'name="body"'),
    ReminderKind.GOAL_FOLLOW_UP: ("observations:goal_detail", 'name="tried"'),
    ReminderKind.HOST_REQUEST: ("cycles:detail", 'name="answer"'),
    ReminderKind.PREBRIEF: ("cycles:detail", 'id="prebrief"'),
    ReminderKind.DEBRIEF_DUE: ("cycles:debrief", None),
    ReminderKind.DEBRIEF_MEETING: ("cycles:debrief", None),
    ReminderKind.MICRO_DEBRIEF_NUDGE: ("cycles:debrief", None),
    ReminderKind.DEBRIEF_OVERDUE: ("cycles:debrief", None),
}
VISIT_KINDS = {ReminderKind.VISIT_TOMORROW, ReminderKind.VISIT_SOON}


def _day_bounds(term, day):
    return term.at(day, 0), term.at(day + dt.timedelta(days=1), 0)


def _sent_on(term, day):
    start, end = _day_bounds(term, day)
    return Reminder.objects.filter(
        school=term.school,
        state=ReminderState.SENT,
        sent_at__gte=start,
        sent_at__lt=end,
    ).select_related("recipient")


# --- invariants ---------------------------------------------------------------------


def _visit_action_problem(term, kind, path, html, recipient):
    """A visit notice leads an observer to capture, anyone else to their part."""
    match = resolve(path)
    if match.view_name == "observations:capture":
        visit = Visit.objects.get(pk=match.kwargs["visit_id"])
        if not visit.observers.filter(pk=recipient.pk).exists():
            return f"{kind}: {path} is the capture page of a visit they do not observe"
        return None
    if match.view_name == "scheduling:booking_detail":
        booking = Booking.objects.get(pk=match.kwargs["pk"])
        action = actions.action_for(booking, recipient)
        wanted = action.url.split("#")[0]
        if wanted != path and f'href="{action.url}"' not in html:
            return (
                f"{kind}: {path} does not offer {action.verb} ({action.url}) "
                f"to {recipient}"
            )
        return None
    if match.view_name == "cycles:detail":
        # A visit's facilitator leads the group and is sent to the cycle's page.
        cycle = Cycle.objects.get(pk=match.kwargs["pk"])
        if cycle.facilitator_id != recipient.pk:
            return f"{kind}: {path} is the cycle page, {recipient} does not lead it"
        return None
    return f"{kind}: {path} leads to {match.view_name}, not to the visit"


def _link_problem(term, kind, link, recipient):
    if not link:
        return f"{kind}: no link"
    path, _, _anchor = link.partition("#")
    path = path.split("?")[0] if "://" not in path else path
    response = term.get(recipient, link.split("#")[0])
    if response.status_code != 200:
        return f"{kind}: {link} answers {response.status_code} for {recipient}"
    html = response.content.decode()
    try:
        match = resolve(path)
    except Resolver404:
        return f"{kind}: {link} is no page"
    if kind in VISIT_KINDS:
        return _visit_action_problem(term, kind, path, html, recipient)
    if kind in ACTION_ON_PAGE:
        view_name, marker = ACTION_ON_PAGE[kind]
        if match.view_name != view_name:
            return f"{kind}: {link} leads to {match.view_name}, not {view_name}"
        if marker and marker not in html:
            return f"{kind}: {link} has no {marker} for {recipient}"
    return None


def invariant_notices_lead_to_their_action(term, day) -> list[str]:
    problems = []
    asked = {}  # one request per person, kind and link a day

    def check(kind, link, recipient):
        key = (recipient.pk, kind, link)
        if key not in asked:
            asked[key] = _link_problem(term, kind, link, recipient)
        return asked[key]

    for reminder in _sent_on(term, day):
        term.figures.kinds[reminder.kind] += 1
        problem = check(reminder.kind, reminder.link, reminder.recipient)
        if problem:
            problems.append(problem)
        for item in reminder.items or []:
            kind = item.get("kind", reminder.kind)
            if reminder.kind == ReminderKind.MORE_TODAY and "kind" not in item:
                kind = "item of more today"
            problem = check(kind, item.get("link", ""), reminder.recipient)
            if problem:
                problems.append(f"(inside a {reminder.kind} notice) {problem}")
    return problems


def invariant_nobody_over_the_daily_cap(term, day) -> list[str]:
    timings = ReminderTimings.for_school(term.school)
    cap = timings.daily_cap
    counts = defaultdict(int)
    for reminder in _sent_on(term, day).filter(is_deadline=False):
        counts[reminder.recipient] += 1
    return [
        f"{person} received {n} notices on {day} (the cap is {cap})"
        for person, n in counts.items()
        if n > cap
    ]


def invariant_nobody_double_booked(term, day) -> list[str]:
    busy = defaultdict(list)
    bookings = Booking.objects.filter(
        school=term.school, date=day, status=Booking.Status.SCHEDULED
    )
    for person in BookingPerson.objects.filter(booking__in=bookings).select_related(
        "booking", "user"
    ):
        b = person.booking
        busy[person.user].append((b.starts_at, b.ends_at, f"{b.title} ({person.role})"))
    facts = load_day(term.school, day)
    for cover in Coverage.objects.filter(
        booking__in=bookings, covered_by__isnull=False
    ).select_related("booking", "covered_by", "section"):
        start, end = coverage_interval(facts, cover.booking, cover)
        busy[cover.covered_by].append((start, end, f"cover for {cover.booking.title}"))
    problems = []
    for person, spans in busy.items():
        spans.sort()
        for i, (_s1, e1, what1) in enumerate(spans):
            for s2, _e2, what2 in spans[i + 1 :]:
                if s2 < e1:
                    when = s2.astimezone(term.tz)
                    problems.append(
                        f"{person} is in {what1} and {what2} at {when:%H:%M}"
                    )
    return problems


def invariant_every_visit_observable(term, day) -> list[str]:
    problems = []
    visits = (
        Visit.objects.filter(school=term.school, date=day)
        .exclude(cycle__status__in=[Cycle.Status.CANCELLED, Cycle.Status.DRAFT])
        .prefetch_related("observers")
    )
    for visit in visits:
        for observer in visit.observers.all():
            # Asked when the visit started (Term._capture), else now.
            status = term.capture_answers.get((visit.pk, observer.pk))
            if status is None:
                status = term.get(observer, f"/visits/{visit.pk}/observe/").status_code
            if status != 200:
                problems.append(
                    f"{observer} cannot open the capture page of {visit} ({status})"
                )
    # A visit booked through Plan a visit is a visit too (issue 15, item 1).
    for booking in Booking.objects.filter(
        school=term.school,
        date=day,
        kind=Booking.Kind.VISIT,
        status=Booking.Status.SCHEDULED,
        visit__isnull=True,
    ):
        problems.append(f"{booking} is a visit booking no observer can capture")
    return problems


def invariant_dashboards_match_the_rows(term, day) -> list[str]:
    """Visits observed and hosted per teacher: the dashboard against a count
    made here from the rows (a visit counts once started and written in)."""
    now = timezone.now()
    filters = dashboards.resolve_filters(school=term.school)
    report = dashboards.participation(school=term.school, filters=filters)
    shown = {row[0]: (row[2], row[3]) for row in report.tables["teachers"].rows}
    observed, hosted = defaultdict(set), defaultdict(set)
    evidence = Evidence.objects.filter(
        school=term.school,
        observation__visit__date__gte=filters.start,
        observation__visit__date__lte=filters.end,
    ).select_related(
        "observation__visit__cycle", "observation__visit__host", "observation__observer"
    )
    observers = defaultdict(set)
    for visit_id, user_id in Visit.observers.through.objects.filter(
        visit__school=term.school
    ).values_list("visit_id", "user_id"):
        observers[visit_id].add(user_id)
    for entry in evidence:
        visit = entry.observation.visit
        if visit.cycle.status == Cycle.Status.CANCELLED:
            continue
        started = (
            visit.starts_at <= now
            if visit.starts_at
            else visit.date <= timezone.localdate(now)
        )
        if not started:
            continue
        hosted[visit.host.full_name].add(visit.pk)
        if entry.observation.observer_id in observers[visit.pk]:
            observed[entry.observation.observer.full_name].add(visit.pk)
    problems = []
    for name, (seen, host) in shown.items():
        counted = (len(observed.get(name, ())), len(hosted.get(name, ())))
        if (seen, host) != counted:
            problems.append(
                f"participation shows {name} observed {seen}, hosted {host}; "
                f"the rows say {counted[0]}, {counted[1]}"
            )
    return problems


INVARIANTS = [
    invariant_notices_lead_to_their_action,
    invariant_nobody_over_the_daily_cap,
    invariant_nobody_double_booked,
    invariant_every_visit_observable,
    invariant_dashboards_match_the_rows,
]


# --- the term -------------------------------------------------------------------------


@pytest.mark.simulation
def test_a_term_in_the_life_of_the_demo_school(capsys):
    started = time.perf_counter()
    with time_machine.travel(SUITE_NOW, tick=False) as clock:
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
        seeded = time.perf_counter() - started
        school = School.objects.get(name="Jefferson Middle School")
        term = Term(school, clock)
        days = term.school_days(SUITE_NOW.date(), WEEKS * 5)
        with scopes_disabled():
            term.plan(days[1:])
        planned = time.perf_counter() - started - seeded
        failures = defaultdict(list)
        checking = 0.0
        for day in days:
            term.day(day)
            term.check_in(day)
            checked = time.perf_counter()
            with scopes_disabled(), scope(school=school):
                for invariant in INVARIANTS:
                    for problem in invariant(term, day):
                        failures[invariant.__name__].append(f"{day}: {problem}")
            checking += time.perf_counter() - checked
    seconds = time.perf_counter() - started
    f = term.figures
    with capsys.disabled():
        print(
            f"\nterm simulation: {len(days)} school days in {seconds:.0f} s "
            f"(seed {seeded:.0f} s, planning {planned:.0f} s, invariants "
            f"{checking:.0f} s); planned {f.planned}, {len(f.refused)} "
            f"refusals; {f.minutes} minutes, {f.delivered} notices delivered, "
            f"{f.emails} e-mails shipped, {f.evidence} evidence, {f.debriefs} "
            f"debriefs, {f.reflections} reflections, {f.goals} goals, "
            f"{f.check_ins} check-ins, {f.pages} pages"
        )
        print(f"  notices sent, by kind: {dict(f.kinds)}")
        for name, problems in failures.items():
            print(f"  {name}: {len(problems)} failures, e.g. {problems[:3]}")
    for kind in ("rounds", "lab", "swap", "micro", "walk", "planner visit"):
        assert f.planned.get(kind), (
            f"{kind} could not be planned: {[r for k, r in f.refused if k == kind][:3]}"
        )
    assert f.evidence and f.debriefs and f.delivered
    assert not failures, "\n".join(p for ps in failures.values() for p in ps[:10])


# --- each invariant can fail ----------------------------------------------------------


class _Probe:
    """What an invariant needs of a Term, for a hand-made day of the test cast."""

    def __init__(self, school, login):
        self.school, self.tz, self._login = school, school.tz, login
        self.capture_answers = {}
        self.figures = Figures()

    at = Term.at

    def get(self, user, path):
        return self._login(user).get(path)


DAY = dt.date(2026, 12, 1)


def _sent(cast, *, kind, link, n=1, recipient=None):
    at = dt.datetime(2026, 12, 1, 9, 0, tzinfo=cast.school.tz)
    for i in range(n):
        Reminder.objects.create(
            school=cast.school,
            recipient=recipient or cast.teacher,
            kind=kind,
            about=f"probe:{kind}:{i}",
            due_at=at,
            send_after=at,
            sent_at=at,
            state=ReminderState.SENT,
            subject="Probe",
            body="Probe",
            link=link,
        )


def _problems(invariant, cast, login):
    with scopes_disabled(), scope(school=cast.school):
        return invariant(_Probe(cast.school, login), DAY)


def test_the_cap_invariant_counts_each_persons_notices(cast, login):
    with scopes_disabled():
        cap = ReminderTimings.for_school(cast.school).daily_cap
        _sent(cast, kind=ReminderKind.GOAL_FOLLOW_UP, link="/goals/", n=cap)
    assert _problems(invariant_nobody_over_the_daily_cap, cast, login) == []
    with scopes_disabled():
        _sent(cast, kind=ReminderKind.WEEKLY_DIGEST, link="/", n=1)
    (problem,) = _problems(invariant_nobody_over_the_daily_cap, cast, login)
    assert f"received {cap + 1} notices" in problem


def test_the_notice_invariant_follows_each_link_as_its_recipient(cast, login):
    with scopes_disabled():
        _sent(cast, kind=ReminderKind.DEBRIEF_DUE, link="/debriefs/999999/")
        _sent(cast, kind=ReminderKind.GOAL_FOLLOW_UP, link="/")
    problems = _problems(invariant_notices_lead_to_their_action, cast, login)
    assert any("/debriefs/999999/ answers 404" in p for p in problems), problems
    assert any("leads to home, not observations:goal_detail" in p for p in problems)


def test_the_booking_invariants_see_a_clash_and_a_visit_nobody_can_capture(cast, login):
    from scheduling.tests.access_cases import _new_booking

    with scopes_disabled():
        _new_booking(cast)
        _new_booking(cast)
    clash = _problems(invariant_nobody_double_booked, cast, login)
    assert any("Terry" in p and "at 09:50" in p for p in clash), clash
    orphans = _problems(invariant_every_visit_observable, cast, login)
    assert len(orphans) == 2 and "no observer can capture" in orphans[0]


def test_the_dashboard_invariant_compares_with_the_rows(cast, login, monkeypatch):
    real = dashboards.participation

    def one_too_many(*, school, filters):
        report = real(school=school, filters=filters)
        row = report.tables["teachers"].rows[0]
        row[2] += 1
        return report

    assert _problems(invariant_dashboards_match_the_rows, cast, login) == []
    monkeypatch.setattr(dashboards, "participation", one_too_many)
    (problem,) = _problems(invariant_dashboards_match_the_rows, cast, login)
    assert "observed 1" in problem and "the rows say 0" in problem
