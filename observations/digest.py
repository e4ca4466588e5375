"""The text of the weekly digest for coaches: last week's cycles, overdue
debriefs and overdue goal follow-ups (counts only: goals are personal).

When it is sent (Monday at the school's digest time, once per school and week)
is decided in observations.reminders.
"""

import datetime as dt

from django.utils.translation import ngettext

from cycles.models import Visit
from cycles.selectors import debriefs_overdue
from jel.models import School
from observations.models import Goal


def digest_body(*, school: School, week_start: dt.date) -> str:
    """The text of a school's digest for the week before week_start."""
    last_monday = week_start - dt.timedelta(days=7)
    visits = Visit.objects.filter(
        school=school, date__gte=last_monday, date__lt=week_start
    ).select_related("cycle")
    cycles = sorted({v.cycle.title for v in visits})
    overdue = list(debriefs_overdue(school=school))
    # Past its date on the digest's Monday in the school's own time zone (the
    # server's "today" may already be Tuesday, or still Sunday).
    follow_ups = Goal.objects.filter(school=school, follow_up_on__lt=week_start).count()
    last_friday = week_start - dt.timedelta(days=3)
    lines = [f"Last week ({last_monday:%-d %b} to {last_friday:%-d %b}):"]
    if cycles:
        visit_count = ngettext("%d visit", "%d visits", len(visits)) % len(visits)
        # Counted by id: two cycles may share a title.
        n_cycles = len({v.cycle_id for v in visits})
        cycle_count = ngettext("%d cycle", "%d cycles", n_cycles) % n_cycles
        lines.append(f"{visit_count} in {cycle_count}: " + "; ".join(cycles))
    else:
        lines.append(
            "No visits. A micro-observation in a planning period takes 15 minutes."
        )
    if overdue:
        titles = "; ".join(sorted({d.cycle.title for d in overdue}))
        count = ngettext(
            "%d debrief overdue", "%d debriefs overdue", len(overdue)
        ) % len(overdue)
        lines.append(f"{count}: {titles}")
    else:
        lines.append("No debriefs overdue.")
    lines.append(
        ngettext(
            "%d goal follow-up is past its date.",
            "%d goal follow-ups are past their date.",
            follow_ups,
        )
        % follow_ups
        if follow_ups
        else "Every goal follow-up is on time."
    )
    return "\n".join(lines)
