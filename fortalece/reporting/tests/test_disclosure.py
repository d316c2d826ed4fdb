"""Complementary suppression: no hidden cell can be worked out from what a report publishes."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fortalece.reporting.disclosure import Grid, feasible_range, protect, protect_line

MINIMUM = 5

# Mostly small counts, so that many cells are small and must be protected.
counts = st.one_of(st.integers(0, 6), st.integers(0, 60))
tables = st.integers(1, 6).flatmap(
    lambda rows: st.integers(1, 3).flatmap(
        lambda columns: st.lists(
            st.lists(counts, min_size=columns, max_size=columns), min_size=rows, max_size=rows
        )
    )
)


def _audit(cells, flags, *, column_totals=True):
    grid = Grid.build(cells, column_totals=column_totals)
    hidden = {(i, j) for i, row in enumerate(flags) for j, is_hidden in enumerate(row) if is_hidden}
    # Every small cell is hidden, and no zero is.
    for i, row in enumerate(grid.values):
        for j, value in enumerate(row):
            if 0 < value < MINIMUM:
                assert (i, j) in hidden, (cells, i, j)
            if value == 0:
                assert (i, j) not in hidden
    lines = grid.lines()
    for cell in hidden:
        low, high = feasible_range(grid, lines, hidden, cell)
        # The true value is possible, and so is at least one other: not recovered.
        assert low <= grid.value(cell) and (high is None or grid.value(cell) <= high)
        assert high is None or high - low >= 1, (cells, cell, low, high)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables)
def test_no_hidden_cell_of_a_table_with_row_column_and_grand_totals_can_be_recovered(cells):
    _audit(cells, protect(cells, MINIMUM))


@settings(max_examples=80, deadline=None)
@given(tables)
def test_rows_published_without_column_totals_protect_each_row(cells):
    # Overlapping breakdowns (a person in several rows): only each row's total is published.
    _audit(cells, protect(cells, MINIMUM, column_totals=False), column_totals=False)


@settings(max_examples=80, deadline=None)
@given(st.lists(counts, min_size=1, max_size=12))
def test_a_one_way_table_and_its_total(values):
    flags = protect_line(values, MINIMUM)
    _audit([values], [flags], column_totals=False)


def test_the_published_tables_of_one_report_agree_with_each_other():
    # The sex table of a report is the column totals of its breakdown-by-sex table: hidden
    # the same way whatever the breakdown, because complementary cells are interior first.
    by_state = [[30, 3, 0], [40, 50, 1], [12, 9, 0]]
    by_profession = [[60, 40, 1], [22, 22, 0]]
    first = protect(by_state, MINIMUM)[-1]
    second = protect(by_profession, MINIMUM)[-1]
    assert first == second


def test_a_single_small_cell_takes_a_complementary_one_in_its_row_and_column():
    flags = protect([[20, 3], [30, 40]], MINIMUM)
    assert flags[0][1]
    assert flags[0][0] or flags[0][2]
    assert flags[1][1] or flags[2][1]
    assert sum(map(sum, flags)) >= 4
    assert protect([[20, 30], [30, 40]], MINIMUM) == [[False] * 3] * 3


def test_the_audit_catches_a_table_where_only_the_small_cell_is_hidden():
    # Hiding only the 3 gives it away (row total 23 minus 20): the audit must say so.
    import pytest

    cells = [[20, 3], [30, 40]]
    grid = Grid.build(cells)
    only_small = [[j == 1 and i == 0 for j in range(3)] for i in range(3)]
    with pytest.raises(AssertionError):
        _audit(cells, only_small)
    hidden = {(0, 1)}
    assert feasible_range(grid, grid.lines(), hidden, (0, 1)) == (3.0, 3.0)
