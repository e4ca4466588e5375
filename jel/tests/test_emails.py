"""Every e-mail JEL can send opens right in a mail client.

Each one (every reminder kind, the coaches' digest, the coverage plan, the
password reset) is parsed by Python's email package as a client would read it:
a Message-ID at JEL's own domain (the host of JEL_BASE_URL), a Date with its
zone, Reply-To the person it is from, an HTML part that is a whole document
(checked by the Nu HTML checker), a text part with the link it asks the reader
to follow, and counts whose words agree with them.
"""

import datetime as dt
import email
import email.policy
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from cycles import services as cycle_services
from cycles.tests import conftest as cycles_fixtures
from cycles.tests.factories import problem
from jel import services
from jel.models import (
    OutboundEmail,
    Reminder,
    ReminderKind,
    ReminderState,
    ReminderTimings,
    Role,
)
from jel.tests.factories import staff
from observations import services as observation_services
from observations.reminders import weekly_digest_sync
from observations.tests import factories as observation_factories
from scheduling.booking_request import BookingRequest
from scheduling.models import Booking
from scheduling.services import booking_plan, coverage_plan_email
from scheduling.tests.factories import build_schedule

ROOT = Path(__file__).resolve().parents[2]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
BASE_URL = "https://jel.example.org"
# The cycles tests' six teachers with a timetable, and their problem of practice.
teachers = cycles_fixtures.teachers
ready_problem = cycles_fixtures.ready_problem
WEDNESDAY = dt.date(2026, 12, 2)
THURSDAY = dt.date(2026, 12, 3)
NINE = dt.time(9, 0)


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.JEL_BASE_URL = BASE_URL


def _missing(message):
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def parsed(message) -> email.message.EmailMessage:
    """The message as a mail client reads it off the wire."""
    return email.message_from_bytes(
        message.message().as_bytes(), policy=email.policy.default
    )


def html_of(msg) -> str:
    return msg.get_body(preferencelist=("html",)).get_content()


def text_of(msg) -> str:
    return msg.get_body(preferencelist=("plain",)).get_content()


def assert_opens_right(msg, *, reply_to=None):
    """What every JEL e-mail holds, whoever it is for."""
    message_id = msg["Message-ID"]
    assert not message_id.defects, (msg["Subject"], message_id.defects)
    assert re.fullmatch(r"<[^<>@\s]{1,40}@jel\.example\.org>", str(message_id))
    when = msg["Date"].datetime
    # "-0000" (what Django writes by default) parses to a naive datetime.
    assert when.tzinfo is not None and when.utcoffset() is not None, msg["Date"]
    if reply_to is None:
        assert msg["Reply-To"] is None
    else:
        (address,) = msg["Reply-To"].addresses
        assert (address.display_name, address.addr_spec) == (
            reply_to.full_name,
            reply_to.email,
        )
    html = html_of(msg)
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert '<html lang="en">' in html and '<meta charset="utf-8">' in html
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()
    assert title == msg["Subject"]
    assert html.rstrip().endswith("</html>")


def _deliver_everything_pending():
    """Deliver every pending reminder, as the worker would, and ship it: first
    at 10:00 school time, then at 17:30 (the "more today" notices past the cap).
    A notice of a block sent with the first of it, or folded past the day's
    cap, is skipped on its own; none is left undelivered."""
    outcomes = {"e-mailed", "skipped", "folded into more today"}
    for daytime in (
        dt.datetime(2026, 11, 30, 15, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 30, 22, 30, tzinfo=dt.UTC),
    ):
        with scopes_disabled():
            pending = Reminder.objects.filter(state=ReminderState.PENDING)
            ids = list(pending.order_by("pk").values_list("pk", flat=True))
            pending.update(state=ReminderState.SENDING)
        for pk in ids:
            assert services.reminder_deliver(reminder_id=pk, now=daytime) in outcomes
    with scopes_disabled():
        left = Reminder.objects.exclude(
            state__in=[
                ReminderState.SENT,
                ReminderState.FOLDED,
                ReminderState.CANCELLED,
            ]
        )
        assert not left.exists(), list(left.values_list("kind", "state"))


