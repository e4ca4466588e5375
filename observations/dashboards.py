"""Reads for the dashboards (issue 9): aggregate queries and small-group suppression.

Every dashboard is built here once and then rendered three ways: as the page
(charts and their data tables), as CSV and as JSON for the API. What a table
holds is exactly what every one of them shows.

The database does the counting: each dashboard runs a fixed number of grouped
queries (by look-for, host, week, cycle type ...) whatever the size of the
school's history; Python only folds those grouped rows into cells.

Privacy rules (principles 2 and 3):
- a figure resting on fewer classrooms (distinct hosts) than the school's
  privacy threshold is suppressed everywhere it would appear;
- complementary suppression: when a row shows a total, the suppressed parts of
  that row together must cover at least the threshold of classrooms, or
  subtracting the shown parts from the total would reveal them; the same is
  checked across the values of each filter (a department's view is one part of
  the whole school's), so two filtered views cannot be differenced either;
- no dashboard shows evidence text, and no host is named next to evidence.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, Sum
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from cycles.models import Cycle, CycleParticipant, Debrief, LookFor, Visit
from cycles.rules import school_year_bounds
from jel.models import Membership, Role, School, StaffProfile
from observations import essa
from observations.models import Evidence, Goal, GoalCheckIn, Observation, Reflection
from scheduling.models import Term

SUPPRESSED_TEXT = "suppressed (fewer than {n} classrooms)"
TEACHING_ROLES = (Role.TEACHER, Role.MENTOR)
HEATMAP_BY = {"department": "Department", "grade": "Grade band"}
MAX_RANGE_DAYS = 3 * 366 + 31


# --- Figures, tables and suppression -------------------------------------------------


@dataclass
class Figure:
    """One aggregate cell: visits (and how many saw something) over some classrooms."""

    threshold: int
    label: str = ""
    hosts: set = field(default_factory=set)
    visits: int = 0
    seen: int = 0
    tallies: int = 0
    suppressed: bool = False

    def add(self, host, visits=0, seen=0, tallies=0) -> None:
        if visits:
            self.hosts.add(host)
        self.visits += visits
        self.seen += seen
        self.tallies += tallies

    @property
    def classrooms(self) -> int:
        return len(self.hosts)

    @property
    def is_small(self) -> bool:
        return 0 < self.classrooms < self.threshold

    @property
    def share(self) -> int | None:
        if self.suppressed or not self.visits:
            return None
        # Half up, as people round: 12.5% shows as 13%.
        return (200 * self.seen + self.visits) // (2 * self.visits)

    @property
    def note(self) -> str:
        return SUPPRESSED_TEXT.format(n=self.threshold)


@dataclass(frozen=True)
class Shown:
    """A table cell showing one part of a figure (or the suppression note)."""

    figure: Figure
    part: str = "share"  # share | visits | seen | tallies | classrooms

    def text(self) -> str:
        f = self.figure
        if f.suppressed:
            return f.note
        if self.part == "share":
            if not f.visits:
                return "no visits"
            return f"{f.share}% ({f.seen} of {f.visits} visits)"
        return str(getattr(f, self.part))

    def data(self):
        f = self.figure
        if f.suppressed:
            return {"suppressed": True, "note": f.note}
        if self.part == "share":
            return {
                "suppressed": False,
                "share": f.share,
                "seen": f.seen,
                "visits": f.visits,
                "classrooms": f.classrooms,
            }
        return {"suppressed": False, "value": getattr(f, self.part)}

    @property
    def shade(self) -> int:
        """0-4: how dark a heat map cell is drawn (only for shown shares)."""
        share = self.figure.share
        return -1 if share is None else min(4, share // 20)


def cell_text(value) -> str:
    if isinstance(value, Shown):
        return value.text()
    return "" if value is None else str(value)


def cell_data(value):
    return value.data() if isinstance(value, Shown) else value


@dataclass
class Table:
    """Columns and rows exactly as the page shows them; CSV and API use the same."""

    key: str
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)

    def text_rows(self) -> list[list[str]]:
        return [[cell_text(value) for value in row] for row in self.rows]

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "title": self.title,
            "columns": self.columns,
            "rows": [[cell_data(value) for value in row] for row in self.rows],
        }


@dataclass
class Report:
    """A dashboard: its tables, chart data built from them, and page extras."""

    title: str
    tables: dict[str, Table] = field(default_factory=dict)
    charts: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)

    def add(self, table: Table) -> Table:
        self.tables[table.key] = table
        return table


def suppress_small(figures) -> None:
    """Primary suppression: a figure over too few classrooms is not shown."""
    for figure in figures:
        if figure.is_small:
            figure.suppressed = True


def suppress_complementary(parts, total: Figure, threshold: int) -> None:
    """Hide more parts until the hidden ones cannot be recovered from the total.

    The hidden parts of a row can be worked out together as the total minus the
    shown parts, so together they must cover at least `threshold` classrooms
    and be at least two; the next smallest part is hidden until they do, and
    the total itself when no part is left to hide.
    """
    if total.suppressed:
        for part in parts:
            if part.classrooms:
                part.suppressed = True
        return
    hidden = [p for p in parts if p.suppressed and p.classrooms]
    while hidden:
        covered = set().union(*(p.hosts for p in hidden))
        if len(hidden) >= 2 and len(covered) >= threshold:
            return
        candidates = sorted(
            (p for p in parts if not p.suppressed and p.classrooms),
            key=lambda p: (p.classrooms, p.visits, p.label),
        )
        if not candidates:
            total.suppressed = True
            return
        candidates[0].suppressed = True
        hidden.append(candidates[0])


def _figures(facts, key, threshold, label=str) -> dict:
    figures: dict = {}
    for fact in facts:
        k = key(fact)
        if k is None:
            continue
        if k not in figures:
            figures[k] = Figure(threshold=threshold, label=label(k))
        figures[k].add(
            fact["host"], fact["visits"], fact.get("seen", 0), fact.get("tallies", 0)
        )
    return figures


# --- Filters ----------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What a dashboard is about: a period and, for trends, narrower slices."""

    start: dt.date
    end: dt.date
    term: Term | None = None
    kind: str = ""
    problem_id: int | None = None
    department: str = ""
    by: str = "department"

    @property
    def period_label(self) -> str:
        dates = f"{self.start:%d %b %Y} to {self.end:%d %b %Y}"
        return f"{self.term.name}: {dates}" if self.term else dates

    def active(self) -> dict:
        """The narrowing filters in use: name -> the value chosen."""
        chosen = {
            "kind": self.kind,
            "problem": self.problem_id,
            "department": self.department,
        }
        return {name: value for name, value in chosen.items() if value}


