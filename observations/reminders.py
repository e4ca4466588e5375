"""Reminders observations derives: the prompt to reflect after a visit, goal
follow-ups and the coaches' weekly digest (each filed under an ABOUT_* key).

Each visit of a scheduled or in-progress cycle prompts its host and observers
to reflect in the afternoon of the visit (the school's reflection prompt time,
default 15:30, or when the visit ends if later). Cycles keeps these in step
with the cycle through cycles.registry.register_visit_reminders (registered in
ObservationsConfig.ready()), so the cycle never builds observations' notice.
"""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from cycles.kinds import spec_for
from cycles.models import Visit
from cycles.reminders import visit_end
from jel.models import (
    Membership,
    Reminder,
    ReminderKind,
    ReminderState,
    ReminderTimings,
    Role,
    School,
)
from jel.services import ReminderSpec, reminders_sync, school_time
from observations.digest import digest_body
from observations.models import Goal
from scheduling.selectors import day_infos

# What the reminder is about: "visit-reflection:<visit pk>".
ABOUT_VISIT_REFLECTION = "visit-reflection"
# "goal:<goal pk>": the goal's follow-ups (on its day, and again).
ABOUT_GOAL = "goal"
# "digest:<Monday's date>": one school's weekly digest for coaches.
ABOUT_DIGEST = "digest"

DIGEST_DAY = 0  # Monday


def goal_about(goal_pk: int) -> str:
    return f"{ABOUT_GOAL}:{goal_pk}"


def digest_about(week_start: dt.date) -> str:
    return f"{ABOUT_DIGEST}:{week_start.isoformat()}"


def reflection_reminders(visit: Visit) -> list[ReminderSpec]:
    """A prompt to reflect, the afternoon of a visit, for its host and observers."""
    if not spec_for(visit.cycle.kind).reflection_reminder:
        return []
    due = max(
        school_time(
            visit.school,
            visit.date,
            ReminderTimings.for_school(visit.school).reflection_prompt_at,
        ),
        visit_end(visit),
    )
    link = reverse("observations:reflection_create") + f"?visit={visit.pk}"
    people = {visit.host, *visit.observers.all()}
    return [
        ReminderSpec(
            kind=ReminderKind.REFLECTION_PROMPT,
            recipient=person,
            due_at=due,
            subject=f"A few minutes to reflect: {visit.cycle.title}",
            body="What did students do, say or make today that you want to remember? "
            "Your reflection is private unless you choose to share it.",
            link=link,
        )
        for person in people
    ]


# --- Goal follow-ups ------------------------------------------------------------
# On the goal's follow-up day and, without a check-in, again some days later
# (ReminderTimings), both on school days; a check-in replaces them.


def _next_school_day(school, day: dt.date) -> dt.date:
    """The day itself if school meets then, else the next school day (3 weeks)."""
    infos = day_infos(school=school, start=day, end=day + dt.timedelta(days=21))
    school_days = [d for d, info in infos.items() if info.is_school_day]
    return min(school_days) if school_days else day


def _goal_follow_up_specs(goal: Goal) -> list[ReminderSpec]:
    if goal.follow_up_on is None:
        return []
    # Before the school day starts by default (ReminderTimings, 07:30).
    timings = ReminderTimings.for_school(goal.school)
    first = _next_school_day(goal.school, goal.follow_up_on)
    again = _next_school_day(
        goal.school, first + dt.timedelta(days=timings.follow_up_again_days)
    )
    link = reverse("observations:goal_detail", args=[goal.pk])
    return [
        ReminderSpec(
            kind=ReminderKind.GOAL_FOLLOW_UP,
            recipient=goal.owner,
            due_at=school_time(goal.school, day, timings.follow_up_at),
            subject=subject,
            body=(
                f"You planned to try: {goal.text}\n\n"
                "Did you try it? Did you get the results you anticipated? "
                "Why or why not? A two-minute check-in keeps the learning "
                "going."
            ),
            link=link,
        )
        for day, subject in (
            (first, "How did your goal go?"),
            (again, "A reminder: how did your goal go?"),
        )
    ]


def goal_follow_up_sync(goal: Goal) -> dict:
    """The goal's follow-up reminders, in step with its follow-up day."""
    return reminders_sync(
        school=goal.school,
        about=goal_about(goal.pk),
        wanted=_goal_follow_up_specs(goal),
    )


def _goal_follow_ups_rederive(school: School) -> int:
    """Pending goal follow-ups moved to the school's current times; a day whose
    follow-up has already gone out is not reminded a second time."""
    pending = Reminder.objects.filter(
        school=school, kind=ReminderKind.GOAL_FOLLOW_UP, state=ReminderState.PENDING
    ).values_list("about", flat=True)
    prefix = goal_about(0)[:-1]
    goal_ids = {int(about[len(prefix) :]) for about in pending}
    moved = 0
    goals = Goal.objects.filter(school=school, pk__in=goal_ids).select_related(
        "owner", "school"
    )
    for goal in goals:
        about = goal_about(goal.pk)
        delivered = {
            timezone.localtime(due_at, school.tz).date()
            for due_at in Reminder.objects.filter(about=about)
            .exclude(state__in=[ReminderState.PENDING, ReminderState.CANCELLED])
            .values_list("due_at", flat=True)
        }
        wanted = [
            spec
            for spec in _goal_follow_up_specs(goal)
            if timezone.localtime(spec.due_at, school.tz).date() not in delivered
        ]
        moved += reminders_sync(school=school, about=about, wanted=wanted)["created"]
    return moved


# --- The coaches' weekly digest ---------------------------------------------------


def weekly_digest_sync(*, school: School, now: dt.datetime | None = None) -> int:
    """On Monday from the digest time (07:00), this week's digest for each coach."""
    now = now or timezone.now()
    local = now.astimezone(school.tz)
    digest_at = ReminderTimings.for_school(school).digest_at
    if local.weekday() != DIGEST_DAY or local.time() < digest_at:
        return 0
    week_start = local.date()
    due = school_time(school, week_start, digest_at)
    body = digest_body(school=school, week_start=week_start)
    coaches = [
        m.user
        for m in Membership.objects.filter(
            school=school, role=Role.COACH, is_active=True
        ).select_related("user")
    ]
    wanted = [
        ReminderSpec(
            kind=ReminderKind.WEEKLY_DIGEST,
            recipient=coach,
            due_at=due,
            subject=f"This week at {school.name}: your JEL digest",
            body=body,
            link=reverse("dashboards:follow_through"),
        )
        for coach in coaches
    ]
    result = reminders_sync(
        school=school,
        about=digest_about(week_start),
        wanted=wanted,
        # A worker that was down at 07:00 still sends Monday's digest that day.
        too_late_after=dt.timedelta(hours=16),
    )
    return result["created"]


# --- Changed reminder times ----------------------------------------------------------


def rederive(school: School) -> int:
    """Move this school's pending goal follow-ups to its current reminder times.

    The digest needs nothing (its row is written only once its time has come).
    """
    with scope(school=school):
        return _goal_follow_ups_rederive(school)