@pytest.fixture
def every_email(
    cast, teachers, ready_problem, client, django_capture_on_commit_callbacks
):
    """One e-mail of every kind JEL sends, as the mail server received them."""
    school = cast.school
    periods = teachers["_schedule"]["periods"]
    with scope(school=school), django_capture_on_commit_callbacks(execute=True):
        # Rounds: visits (tomorrow, soon), the booked debrief meeting, the
        # facilitator's debrief due and everyone's reflection prompt.
        cycle_services.cycle_create(
            school=school,
            by=cast.principal,
            kind="rounds",
            title="Writing rounds",
            problem_of_practice=ready_problem,
            facilitator=cast.coach,
            hosts=[teachers["old_math"], teachers["old_ela"]],
            observers=[teachers["new_math"], teachers["new_ela"]],
            look_fors=list(ready_problem.look_fors.all()),
            visit_date=THURSDAY,
            start_time=NINE,
            debrief_at=dt.datetime(2026, 12, 3, 15, 0, tzinfo=school.tz),
            schedule=True,
        )
        # A lab: its pre-brief.
        lab = cycle_services.cycle_create(
            school=school,
            by=cast.coach,
            kind="lab",
            title="Discourse lab",
            facilitator=cast.coach,
            hosts=[teachers["old_ela"]],
            observers=[teachers["mid_sci"]],
            prebrief_goal="Students build on each other's ideas",
            prebrief_at=dt.datetime(2026, 12, 2, 12, 15, tzinfo=school.tz),
            visit_date=dt.date(2026, 12, 4),
            start_time=NINE,
            minutes=30,
        )
        cycle_services.host_respond(cycle=lab, user=teachers["old_ela"], accept=True)
        # A lab whose host has not answered yet: they are asked.
        cycle_services.cycle_create(
            school=school,
            by=cast.coach,
            kind="lab",
            title="Questioning lab",
            facilitator=cast.coach,
            hosts=[teachers["new_ela"]],
            observers=[teachers["mid_ss"]],
            prebrief_goal="Students ask each other questions",
            prebrief_at=dt.datetime(2026, 12, 9, 12, 15, tzinfo=school.tz),
            visit_date=dt.date(2026, 12, 11),
            start_time=NINE,
            minutes=30,
        )
        cycle_services.cycle_schedule(cycle=lab, by=cast.coach)
        # A micro-observation: the 20-hour nudge and the overdue notice.
        focus = problem(school, cast.principal, question="Do students revise?")
        cycle_services.cycle_create(
            school=school,
            by=cast.coach,
            kind="micro",
            title="Quick look",
            facilitator=cast.coach,
            hosts=[teachers["old_math"]],
            observers=[teachers["mid_sci"]],
            look_fors=[focus.look_fors.first()],
            visit_date=dt.date(2026, 12, 1),
            start_time=NINE,
            minutes=12,
            schedule=True,
        )
        # A visit planned through "Plan a visit" whose observer teaches then: a
        # colleague covers (and is told).
        cycle_services.quick_visit_plan(
            look_for=focus.look_fors.first(),
            school=school,
            by=cast.principal,
            title="Visit to Olga",
            date=WEDNESDAY,
            period=periods[2],
            minutes=15,
            host=teachers["old_math"],
            observers=[teachers["mid_ss"]],
            coverage={teachers["mid_ss"]: teachers["mid_sci"]},
        )
        observation_services.goal_create(
            school=school,
            text="Cold calls with think time",
            follow_up_on=dt.date(2026, 12, 10),
            by=cast.teacher,
        )
        # Hand-offs: a reflection shared with the cycle group and a reply to
        # it; a bright spot for its host, who puts it on the wall.
        shared = observation_services.reflection_create(
            school=school,
            body="Students argued from evidence",
            visibility="cycle_group",
            cycle=lab,
            by=teachers["mid_sci"],
        )
        observation_services.reflection_reply(
            reflection=shared,
            body="What did they say?",
            by=teachers["old_ela"],
            role=Role.TEACHER,
        )
        lab_visit = lab.visits.get()
        spot = observation_factories.evidence(lab_visit, teachers["mid_sci"])
        observation_services.evidence_mark_bright_spot(
            evidence=spot, bright_spot=True, by=teachers["mid_sci"]
        )
        observation_services.evidence_share_on_wall(
            evidence=spot, agreed=True, by=teachers["old_ela"]
        )
        with time_machine.travel(dt.datetime(2026, 11, 30, 7, 5, tzinfo=school.tz)):
            weekly_digest_sync(school=school)
        # Each kind on its own first; then, with a cap of 2, one more notice to
        # the coach (who had many today) waits in the day's "more today".
        ReminderTimings.objects.create(school=school, daily_cap=30)
        _deliver_everything_pending()
        ReminderTimings.objects.filter(school=school).update(daily_cap=2)
        observation_services.reflection_create(
            school=school,
            body="Wait time changed who answered",
            visibility="coaches",
            by=cast.teacher,
        )
        _deliver_everything_pending()
        coverage_plan_email(
            school=school, day=WEDNESDAY, to="office@example.org", sender=cast.principal
        )
    client.post(reverse("password_reset"), {"email": cast.teacher.email})
    with scopes_disabled():
        reminders = {
            f"reminder:{r.pk}": r for r in Reminder.objects.select_related("school")
        }
    return [
        (message, reminders.get(message.extra_headers.get("X-JEL-Key")))
        for message in mail.outbox
    ]


