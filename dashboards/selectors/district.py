"""The district view: the same trends school by school, in aggregate only."""

from collections import defaultdict

from django.db.models import Count
from django_scopes import scopes_disabled

from cycles.models import Cycle, LookFor, Visit
from dashboards.selectors.figures import (
    Figure,
    Report,
    Shown,
    Table,
    Week,
    suppress_complementary,
    suppress_small,
)
from dashboards.selectors.scope import Filters, observed_only
from jel.dates import week_start
from jel.models import School
from observations.models import Evidence


def district_trends(*, district, filters: Filters) -> Report:
    """The same trends school by school across a district, in aggregate only."""
    # Reading other schools is the point of this view; only counts leave here.
    with scopes_disabled():
        schools = list(School.objects.filter(district=district).order_by("name"))
        ids = [s.pk for s in schools]
        visits = observed_only(
            Visit.objects.filter(
                school__in=ids, date__gte=filters.start, date__lte=filters.end
            ).exclude(cycle__status=Cycle.Status.CANCELLED)
        )
        if filters.kind:
            visits = visits.filter(cycle__kind=filters.kind)
        visit_rows = list(
            visits.values("school", "host", "date")
            .annotate(visits=Count("pk", distinct=True))
            .order_by()
        )
        kind_rows = list(
            Evidence.objects.filter(
                observation__visit__in=visits.values("pk"), look_for__isnull=False
            )
            .values("school", "observation__visit__host", "look_for__kind")
            .annotate(seen=Count("observation__visit", distinct=True))
            .order_by()
        )
    thresholds = {s.pk: s.privacy_threshold for s in schools}
    district_threshold = max(thresholds.values(), default=3)
    facts = [
        {
            "school": r["school"],
            "host": (r["school"], r["host"]),
            "week": week_start(r["date"]),
            "visits": r["visits"],
        }
        for r in visit_rows
    ]
    seen = defaultdict(int)
    for r in kind_rows:
        seen[(r["school"], r["observation__visit__host"], r["look_for__kind"])] += r[
            "seen"
        ]
    kinds = list(LookFor.Kind.choices)

    def school_figures(key):
        found = {}
        for fact in facts:
            k = key(fact)
            threshold = thresholds[fact["school"]]
            figure = found.setdefault(k, Figure(threshold=threshold, label=str(k)))
            figure.add(fact["host"], fact["visits"])
        return found

    # Seen counts are per school and host, not per week: fold them once per host.
    def fold(kind):
        per_school = {}
        per_host = {}
        for fact in facts:
            figure = per_school.setdefault(
                fact["school"],
                Figure(threshold=thresholds[fact["school"]], label=str(fact["school"])),
            )
            figure.add(fact["host"], fact["visits"])
            per_host.setdefault(fact["host"], 0)
        if kind is not None:
            for school_id, host in per_host:
                per_school[school_id].seen += seen.get((school_id, host, kind), 0)
        return per_school

    report = Report(title="District trends")
    visits_row = fold(None)
    district_visits = Figure(threshold=district_threshold, label="district")
    for fact in facts:
        district_visits.add(fact["host"], fact["visits"])
    suppress_small(list(visits_row.values()) + [district_visits])
    suppress_complementary(
        list(visits_row.values()), district_visits, district_threshold
    )
    kind_rows_shown = {}
    for value, label in kinds:
        row = fold(value)
        for school_id, figure in row.items():
            # The same classrooms as the visits figure: hidden together.
            figure.suppressed = visits_row[school_id].suppressed
        total = Figure(threshold=district_threshold, label="district")
        for figure in row.values():
            total.hosts |= figure.hosts
            total.visits += figure.visits
            total.seen += figure.seen
        total.suppressed = district_visits.suppressed
        kind_rows_shown[value] = (label, row, total)

    summary = report.add(
        Table(
            "schools",
            "Observed visits and look-fors seen, school by school",
            ["School", "Observed visits", "Classrooms"]
            + [f"{label} look-for seen" for _v, label in kinds],
            suppressible=True,
        )
    )
    empty = Figure(threshold=district_threshold)
    for s in schools:
        figure = visits_row.get(s.pk, Figure(threshold=s.privacy_threshold))
        summary.rows.append(
            [s.name, Shown(figure, "visits"), Shown(figure, "classrooms")]
            + [Shown(kind_rows_shown[v][1].get(s.pk, empty)) for v, _l in kinds]
        )
    summary.rows.append(
        [
            "All schools",
            Shown(district_visits, "visits"),
            Shown(district_visits, "classrooms"),
        ]
        + [Shown(kind_rows_shown[v][2]) for v, _l in kinds]
    )

    weekly_figures = school_figures(lambda f: (f["school"], f["week"]))
    suppress_small(weekly_figures.values())
    weeks = sorted({w for _s, w in weekly_figures})
    for s in schools:
        parts = [
            weekly_figures[(s.pk, w)] for w in weeks if (s.pk, w) in weekly_figures
        ]
        if s.pk in visits_row:
            suppress_complementary(parts, visits_row[s.pk], s.privacy_threshold)
    weekly = report.add(
        Table(
            "weekly",
            "Observed visits week by week, school by school",
            ["Week"] + [s.name for s in schools],
            cross="School",
            measure="Observed visits",
        )
    )
    for week in weeks:
        weekly.rows.append(
            [Week(week)]
            + [
                Shown(weekly_figures.get((s.pk, week), empty), "visits")
                for s in schools
            ]
        )
    report.charts = {
        "weekly": {
            "type": "line",
            "labels": [f"{w:%d %b}" for w in weeks],
            "datasets": [
                {
                    "label": s.name,
                    "data": [
                        _count_or_none(weekly_figures.get((s.pk, w))) for w in weeks
                    ],
                }
                for s in schools
            ],
        }
    }
    report.extra = {"schools": schools, "district": district}
    return report


def _count_or_none(figure: Figure | None):
    if figure is None:
        return 0
    return None if figure.suppressed else figure.visits
