"""Follow-through: debriefs on time, goals followed up, reflections written."""

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Exists, F, OuterRef, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from cycles.models import Cycle, Debrief
from dashboards.selectors.figures import Moment, Percent, Report, Table
from dashboards.selectors.scope import (
    Filters,
)
from observations.models import Goal, GoalCheckIn, Reflection

OVERDUE_LISTED = 50


def aware_bounds(filters: Filters):
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(filters.start, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(
        filters.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz
    )
    return start, end


def debrief_url(debrief) -> str | None:
    """The debrief's page (or its cycle's), if the cycles app publishes one."""
    for name, pk in (
        ("cycles:debrief", debrief.pk),
        ("cycles:detail", debrief.cycle_id),
    ):
        try:
            return reverse(name, args=[pk])
        except NoReverseMatch:
            continue
    return None


def follow_through(*, school, filters: Filters, now=None) -> Report:
    """Debriefs on time, goals followed up, reflections written: counts only."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    start, end = aware_bounds(filters)
    debriefs = Debrief.objects.filter(
        school=school, due_at__gte=start, due_at__lt=end
    ).exclude(cycle__status=Cycle.Status.CANCELLED)
    by_kind = {
        row["cycle__kind"]: row
        for row in debriefs.values("cycle__kind")
        .annotate(
            due=Count("pk"),
            on_time=Count(
                "pk", filter=Q(held_at__isnull=False, held_at__lte=F("due_at"))
            ),
            late=Count("pk", filter=Q(held_at__gt=F("due_at"))),
            overdue=Count("pk", filter=Q(held_at__isnull=True, due_at__lt=now)),
            upcoming=Count("pk", filter=Q(held_at__isnull=True, due_at__gte=now)),
        )
        .order_by()
    }
    report = Report(title="Follow-through")
    table = report.add(
        Table(
            "debriefs",
            "Debriefs held on time (micro-observations: within 24 hours)",
            [
                "Cycle type",
                "Due",
                "Held on time",
                "Held late",
                "Overdue",
                "Not due yet",
                "Share held on time",
            ],
        )
    )
    totals = defaultdict(int)
    for kind, label in Cycle.Kind.choices:
        row = by_kind.get(kind)
        if not row:
            continue
        past = row["due"] - row["upcoming"]
        table.rows.append(
            [
                label,
                row["due"],
                row["on_time"],
                row["late"],
                row["overdue"],
                row["upcoming"],
                Percent(row["on_time"], past),
            ]
        )
        for key in ("due", "on_time", "late", "overdue", "upcoming"):
            totals[key] += row[key]
    if by_kind:
        past = totals["due"] - totals["upcoming"]
        table.rows.append(
            [
                "All cycle types",
                totals["due"],
                totals["on_time"],
                totals["late"],
                totals["overdue"],
                totals["upcoming"],
                Percent(totals["on_time"], past),
            ]
        )

    goals = (
        Goal.objects.filter(school=school, created_at__gte=start, created_at__lt=end)
        .annotate(checked=Exists(GoalCheckIn.objects.filter(goal=OuterRef("pk"))))
        .aggregate(
            set=Count("pk"),
            with_follow_up=Count("pk", filter=Q(follow_up_on__isnull=False)),
            followed_up=Count("pk", filter=Q(checked=True)),
            overdue=Count("pk", filter=Q(checked=False, follow_up_on__lt=today)),
        )
    )
    goal_table = report.add(
        Table(
            "goals",
            "Goals and their follow-ups",
            [
                "Goals set",
                "With a follow-up date",
                "Followed up (checked in)",
                "Follow-up overdue",
                "Share followed up",
            ],
        )
    )
    goal_table.rows.append(
        [
            goals["set"],
            goals["with_follow_up"],
            goals["followed_up"],
            goals["overdue"],
            Percent(goals["followed_up"], goals["with_follow_up"]),
        ]
    )
    reflections = Reflection.objects.filter(
        school=school, created_at__gte=start, created_at__lt=end
    ).aggregate(
        written=Count("pk"),
        authors=Count("author", distinct=True),
        shared=Count("pk", filter=~Q(visibility=Reflection.Visibility.PRIVATE)),
    )
    reflection_table = report.add(
        Table(
            "reflections",
            "Reflections written (counts only: the writing stays with its author)",
            ["Reflections written", "Teachers writing", "Shared by their author"],
        )
    )
    reflection_table.rows.append(
        [reflections["written"], reflections["authors"], reflections["shared"]]
    )
    overdue = report.add(
        Table(
            "overdue",
            "Overdue debriefs",
            ["Cycle", "Cycle type", "Debrief was due"],
        )
    )
    links = []
    # One more than is listed tells, without counting them all, that some are left out.
    listed = list(
        Debrief.objects.filter(school=school, held_at__isnull=True, due_at__lt=now)
        .exclude(cycle__status__in=[Cycle.Status.CANCELLED, Cycle.Status.CLOSED])
        .select_related("cycle")
        .order_by("due_at")[: OVERDUE_LISTED + 1]
    )
    if len(listed) > OVERDUE_LISTED:
        overdue.withheld = (
            f"more than {OVERDUE_LISTED} debriefs are overdue; "
            f"this lists the {OVERDUE_LISTED} due longest ago."
        )
    for debrief in listed[:OVERDUE_LISTED]:
        overdue.rows.append(
            [
                debrief.cycle.title,
                debrief.cycle.get_kind_display(),
                Moment(timezone.localtime(debrief.due_at)),
            ]
        )
        links.append(debrief_url(debrief))
    report.extra = {"overdue_links": links}
    past = totals["due"] - totals["upcoming"]
    report.charts = {
        "debriefs": {
            "type": "bar",
            "labels": [row[0] for row in table.rows],
            "datasets": [
                {"label": "Held on time", "data": [row[2] for row in table.rows]},
                {"label": "Held late", "data": [row[3] for row in table.rows]},
                {"label": "Overdue", "data": [row[4] for row in table.rows]},
            ],
        }
    }
    report.extra["debriefs_past"] = past
    return report
