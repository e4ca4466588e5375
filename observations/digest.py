"""The weekly digest for coaches: Monday 07:00 school time, last week's cycles,
overdue debriefs and overdue goal follow-ups (counts only: goals are personal).

An hourly job makes the digest a reminder row with a unique key per school and
week, so it is written once and delivered like every other reminder.
"""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from cycles.models import Visit
from cycles.selectors import debriefs_overdue
from jel.models import Membership, ReminderKind, ReminderTimings, Role, School
from jel.services import ReminderSpec, reminders_sync, school_time
from observations.models import Goal

DIGEST_DAY = 0  # Monday


def digest_body(*, school: School, week_start: dt.date) -> str:
    """The text of a school's digest for the week before week_start."""
    last_monday = week_start - dt.timedelta(days=7)
    visits = Visit.objects.filter(
        school=school, date__gte=last_monday, date__lt=week_start
    ).select_related("cycle")
    cycles = sorted({v.cycle.title for v in visits})
    overdue = list(debriefs_overdue(school=school))
    follow_ups = Goal.objects.filter(
        school=school, follow_up_on__lt=timezone.localdate()
    ).count()
    last_friday = week_start - dt.timedelta(days=3)
    lines = [f"Last week ({last_monday:%-d %b} to {last_friday:%-d %b}):"]
    if cycles:
        lines.append(
            f"{len(visits)} visits in {len(cycles)} cycles: " + "; ".join(cycles)
        )
    else:
        lines.append(
            "No visits. A micro-observation in a planning period takes 15 minutes."
        )
    if overdue:
        titles = "; ".join(sorted({d.cycle.title for d in overdue}))
        lines.append(f"{len(overdue)} debriefs overdue: {titles}")
    else:
        lines.append("No debriefs overdue.")
    lines.append(
        f"{follow_ups} goal follow-ups are past their date."
        if follow_ups
        else "Every goal follow-up is on time."
    )
    return "\n".join(lines)


def weekly_digest_sync(*, school: School, now: dt.datetime | None = None) -> int:
    """On Monday from 07:00 school time, this week's digest for each coach."""
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
        about=f"digest:{week_start.isoformat()}",
        wanted=wanted,
        # A worker that was down at 07:00 still sends Monday's digest that day.
        too_late_after=dt.timedelta(hours=16),
    )
    return result["created"]