def current_term(*, school, today: dt.date | None = None) -> Term | None:
    """The most specific term (latest start) that today falls in."""
    today = today or timezone.localdate()
    return (
        Term.objects.filter(school=school, starts_on__lte=today, ends_on__gte=today)
        .order_by("-starts_on", "ends_on")
        .first()
    )


def resolve_filters(
    *,
    school,
    term: Term | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    kind: str = "",
    problem_id: int | None = None,
    department: str = "",
    by: str = "",
    today: dt.date | None = None,
) -> Filters:
    """Dates from the chosen range, else the chosen term, else this term or year."""
    if not (start and end):
        if term is None:
            term = current_term(school=school, today=today)
        if term is not None:
            start, end = term.starts_on, term.ends_on
        else:
            start, end = school_year_bounds(today or timezone.localdate())
    else:
        term = None
    return Filters(
        start=start,
        end=end,
        term=term,
        kind=kind or "",
        problem_id=problem_id,
        department=department or "",
        by=by if by in HEATMAP_BY else "department",
    )


def departments_of(*, school) -> list[str]:
    return list(
        StaffProfile.objects.filter(school=school)
        .exclude(department="")
        .values_list("department", flat=True)
        .distinct()
        .order_by("department")
    )


def grade_band(grades) -> str:
    grades = sorted(g for g in (grades or []) if isinstance(g, int))
    if not grades:
        return "No grade"
    name = {0: "K"}
    low, high = name.get(grades[0], grades[0]), name.get(grades[-1], grades[-1])
    return f"Grade {low}" if low == high else f"Grades {low}-{high}"


