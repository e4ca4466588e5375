"""Look-for trends: how often each look-for was seen, by week and by group of rooms."""

from collections import defaultdict

from django.db.models import Count, F, Q

from cycles.models import LookFor
from dashboards.selectors.figures import (
    Figure,
    Report,
    Shown,
    Table,
    Week,
    figures_by,
    suppress_complementary,
    suppress_small,
)
from dashboards.selectors.scope import (
    HEATMAP_BY,
    Filters,
    host_groups,
    observed_only,
    period_visits,
)
from jel.dates import week_start
from observations.models import Evidence


def _trend_facts(*, school, filters: Filters) -> list[dict]:
    """Grouped rows: per look-for, host, week, cycle type and problem of practice.

    `visits` counts observed visits whose cycle looked for the look-for, `seen`
    those of them with evidence tagged with it, `tallies` the tally marks. A
    visit has one host, day, type and problem, so these sum across groups.
    The database groups by day (a plain column); days fold into weeks here,
    because SQLite's week truncation runs in Python once per joined row.
    """
    visits = observed_only(period_visits(school=school, filters=filters))
    looked = (
        visits.values(
            "date",
            "host",
            "cycle__kind",
            "cycle__problem_of_practice",
            "cycle__look_for_links__look_for",
        )
        .annotate(visits=Count("pk", distinct=True))
        .order_by()
    )
    seen = (
        Evidence.objects.filter(
            observation__visit__in=visits.values("pk"),
            look_for__cycle_links__cycle=F("observation__visit__cycle"),
        )
        .values(
            "observation__visit__date",
            "look_for",
            "observation__visit__host",
            "observation__visit__cycle__kind",
            "observation__visit__cycle__problem_of_practice",
        )
        .annotate(
            seen=Count("observation__visit", distinct=True),
            tallies=Count("pk", filter=Q(is_tally=True)),
        )
        .order_by()
    )
    facts: dict[tuple, dict] = {}
    for row in looked:
        if row["cycle__look_for_links__look_for"] is None:
            continue
        key = (
            row["cycle__look_for_links__look_for"],
            row["host"],
            week_start(row["date"]),
            row["cycle__kind"],
            row["cycle__problem_of_practice"],
        )
        fact = facts.setdefault(
            key, dict(zip(FACT_KEYS, key, strict=True), visits=0, seen=0, tallies=0)
        )
        fact["visits"] += row["visits"]
    for row in seen:
        key = (
            row["look_for"],
            row["observation__visit__host"],
            week_start(row["observation__visit__date"]),
            row["observation__visit__cycle__kind"],
            row["observation__visit__cycle__problem_of_practice"],
        )
        if key in facts:
            facts[key]["seen"] += row["seen"]
            facts[key]["tallies"] += row["tallies"]
    return list(facts.values())


FACT_KEYS = ("look_for", "host", "week", "kind", "problem")


def _matcher(filters: Filters, groups: dict, skip: str = ""):
    """A test for grouped rows: inside every active filter except `skip`."""

    def department(fact):
        return groups.get(fact["host"], {}).get("department", "No department")

    def matches(fact) -> bool:
        if skip != "kind" and filters.kind and fact["kind"] != filters.kind:
            return False
        if (
            skip != "problem"
            and filters.problem_id
            and fact["problem"] != filters.problem_id
        ):
            return False
        return not (
            skip != "department"
            and filters.department
            and department(fact) != filters.department
        )

    return matches


def _dimension_value(name: str, fact: dict, groups: dict):
    if name == "department":
        return groups.get(fact["host"], {}).get("department", "No department")
    return fact[name]


def _suppress_row_complements(figures: dict, threshold: int) -> None:
    """Each look-for's row of groups, and of weeks, against its shown total."""
    for part_scope in ("cell", "week"):
        rows = defaultdict(list)
        for (look_for, _column), figure in sorted(
            figures[part_scope].items(), key=lambda item: str(item[0])
        ):
            rows[look_for].append(figure)
        for look_for, total in figures["total"].items():
            suppress_complementary(rows[look_for], total, threshold)


def _suppressed_view(facts, scopes: dict, threshold: int) -> dict:
    """A view's figures with all of its own suppression applied."""
    figures = {name: figures_by(facts, key, threshold) for name, key in scopes.items()}
    for found in figures.values():
        suppress_small(found.values())
    _suppress_row_complements(figures, threshold)
    return figures