def test_every_kind_of_email_is_sent_by_this_test(every_email):
    kinds = {reminder.kind for _, reminder in every_email if reminder}
    assert kinds == set(ReminderKind.values)
    subjects = [message.subject for message, _ in every_email]
    assert "Reset your JEL password" in subjects
    assert any(s.startswith("Coverage plan for Wednesday 2 December") for s in subjects)


def test_every_email_parses_with_a_real_domain_zone_and_whole_html(every_email, cast):
    for message, reminder in every_email:
        msg = parsed(message)
        coverage_plan = msg["Subject"].startswith("Coverage plan")
        assert_opens_right(msg, reply_to=cast.principal if coverage_plan else None)
        if reminder is not None and reminder.link:
            assert f"{BASE_URL}{reminder.link}" in text_of(msg), msg["Subject"]
            assert f'href="{BASE_URL}{reminder.link}"' in html_of(msg)


def test_the_password_reset_link_is_in_both_parts(every_email):
    (reset,) = [m for m, _ in every_email if m.subject == "Reset your JEL password"]
    msg = parsed(reset)
    link = re.search(
        re.escape(BASE_URL) + r"/\S*password-reset/[^/\s]+/[^/\s]+/", text_of(msg)
    )
    assert link, text_of(msg)
    assert f'href="{link.group(0)}"' in html_of(msg)


