"""Figures, tables and small-group suppression: the pieces every dashboard uses.

A table cell is plain text or a number, or one of the cells below: each says
itself in words for the page (`text`), as data for the API (`data`) and as
typed values for the CSV (`csv_values`, under `csv_names`), so the page keeps
its human labels while the CSV has numbers, ISO dates and a suppressed column.
"""

import datetime as dt
from dataclasses import dataclass, field

SUPPRESSED_TEXT = "suppressed (fewer than {n} classrooms)"
SUPPRESSED_COLUMN = "Suppressed"


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
    def suppressed(self) -> bool:
        return self.figure.suppressed

    def csv_names(self, stem: str) -> list[str]:
        if self.part == "share":
            return [f"{stem} (%)", f"{stem} (visits)", f"{stem} (out of visits)"]
        return [stem]

    def csv_values(self) -> list:
        f = self.figure
        width = 3 if self.part == "share" else 1
        if f.suppressed:
            return [None] * width
        if self.part == "share":
            return [f.share, f.seen, f.visits]
        return [getattr(f, self.part)]

    @property
    def shade(self) -> int:
        """0-4: how dark a heat map cell is drawn (only for shown shares)."""
        share = self.figure.share
        return -1 if share is None else min(4, share // 20)


class Cell:
    """A cell with one value that reads differently on the page and in the CSV."""

    suppressed = False

    def text(self) -> str:  # pragma: no cover - every subclass has one
        raise NotImplementedError

    def __str__(self) -> str:
        return self.text()

    def data(self):
        # The API keeps the words it has always returned.
        return self.text()

    def csv_names(self, stem: str) -> list[str]:
        return [stem]

    def csv_values(self) -> list:  # pragma: no cover - every subclass has one
        raise NotImplementedError


@dataclass(frozen=True)
class Percent(Cell):
    """part of whole, rounded half up: "39%" on the page, 39 in a "(%)" column."""

    part: int
    whole: int
    empty: str = "none due yet"

    @property
    def value(self) -> int | None:
        if not self.whole:
            return None
        return (200 * self.part + self.whole) // (2 * self.whole)

    def text(self) -> str:
        return self.empty if self.value is None else f"{self.value}%"

    def csv_names(self, stem: str) -> list[str]:
        return [f"{stem} (%)"]

    def csv_values(self) -> list:
        return [self.value]


@dataclass(frozen=True)
class Ratio(Cell):
    """ "3 of 10" on the page; two count columns in the CSV."""

    part: int
    whole: int

    def text(self) -> str:
        return f"{self.part} of {self.whole}"

    def csv_names(self, stem: str) -> list[str]:
        return [stem, f"{stem} (out of)"]

    def csv_values(self) -> list:
        return [self.part, self.whole]


@dataclass(frozen=True)
class Week(Cell):
    """A week: "Week of 02 Nov 2026" on the page, its Monday (ISO) in the CSV."""

    monday: dt.date

    def text(self) -> str:
        return f"Week of {self.monday:%d %b %Y}"

    def csv_values(self) -> list:
        return [self.monday]


@dataclass(frozen=True)
class Moment(Cell):
    """A local date and time: "27 Nov 2026 15:00" on the page, ISO with its offset
    in the CSV."""

    at: dt.datetime

    def text(self) -> str:
        return f"{self.at:%d %b %Y %H:%M}"

    def csv_values(self) -> list:
        return [self.at]


@dataclass(frozen=True)
class Met(Cell):
    """Whether an ESSA criterion is met: "Met" / "Not yet"; True / False in the CSV."""

    met: bool

    def text(self) -> str:
        return "Met" if self.met else "Not yet"

    def csv_values(self) -> list:
        return [self.met]


@dataclass(frozen=True)
class Number(Cell):
    """A measured number such as hours: "4.5" (never "4.50") on the page."""

    value: float

    def text(self) -> str:
        return f"{self.value:g}"

    def csv_values(self) -> list:
        return [self.value]


@dataclass(frozen=True)
class Withheld(Cell):
    """A figure not shown because it rests on too few classrooms."""

    threshold: int
    suppressed = True

    def text(self) -> str:
        return SUPPRESSED_TEXT.format(n=self.threshold)

    def csv_values(self) -> list:
        return [None]


def cell_text(value) -> str:
    if isinstance(value, Shown | Cell):
        return value.text()
    return "" if value is None else str(value)


def cell_data(value):
    return value.data() if isinstance(value, Shown | Cell) else value


def _csv_names(value, stem: str) -> list[str]:
    if isinstance(value, Shown | Cell):
        return value.csv_names(stem)
    return [stem]


def _csv_values(value) -> list:
    if isinstance(value, Shown | Cell):
        return value.csv_values()
    return [value]


def _can_be_suppressed(value) -> bool:
    return isinstance(value, Shown | Withheld)


@dataclass
class Table:
    """Columns and rows as the page shows them; the API returns the same cells and
    the CSV their typed values (`csv_header`, `csv_rows`).

    In the CSV each cell becomes its values under `csv_stems` (the page's column
    names unless given), and a table whose figures can be suppressed gets a
    "Suppressed" column: True where the row's figures are withheld, their cells
    then empty. A cross table (`cross`: the name of what its columns are, such as
    "Look-for" or "Department") is written one figure per line, its column
    headings becoming values of that column and the figure's values named after
    `measure`. `suppressible` keeps the Suppressed column when nothing in this
    period happens to be suppressed, so the file's columns do not change with it.
    """

    key: str
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    csv_stems: list | None = None
    cross: str = ""
    measure: str = ""
    withheld: str = ""
    suppressible: bool = False

    def text_rows(self) -> list[list[str]]:
        return [[cell_text(value) for value in row] for row in self.rows]

    def _stems(self) -> list:
        return self.csv_stems or self.columns

    def _has_suppression(self) -> bool:
        return self.suppressible or any(
            _can_be_suppressed(value) for row in self.rows for value in row
        )

    def _sample(self, index: int):
        """A cell of the column, to ask how it is written (all rows alike)."""
        for row in self.rows:
            if row[index] is not None:
                return row[index]
        return None

    def csv_header(self) -> list[str]:
        stems = self._stems()
        if self.cross:
            sample = self._sample(1) if self.columns[1:] else None
            return (
                [stems[0], self.cross]
                + _csv_names(sample, self.measure)
                + [SUPPRESSED_COLUMN]
            )
        names = []
        for index, stem in enumerate(stems):
            if isinstance(stem, list | tuple):
                names += list(stem)
            else:
                names += _csv_names(self._sample(index), stem)
        return names + ([SUPPRESSED_COLUMN] if self._has_suppression() else [])

    def csv_rows(self) -> list[list]:
        if self.cross:
            return [
                _csv_values(row[0])
                + [heading]
                + _csv_values(value)
                + [bool(getattr(value, "suppressed", False))]
                for row in self.rows
                for heading, value in zip(self.columns[1:], row[1:], strict=True)
            ]
        suppression = self._has_suppression()
        rows = []
        for row in self.rows:
            values = [v for value in row for v in _csv_values(value)]
            if suppression:
                values.append(any(getattr(v, "suppressed", False) for v in row))
            rows.append(values)
        return rows

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