def host_groups(*, school) -> dict[int, dict]:
    """Each staff member's department and grade band, for grouping their classroom."""
    rows = StaffProfile.objects.filter(school=school).values(
        "membership__user_id", "department", "grade_levels"
    )
    return {
        row["membership__user_id"]: {
            "department": row["department"] or "No department",
            "grade": grade_band(row["grade_levels"]),
        }
        for row in rows
    }


def _period_visits(*, school, filters: Filters):
    return Visit.objects.filter(
        school=school, date__gte=filters.start, date__lte=filters.end
    ).exclude(cycle__status=Cycle.Status.CANCELLED)


def _observed(visits):
    return visits.filter(Exists(Observation.objects.filter(visit=OuterRef("pk"))))


# --- Look-for trends ----------------------------------------------------------------


def _trend_facts(*, school, filters: Filters) -> list[dict]:
    """Grouped rows: per look-for, host, week, cycle type and problem of practice.

    `visits` counts observed visits whose cycle looked for the look-for, `seen`
    those of them with evidence tagged with it, `tallies` the tally marks. A
    visit has one host, day, type and problem, so these sum across groups.
    The database groups by day (a plain column); days fold into weeks here,
    because SQLite's week truncation runs in Python once per joined row.
    """
    visits = _observed(_period_visits(school=school, filters=filters))
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
            _week_of(row["date"]),
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
            _week_of(row["observation__visit__date"]),
            row["observation__visit__cycle__kind"],
            row["observation__visit__cycle__problem_of_practice"],
        )
        if key in facts:
            facts[key]["seen"] += row["seen"]
            facts[key]["tallies"] += row["tallies"]
    return list(facts.values())


def _week_of(day: dt.date) -> dt.date:
    """The Monday of the day's week (what TruncWeek gives)."""
    return day - dt.timedelta(days=day.weekday())


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


