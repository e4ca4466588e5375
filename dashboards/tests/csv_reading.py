"""Reading the dashboards' CSVs in tests: shares as their three numbers, and the
cells of a cross table (written one figure per line) by row and column."""

HIDDEN = "suppressed"


def share(percent, seen, visits) -> list[str]:
    """A shown share as the CSV writes it: percent, visits seen in, out of visits."""
    return [str(percent), str(seen), str(visits)]


def cross_cells(rows) -> dict[str, dict[str, list[str] | str]]:
    """row label -> column heading -> the figure's values, or HIDDEN."""
    header, *lines = rows
    assert header[-1] == "Suppressed"
    cells: dict = {}
    for line in lines:
        label, column, *values, suppressed = line
        assert suppressed in ("True", "False")
        if suppressed == "True":
            assert set(values) == {""}, "a suppressed figure has no number"
        cells.setdefault(label, {})[column] = HIDDEN if suppressed == "True" else values
    return cells
