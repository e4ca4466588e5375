"""Participation: who observed and hosted, as counts; reciprocity and pairings."""

from dataclasses import dataclass

from django.db.models import Count

from cycles.models import Cycle
from dashboards.selectors.figures import (
    Figure,
    Percent,
    Ratio,
    Report,
    Shown,
    Table,
    suppress_small,
)
from dashboards.selectors.scope import (
    TEACHING_ROLES,
    Filters,
    observed_only,
    observed_pairs,
    period_visits,
)
from jel.models import Membership


def teaching_staff(*, school):
    return list(
        Membership.objects.filter(
            school=school, is_active=True, role__in=TEACHING_ROLES
        )
        .select_related("user", "profile")
        .order_by("user__full_name")
    )


def profile_facts(membership) -> tuple[str, bool]:
    profile = getattr(membership, "profile", None)
    if profile is None:
        return "", True
    return profile.department, profile.is_new_teacher


def participation(*, school, filters: Filters) -> Report:
    """Who observed and hosted how often, as counts; reciprocity and pairings."""
    threshold = school.privacy_threshold
    staff = teaching_staff(school=school)
    # Only visits that took place count: started, with evidence.
    visits = observed_only(period_visits(school=school, filters=filters))
    hosted = dict(
        visits.values_list("host").annotate(n=Count("pk", distinct=True)).order_by()
    )
    through = observed_pairs(visits)
    observed = dict(
        through.values_list("user").annotate(n=Count("visit", distinct=True)).order_by()
    )
    pair_rows = list(
        through.filter(visit__cycle__kind__in=[Cycle.Kind.MICRO, Cycle.Kind.SWAP])
        .values_list("visit__cycle__kind", "visit__host", "user")
        .distinct()
        .order_by()
    )
    people = {m.user_id: m for m in staff}

    report = Report(title="Participation")
    per_teacher = report.add(
        Table(
            "teachers",
            "Visits observed and hosted, per teacher (counts, not judgments)",
            ["Teacher", "Department", "Visits observed", "Visits hosted"],
        )
    )
    for m in staff:
        per_teacher.rows.append(
            [
                m.user.full_name,
                profile_facts(m)[0],
                observed.get(m.user_id, 0),
                hosted.get(m.user_id, 0),
            ]
        )
    total = len(staff)
    observed_once = sum(1 for m in staff if observed.get(m.user_id))
    hosted_once = sum(1 for m in staff if hosted.get(m.user_id))

    def pct(n):
        return (200 * n + total) // (2 * total) if total else 0

    shares = report.add(
        Table(
            "staff",
            "Share of teaching staff who took part at least once",
            ["Measure", "Teachers", "Share of teaching staff"],
            csv_stems=["Measure", ["Teachers", "Teaching staff"], "Share"],
        )
    )
    shares.rows += [
        [
            measure,
            Ratio(count, total),
            Percent(count, total, empty="no teaching staff"),
        ]
        for measure, count in (
            ("Observed at least once", observed_once),
            ("Hosted at least once", hosted_once),
        )
    ]
    not_hosted = report.add(
        Table(
            "not_hosted",
            "Not hosted yet in this period (host rotation)",
            ["Teacher", "Department"],
        )
    )
    for m in staff:
        if not hosted.get(m.user_id):
            not_hosted.rows.append([m.user.full_name, profile_facts(m)[0]])

    micro = {(h, o) for kind, h, o in pair_rows if kind == Cycle.Kind.MICRO}
    reciprocity = Figure(threshold=threshold, label="micro")
    reciprocity.hosts = {h for h, _o in micro}
    for a, b in {tuple(sorted(edge)) for edge in micro}:
        reciprocity.visits += 1
        reciprocity.seen += int((a, b) in micro and (b, a) in micro)
    swap_edges = {(h, o) for kind, h, o in pair_rows if kind == Cycle.Kind.SWAP}
    cross = Figure(threshold=threshold, label="cross")
    mixed = Figure(threshold=threshold, label="mixed")
    for a, b in {tuple(sorted(edge)) for edge in swap_edges}:
        (dept_a, new_a), (dept_b, new_b) = _facts_of(people, a), _facts_of(people, b)
        for figure, differs in ((cross, dept_a != dept_b), (mixed, new_a != new_b)):
            figure.visits += 1
            figure.seen += int(differs)
    cross.hosts = {h for h, _o in swap_edges}
    mixed.hosts = set(cross.hosts)
    suppress_small([reciprocity, cross, mixed])
    pairs = report.add(
        Table(
            "pairs",
            "Micro-observation reciprocity and swap-day pairings",
            ["Measure", "Share of pairs"],
            csv_stems=["Measure", ["Share of pairs (%)", "Pairs matching", "Pairs"]],
            suppressible=True,
        )
    )
    pairs.rows += [
        [
            "Micro-observation pairs where the visit was returned",
            PairShown(reciprocity),
        ],
        ["Swap pairs across content areas", PairShown(cross)],
        ["Swap pairs of a new with an experienced teacher", PairShown(mixed)],
    ]
    awaiting = report.add(
        Table(
            "return_visits",
            "Micro-observations waiting for the return visit",
            ["Was visited", "Visited by", "Suggested return visit"],
        )
    )
    names = {m.user_id: m.user.full_name for m in staff}
    for host, observer in sorted(micro):
        if (observer, host) not in micro and host in names and observer in names:
            awaiting.rows.append(
                [
                    names[host],
                    names[observer],
                    f"{names[host]} visits {names[observer]}",
                ]
            )
    report.charts = {
        "staff": {
            "type": "bar",
            "percent": True,
            "labels": ["Observed at least once", "Hosted at least once"],
            "datasets": [
                {
                    "label": "Share of teaching staff (%)",
                    "data": [pct(observed_once), pct(hosted_once)],
                }
            ],
        }
    }
    return report


@dataclass(frozen=True)
class PairShown(Shown):
    """A share of pairs rather than of visits."""

    def text(self) -> str:
        f = self.figure
        if f.suppressed:
            return f.note
        if not f.visits:
            return "no pairs"
        return f"{f.share}% ({f.seen} of {f.visits} pairs)"


def _facts_of(people: dict, user_id: int) -> tuple[str, bool]:
    membership = people.get(user_id)
    return profile_facts(membership) if membership else ("", True)