def test_the_html_of_every_email_passes_the_nu_html_checker(every_email, tmp_path):
    if shutil.which("java") is None:
        _missing("java is missing: apt-get install default-jre-headless")
    if not VNU.exists():
        _missing(f"{VNU.relative_to(ROOT)} is missing: npm ci")
    files = []
    for n, (message, _) in enumerate(every_email):
        path = tmp_path / f"{n:02d}.html"
        path.write_text(html_of(parsed(message)), encoding="utf-8")
        files.append(str(path))
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "text", *files],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_resend_is_the_same_message(
    cast, in_school, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        outbound = services.outbound_queue(
            school=cast.school,
            key="reminder:test",
            to=cast.teacher.email,
            subject="Hello",
            text="Hi",
            html="<p>Hi</p>",
        )
    first = parsed(mail.outbox[0])
    with scopes_disabled():
        OutboundEmail.objects.filter(pk=outbound.pk).update(shipped_at=None)
        with time_machine.travel(dt.timedelta(hours=1)):
            assert services.outbound_ship(outbound_id=outbound.pk) is True
    again = parsed(mail.outbox[1])
    assert again["Message-ID"] == first["Message-ID"]
    assert again["Date"] == first["Date"]
    assert str(first["Message-ID"]) == f"<reminder.test.{outbound.pk}@jel.example.org>"


def test_the_coverage_plan_replies_go_to_the_planner(every_email, cast):
    (plan,) = [m for m, _ in every_email if m.subject.startswith("Coverage plan")]
    assert (
        parsed(plan)["Reply-To"]
        == f"{cast.principal.full_name} <{cast.principal.email}>"
    )


def test_the_digest_says_one_of_each_in_the_singular(
    cast, teachers, ready_problem, django_capture_on_commit_callbacks
):
    school = cast.school
    with scope(school=school):
        cycle_services.cycle_create(
            school=school,
            by=cast.coach,
            kind="micro",
            title="Quick look",
            facilitator=cast.coach,
            hosts=[teachers["old_math"]],
            observers=[teachers["new_math"]],
            look_fors=[ready_problem.look_fors.first()],
            visit_date=THURSDAY,
            start_time=NINE,
            minutes=12,
            schedule=True,
        )
        observation_services.goal_create(
            school=school,
            text="Cold calls with think time",
            follow_up_on=dt.date(2026, 12, 4),
            by=cast.teacher,
        )
        monday = dt.datetime(2026, 12, 7, 7, 5, tzinfo=school.tz)
        with (
            time_machine.travel(monday),
            django_capture_on_commit_callbacks(execute=True),
        ):
            weekly_digest_sync(school=school)
            Reminder.objects.exclude(kind=ReminderKind.WEEKLY_DIGEST).update(
                state=ReminderState.CANCELLED
            )
            _deliver_everything_pending()
    (digest,) = mail.outbox
    body = text_of(parsed(digest))
    assert "1 visit in 1 cycle: Quick look" in body
    assert "1 debrief overdue: Quick look" in body
    assert "1 goal follow-up is past its date." in body
    assert f"{BASE_URL}{reverse('dashboards:follow_through')}" in body


def test_the_coverage_plan_says_the_schools_times_in_plain_words(
    cast, django_capture_on_commit_callbacks
):
    school = cast.school
    school.name = "St. Mary's Middle"
    school.time_zone = "America/Chicago"
    school.save()
    host = staff(school, Role.TEACHER, full_name="Hope Host")
    away = staff(school, Role.TEACHER, full_name="Dana O'Brien")
    cover = staff(school, Role.TEACHER, full_name="Ann Able")
    with scope(school=school), django_capture_on_commit_callbacks(execute=True):
        built = build_schedule(
            school, teaching={host: [1, 2, 3], away: [2, 3], cover: [1, 3]}
        )
        booking_plan(
            BookingRequest(
                school=school,
                by=cast.principal,
                kind=Booking.Kind.VISIT,
                title="Visit to Hope",
                date=WEDNESDAY,
                period=built["periods"][2],
                host=host,
                observers=[away],
                coverage={away: cover},
            )
        )
        coverage_plan_email(
            school=school, day=WEDNESDAY, to="office@example.org", sender=cast.principal
        )
    (plan,) = [m for m in mail.outbox if m.subject.startswith("Coverage plan")]
    msg = parsed(plan)
    assert (
        msg["Subject"] == "Coverage plan for Wednesday 2 December (St. Mary's Middle)"
    )
    text = text_of(msg)
    # Period 2 runs 08:55-09:45 in the school's own zone, whatever the server's:
    # the cover is the whole period the observer is away.
    assert "- 08:55-09:45 Period 2:" in text
    assert "Dana O'Brien is away; Ann Able covers." in text
    assert "Reply to this e-mail to reach Pat." in text
    assert "<td>08:55-09:45 (Period 2)</td>" in html_of(msg)
    assert (
        "<title>Coverage plan for Wednesday 2 December (St. Mary&#x27;s Middle)"
        in html_of(msg)
    )