def look_for_trends(*, school, filters: Filters) -> Report:
    """How often each look-for was seen: overall, week by week, by group of rooms."""
    threshold = school.privacy_threshold
    groups = host_groups(school=school)
    facts = _trend_facts(school=school, filters=filters)
    shown = [f for f in facts if _matcher(filters, groups)(f)]

    def column(fact):
        return groups.get(fact["host"], {}).get(
            filters.by, "No department" if filters.by == "department" else "No grade"
        )

    scopes = {
        "total": lambda f: f["look_for"],
        "cell": lambda f: (f["look_for"], column(f)),
        "week": lambda f: (f["look_for"], f["week"]),
    }
    figures = {name: figures_by(shown, key, threshold) for name, key in scopes.items()}
    for found in figures.values():
        suppress_small(found.values())

    # A filtered view is one part of the view without that filter. What that
    # wider view hides stays hidden here, and across the filter's values the
    # hidden parts must not be recoverable from the wider view's figure.
    for dimension, value in filters.active().items():
        wider = [f for f in facts if _matcher(filters, groups, skip=dimension)(f)]
        wider_view = _suppressed_view(wider, scopes, threshold)
        for name, key in scopes.items():
            parts = figures_by(
                wider,
                lambda f, key=key, dimension=dimension: (
                    key(f),
                    _dimension_value(dimension, f, groups),
                ),
                threshold,
            )
            suppress_small(parts.values())
            by_scope = defaultdict(list)
            for (scope_key, _value), part in parts.items():
                by_scope[scope_key].append(part)
            for scope_key, row in by_scope.items():
                suppress_complementary(row, wider_view[name][scope_key], threshold)
            for (scope_key, part_value), part in parts.items():
                hidden_there = part_value == value and part.suppressed
                if hidden_there and scope_key in figures[name]:
                    figures[name][scope_key].suppressed = True
    _suppress_row_complements(figures, threshold)

    look_for_ids = sorted(figures["total"])
    look_fors = {
        lf.pk: lf
        for lf in LookFor.objects.filter(pk__in=look_for_ids).order_by(
            "problem_id", "position", "pk"
        )
    }
    ordered = [pk for pk in look_fors if pk in figures["total"]]
    columns = sorted({key[1] for key in figures["cell"]})
    weeks = sorted({key[1] for key in figures["week"]})

    empty = Figure(threshold=threshold)
    report = Report(title="Look-for trends")
    summary = report.add(
        Table(
            "summary",
            "How often each look-for was seen",
            ["Look-for", "Seen in (share of visits)", "Classrooms", "Tally marks"],
            csv_stems=["Look-for", "Seen in", "Classrooms", "Tally marks"],
            suppressible=True,
        )
    )
    for pk in ordered:
        total = figures["total"][pk]
        summary.rows.append(
            [
                look_fors[pk].text,
                Shown(total),
                Shown(total, "classrooms"),
                Shown(total, "tallies"),
            ]
        )
    weekly = report.add(
        Table(
            "weekly",
            "Share of visits where each look-for was seen, week by week",
            ["Week"] + [look_fors[pk].text for pk in ordered],
            cross="Look-for",
            measure="Seen in",
        )
    )
    for week in weeks:
        weekly.rows.append(
            [Week(week)]
            + [Shown(figures["week"].get((pk, week), empty)) for pk in ordered]
        )
    by_label = HEATMAP_BY[filters.by].lower()
    heatmap = report.add(
        Table(
            "heatmap",
            f"Share of visits where each look-for was seen, by {by_label}",
            ["Look-for"] + columns + ["All classrooms"],
            cross=HEATMAP_BY[filters.by],
            measure="Seen in",
        )
    )
    for pk in ordered:
        heatmap.rows.append(
            [look_fors[pk].text]
            + [Shown(figures["cell"].get((pk, c), empty)) for c in columns]
            + [Shown(figures["total"][pk])]
        )
    report.charts = {
        "summary": {
            "type": "bar",
            "percent": True,
            "labels": [look_fors[pk].text for pk in ordered],
            "datasets": [
                {
                    "label": "Share of visits where seen (%)",
                    "data": [figures["total"][pk].share for pk in ordered],
                }
            ],
        },
        "weekly": {
            "type": "line",
            "percent": True,
            "labels": [f"{w:%d %b}" for w in weeks],
            "datasets": [
                {
                    "label": look_fors[pk].text,
                    "data": [figures["week"].get((pk, w), empty).share for w in weeks],
                }
                for pk in ordered
            ],
        },
    }
    report.extra = {"threshold": threshold, "columns": columns, "by": by_label}
    return report
