"""Figures, tables and small-group suppression: the pieces every dashboard uses."""

from dataclasses import dataclass, field

SUPPRESSED_TEXT = "suppressed (fewer than {n} classrooms)"


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


def figures_by(facts, key, threshold, label=str) -> dict:
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