def _week_label(week: dt.date) -> str:
    return f"Week of {week:%d %b %Y}"


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
    figures = {
        name: _figures(shown, key, threshold, label=str) for name, key in scopes.items()
    }
    for found in figures.values():
        suppress_small(found.values())

    # A filtered view is one part of the view without that filter: hide whatever
    # that wider view's own suppression pattern hides.
    for dimension, value in filters.active().items():
        wider = [f for f in facts if _matcher(filters, groups, skip=dimension)(f)]
        for name, key in scopes.items():
            parts = _figures(
                wider,
                lambda f, key=key, dimension=dimension: (
                    key(f),
                    _dimension_value(dimension, f, groups),
                ),
                threshold,
            )
            totals = _figures(wider, key, threshold)
            suppress_small(list(parts.values()) + list(totals.values()))
            by_scope = defaultdict(list)
            for (scope_key, _value), part in parts.items():
                by_scope[scope_key].append(part)
            for scope_key, row in by_scope.items():
                suppress_complementary(row, totals[scope_key], threshold)
            for (scope_key, part_value), part in parts.items():
                hidden_there = part_value == value and part.suppressed
                if hidden_there and scope_key in figures[name]:
                    figures[name][scope_key].suppressed = True

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
    for pk in ordered:
        total = figures["total"][pk]
        cells = [figures["cell"].get((pk, c)) for c in columns]
        suppress_complementary([c for c in cells if c], total, threshold)
        week_cells = [figures["week"].get((pk, w)) for w in weeks]
        suppress_complementary([c for c in week_cells if c], total, threshold)

    report = Report(title="Look-for trends")
    summary = report.add(
        Table(
            "summary",
            "How often each look-for was seen",
            ["Look-for", "Seen in (share of visits)", "Classrooms", "Tally marks"],
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
        )
    )
    for week in weeks:
        weekly.rows.append(
            [_week_label(week)]
            + [Shown(figures["week"].get((pk, week), empty)) for pk in ordered]
        )
    by_label = HEATMAP_BY[filters.by].lower()
    heatmap = report.add(
        Table(
            "heatmap",
            f"Share of visits where each look-for was seen, by {by_label}",
            ["Look-for"] + columns + ["All classrooms"],
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


# --- District ---------------------------------------------------------------------


def district_trends(*, district, filters: Filters) -> Report:
    """The same trends school by school across a district, in aggregate only."""
    # Reading other schools is the point of this view; only counts leave here.
    with scopes_disabled():
        schools = list(School.objects.filter(district=district).order_by("name"))
        ids = [s.pk for s in schools]
        visits = _observed(
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
            "week": _week_of(r["date"]),
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
        )
    )
    for week in weeks:
        weekly.rows.append(
            [_week_label(week)]
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


# --- Participation -------------------------------------------------------------------


def _teaching_staff(*, school):
    return list(
        Membership.objects.filter(
            school=school, is_active=True, role__in=TEACHING_ROLES
        )
        .select_related("user", "profile")
        .order_by("user__full_name")
    )


def _profile_facts(membership) -> tuple[str, bool]:
    profile = getattr(membership, "profile", None)
    if profile is None:
        return "", True
    return profile.department, profile.is_new_teacher


def participation(*, school, filters: Filters) -> Report:
    """Who observed and hosted how often, as counts; reciprocity and pairings."""
    threshold = school.privacy_threshold
    staff = _teaching_staff(school=school)
    visits = _period_visits(school=school, filters=filters)
    hosted = dict(
        visits.values_list("host").annotate(n=Count("pk", distinct=True)).order_by()
    )
    through = Visit.observers.through.objects.filter(visit__in=visits.values("pk"))
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
                _profile_facts(m)[0],
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
        )
    )
    shares.rows += [
        [
            "Observed at least once",
            f"{observed_once} of {total}",
            f"{pct(observed_once)}%",
        ],
        ["Hosted at least once", f"{hosted_once} of {total}", f"{pct(hosted_once)}%"],
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
            not_hosted.rows.append([m.user.full_name, _profile_facts(m)[0]])

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
    cross.hosts = mixed.hosts = {h for h, _o in swap_edges}
    suppress_small([reciprocity, cross, mixed])
    pairs = report.add(
        Table(
            "pairs",
            "Micro-observation reciprocity and swap-day pairings",
            ["Measure", "Share of pairs"],
        )
    )
    pairs.rows += [
        ["Micro-observation pairs where the visit was returned", Shown(reciprocity)],
        ["Swap pairs across content areas", Shown(cross)],
        ["Swap pairs of a new with an experienced teacher", Shown(mixed)],
    ]
    for row in pairs.rows:
        row[1] = PairShown(row[1].figure)
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
    return _profile_facts(membership) if membership else ("", True)


# --- Follow-through -------------------------------------------------------------------


def _aware_bounds(filters: Filters):
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
    start, end = _aware_bounds(filters)
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
                _percent(row["on_time"], past),
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
                _percent(totals["on_time"], past),
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
            _percent(goals["followed_up"], goals["with_follow_up"]),
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
    for debrief in (
        Debrief.objects.filter(school=school, held_at__isnull=True, due_at__lt=now)
        .exclude(cycle__status__in=[Cycle.Status.CANCELLED, Cycle.Status.CLOSED])
        .select_related("cycle")
        .order_by("due_at")[:50]
    ):
        due = timezone.localtime(debrief.due_at)
        overdue.rows.append(
            [
                debrief.cycle.title,
                debrief.cycle.get_kind_display(),
                f"{due:%d %b %Y %H:%M}",
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


def _percent(part: int, whole: int) -> str:
    return f"{(200 * part + whole) // (2 * whole)}%" if whole else "none due yet"


# --- ESSA ----------------------------------------------------------------------------


def learning_figures(
    *, school, user_ids, filters: Filters, today=None
) -> dict[int, essa.LearningFigures]:
    """What each of these people did in the period, in a fixed number of queries."""
    today = today or timezone.localdate()
    user_ids = list(user_ids)
    end = min(filters.end, today)
    visits = Visit.objects.filter(
        school=school, date__gte=filters.start, date__lte=end
    ).exclude(cycle__status=Cycle.Status.CANCELLED)
    theirs = visits.filter(Q(host__in=user_ids) | Q(observers__in=user_ids)).values(
        "pk"
    )
    hosted = {
        r["host"]: r
        for r in visits.filter(host__in=user_ids)
        .values("host")
        .annotate(
            n=Count("pk"), minutes=Sum("minutes"), first=Min("date"), last=Max("date")
        )
        .order_by()
    }
    through = Visit.observers.through.objects.filter(visit__in=visits.values("pk"))
    observed = {
        r["user"]: r
        for r in through.filter(user__in=user_ids)
        .values("user")
        .annotate(
            n=Count("visit", distinct=True),
            minutes=Sum("visit__minutes"),
            first=Min("visit__date"),
            last=Max("visit__date"),
        )
        .order_by()
    }
    cycles = dict(
        CycleParticipant.objects.filter(
            user__in=user_ids, cycle__in=visits.values("cycle")
        )
        .values_list("user")
        .annotate(n=Count("cycle", distinct=True))
        .order_by()
    )
    start, stop = _aware_bounds(filters)
    debriefs = dict(
        Debrief.attendees.through.objects.filter(
            debrief__school=school,
            debrief__held_at__gte=start,
            debrief__held_at__lt=stop,
            user__in=user_ids,
        )
        .values_list("user")
        .annotate(n=Count("debrief", distinct=True))
        .order_by()
    )
    evidence = dict(
        Evidence.objects.filter(
            observation__visit__in=visits.values("pk"),
            observation__observer__in=user_ids,
        )
        .values_list("observation__observer")
        .annotate(n=Count("pk"))
        .order_by()
    )
    goals = dict(
        Goal.objects.filter(
            owner__in=user_ids, created_at__gte=start, created_at__lt=stop
        )
        .values_list("owner")
        .annotate(n=Count("pk"))
        .order_by()
    )
    shared = Visit.observers.through.objects.filter(visit__in=theirs)
    colleagues = defaultdict(set)
    for observer, host in shared.values_list("user", "visit__host").distinct():
        colleagues[observer].add(host)
        colleagues[host].add(observer)
    for observer, other in shared.values_list("user", "visit__observers").distinct():
        if other is not None and other != observer:
            colleagues[observer].add(other)

    result = {}
    for uid in user_ids:
        h, o = hosted.get(uid, {}), observed.get(uid, {})
        dates = [
            d
            for d in (h.get("first"), h.get("last"), o.get("first"), o.get("last"))
            if d
        ]
        weeks = ((max(dates) - min(dates)).days // 7 + 1) if dates else 0
        result[uid] = essa.LearningFigures(
            cycles_joined=cycles.get(uid, 0),
            weeks_spanned=weeks,
            visit_minutes=(h.get("minutes") or 0) + (o.get("minutes") or 0),
            debriefs_attended=debriefs.get(uid, 0),
            colleagues=len(colleagues.get(uid, set()) - {uid}),
            evidence_entries=evidence.get(uid, 0),
            visits_hosted=h.get("n", 0),
            visits_observed=o.get("n", 0),
            goals_set=goals.get(uid, 0),
        )
    return result


FIGURE_ROWS = [
    ("Cycles joined", "cycles_joined"),
    ("Weeks spanned", "weeks_spanned"),
    ("Hours in visits and debriefs", "hours"),
    ("Colleagues learned with", "colleagues"),
    ("Evidence entries recorded", "evidence_entries"),
    ("Classroom visits (hosted and observed)", "classroom_visits"),
]


def essa_for_teacher(*, school, user, filters: Filters) -> Report:
    """The six ESSA criteria for one teacher's own learning, with figures and rules."""
    figures = learning_figures(school=school, user_ids=[user.pk], filters=filters)[
        user.pk
    ]
    report = Report(title=f"ESSA criteria: {user.full_name}")
    criteria = report.add(
        Table(
            "criteria",
            "ESSA criteria of high-quality professional learning",
            ["Criterion", "Met", "Figures", "Rule"],
        )
    )
    for result in essa.teacher_results(figures):
        criteria.rows.append(
            [
                result["label"],
                "Met" if result["met"] else "Not yet",
                result["figures"],
                result["rule"],
            ]
        )
    numbers = report.add(Table("figures", "The figures", ["Figure", "Value"]))
    for label, attr in FIGURE_ROWS:
        numbers.rows.append([label, getattr(figures, attr)])
    report.extra = {"results": essa.teacher_results(figures), "person": user}
    return report


def essa_for_school(*, school, filters: Filters) -> Report:
    """The six ESSA criteria for the school: met when enough teachers meet each."""
    threshold = school.privacy_threshold
    staff = _teaching_staff(school=school)
    per_teacher = learning_figures(
        school=school, user_ids=[m.user_id for m in staff], filters=filters
    )
    today = timezone.localdate()
    happened = Visit.objects.filter(
        school=school, date__gte=filters.start, date__lte=min(filters.end, today)
    ).exclude(cycle__status=Cycle.Status.CANCELLED)
    school_totals = happened.aggregate(
        visits=Count("pk"),
        cycles=Count("cycle", distinct=True),
        classrooms=Count("host", distinct=True),
        first=Min("date"),
        last=Max("date"),
    )
    suppressed = 0 < school_totals["classrooms"] < threshold
    results = essa.school_results(list(per_teacher.values()))
    report = Report(title="ESSA report")
    criteria = report.add(
        Table(
            "criteria",
            "ESSA criteria of high-quality professional learning, for the school",
            ["Criterion", "Met", "Figures", "Rule"],
        )
    )
    note = SUPPRESSED_TEXT.format(n=threshold)
    for result in results:
        criteria.rows.append(
            [
                result["label"],
                note if suppressed else ("Met" if result["met"] else "Not yet"),
                note if suppressed else result["figures"],
                result["rule"],
            ]
        )
    first, last = school_totals["first"], school_totals["last"]
    weeks = ((last - first).days // 7 + 1) if first else 0
    hours = round(sum(f.learning_minutes for f in per_teacher.values()) / 60, 1)
    numbers = report.add(Table("figures", "The school's figures", ["Figure", "Value"]))
    values = [
        ("Cycles with visits", school_totals["cycles"]),
        ("Weeks spanned", weeks),
        ("Teacher hours in visits and debriefs", f"{hours:g}"),
        (
            "Teachers taking part",
            sum(1 for f in per_teacher.values() if f.classroom_visits),
        ),
        (
            "Evidence entries recorded",
            sum(f.evidence_entries for f in per_teacher.values()),
        ),
        ("Classroom visits", school_totals["visits"]),
        ("Classrooms visited", school_totals["classrooms"]),
    ]
    for label, value in values:
        numbers.rows.append([label, note if suppressed else value])
    report.charts = {
        "criteria": {
            "type": "bar",
            "percent": True,
            "labels": [r["label"] for r in results],
            "datasets": [
                {
                    "label": "Share of teachers meeting the criterion (%)",
                    "data": [None if suppressed else r["share"] for r in results],
                }
            ],
        }
    }
    report.extra = {"results": results, "suppressed": suppressed}
    return report
