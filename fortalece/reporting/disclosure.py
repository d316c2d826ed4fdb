"""Small-cell suppression of a two-way table published with its margins. Pure Python
(scipy for the linear-programming audit; no Django).

The table is ``cells[i][j]`` (e.g. rows = states, columns = female / male / other) published
together with its row totals, its column totals and the grand total. A cell between 1 and
``minimum - 1`` is hidden; then more cells are hidden (complementary suppression) until no
hidden cell can be worked out from what is published:

1. every line (a row with its total, a column with its total, the totals row) that has a
   hidden cell has at least two, and their sum is larger than their number (two hidden
   cells adding up to 2 would both be 1);
2. an audit solves, for every hidden cell, the smallest and largest value it can take given
   every published number and the fact that a hidden cell is at least 1 (zeros are shown):
   a cell whose smallest and largest values meet is recovered, so another cell of its row or
   column is hidden and the audit runs again.

Interior cells are preferred to totals when a complementary cell is chosen, so the column
totals (the same for every breakdown of a report) are only hidden when they are small or
when the totals row itself needs a complementary cell — which depends on them alone.

Zeros are never hidden. Hidden cells are published with one mark whatever the reason, so a
reader cannot tell a small cell from one hidden to protect it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

Cell = tuple[int, int]
AUDIT_LIMIT = 250  # hidden cells above which the audit is skipped (rules 1 only)


@dataclass(frozen=True)
class Grid:
    """The table with its margins: ``values[i][j]`` for ``i <= rows``, ``j <= columns``; row
    ``rows`` holds the column totals and column ``columns`` the row totals."""

    values: list[list[int]]
    rows: int
    columns: int
    column_totals: bool

    @classmethod
    def build(cls, cells: Sequence[Sequence[int]], *, column_totals: bool = True) -> Grid:
        rows = len(cells)
        columns = len(cells[0]) if rows else 0
        values = [[int(v) for v in row] + [sum(int(v) for v in row)] for row in cells]
        if column_totals:
            values.append([sum(values[i][j] for i in range(rows)) for j in range(columns + 1)])
        return cls(values, rows, columns, column_totals)

    def lines(self) -> list[tuple[list[Cell], Cell]]:
        """Each published equation: the cells that add up to a total, and that total."""
        result = [
            ([(i, j) for j in range(self.columns)], (i, self.columns))
            for i in range(len(self.values))
        ]
        if self.column_totals:
            result.extend(
                ([(i, j) for i in range(self.rows)], (self.rows, j))
                for j in range(self.columns + 1)
            )
        return result

    def value(self, cell: Cell) -> int:
        return self.values[cell[0]][cell[1]]

    def is_margin(self, cell: Cell) -> bool:
        return cell[1] == self.columns or (self.column_totals and cell[0] == self.rows)


def protect(
    cells: Sequence[Sequence[int]], minimum: int, *, column_totals: bool = True
) -> list[list[bool]]:
    """Which cells of the table with margins (see ``Grid``) to hide."""
    grid = Grid.build(cells, column_totals=column_totals)
    hidden = {
        (i, j) for i, row in enumerate(grid.values) for j, v in enumerate(row) if 0 < v < minimum
    }
    lines = grid.lines()
    while True:
        if _apply_line_rule(grid, lines, hidden):
            continue
        if len(hidden) > AUDIT_LIMIT:
            break
        recovered = [c for c in sorted(hidden) if _determined(grid, lines, hidden, c)]
        if not recovered or not _hide_near(grid, lines, hidden, recovered[0]):
            break
    return [[(i, j) in hidden for j in range(len(grid.values[i]))] for i in range(len(grid.values))]


def _candidates(grid: Grid, cells: list[Cell], hidden: set[Cell]) -> list[Cell]:
    visible = [c for c in cells if c not in hidden and grid.value(c) > 0]
    # Interior cells first, then the smallest: the least information lost.
    return sorted(visible, key=lambda c: (grid.is_margin(c), grid.value(c), c))


def _apply_line_rule(grid: Grid, lines: list[tuple[list[Cell], Cell]], hidden: set[Cell]) -> bool:
    """One pass over every line, hiding a complementary cell where rule 1 needs one."""
    changed = False
    for members, total in lines:
        line = [*members, total]
        hid = [c for c in line if c in hidden]
        if not hid:
            continue
        if len(hid) == 1 or sum(grid.value(c) for c in hid) <= len(hid):
            options = _candidates(grid, line, hidden)
            if options:
                hidden.add(options[0])
                changed = True
    return changed


def _hide_near(
    grid: Grid, lines: list[tuple[list[Cell], Cell]], hidden: set[Cell], cell: Cell
) -> bool:
    through = [
        c for members, total in lines if cell in [*members, total] for c in [*members, total]
    ]
    options = _candidates(grid, through, hidden) or _candidates(
        grid, [c for row in range(len(grid.values)) for c in _row(grid, row)], hidden
    )
    if not options:
        return False
    hidden.add(options[0])
    return True


def _row(grid: Grid, i: int) -> list[Cell]:
    return [(i, j) for j in range(len(grid.values[i]))]


def feasible_range(
    grid: Grid, lines: list[tuple[list[Cell], Cell]], hidden: set[Cell], cell: Cell
) -> tuple[float, float | None]:
    """The smallest and largest value ``cell`` can take given everything published (hidden
    cells at least 1). ``None`` as the largest: unbounded."""
    from scipy.optimize import linprog

    order = sorted(hidden)
    index = {c: k for k, c in enumerate(order)}
    a_eq: list[list[float]] = []
    b_eq: list[float] = []
    for members, total in lines:
        terms = [(c, 1.0) for c in members] + [(total, -1.0)]
        if not any(c in hidden for c, _ in terms):
            continue
        row = [0.0] * len(order)
        known = 0.0
        for c, sign in terms:
            if c in hidden:
                row[index[c]] += sign
            else:
                known += sign * grid.value(c)
        a_eq.append(row)
        b_eq.append(-known)
    bounds = [(1, None)] * len(order)
    objective = [0.0] * len(order)
    objective[index[cell]] = 1.0
    low = linprog(objective, A_eq=a_eq or None, b_eq=b_eq or None, bounds=bounds, method="highs")
    high = linprog(
        [-x for x in objective], A_eq=a_eq or None, b_eq=b_eq or None, bounds=bounds, method="highs"
    )
    if low.status != 0:  # pragma: no cover - the true values are always a solution
        raise ValueError("The published table is inconsistent.")
    return float(low.fun), (None if high.status == 3 else float(-high.fun))


def _determined(
    grid: Grid, lines: list[tuple[list[Cell], Cell]], hidden: set[Cell], cell: Cell
) -> bool:
    low, high = feasible_range(grid, lines, hidden, cell)
    return high is not None and high - low < 0.5


def protect_line(counts: Sequence[int], minimum: int) -> list[bool]:
    """A one-way table published with its total: which counts to hide, and last whether the
    total is (only when it is small itself)."""
    if not counts:
        return [False]
    return protect([list(counts)], minimum, column_totals=False)[0]
