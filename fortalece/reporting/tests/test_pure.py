from hypothesis import given
from hypothesis import strategies as st

from fortalece.core.charts import bar_chart, column_chart
from fortalece.reporting.suppression import suppress


@given(st.lists(st.integers(0, 1000), max_size=12), st.integers(1, 10))
def test_suppression_hides_small_cells_and_never_leaves_one_alone(counts, minimum):
    shown = suppress(counts, minimum)
    for count, value in zip(counts, shown, strict=True):
        if 0 < count < minimum:
            assert value is None
        if value is not None:
            assert value == count
    hidden = [i for i, v in enumerate(shown) if v is None]
    others = [c for i, c in enumerate(counts) if i not in hidden and c > 0]
    assert len(hidden) != 1 or not others


def test_charts_escape_labels():
    svg = bar_chart([("<script>alert(1)</script>", 3), ("Mujeres & niñas", None)], title="A & B")
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg and "&amp;" in svg and "&lt;5" in svg
    assert "<title>" in column_chart([("2021-11", 4)], title="x")
    assert column_chart([], title="x") == ""


def test_forest_plot_draws_every_interval_and_escapes():
    from fortalece.core.charts import forest_plot

    svg = forest_plot([("<b>A</b>", 4.0, 2.0, 6.0), ("B", -1.0, -3.0, 1.0)], title="Effects")
    assert svg.count("<circle") == 2
    assert "<b>" not in svg and "&lt;b&gt;" in svg
    assert forest_plot([], title="x") == ""


def test_distribution_chart_draws_two_columns_per_band():
    from fortalece.core.charts import distribution_chart

    svg = distribution_chart(
        [0, 1, 5, 4], [2, 2, 1, 0], title="Índice", names=("Capacitados", "Comparación")
    )
    assert svg.count("<rect") == 2 + 8
    assert distribution_chart([], [], title="x", names=("a", "b")) == ""


@given(st.lists(st.integers(0, 1000), max_size=12), st.integers(1, 10))
def test_a_cell_hidden_only_to_protect_another_is_never_marked_as_small(counts, minimum):
    from fortalece.reporting.suppression import COMPLEMENTARY, SMALL, hide

    marks = hide(counts, minimum)
    for count, mark in zip(counts, marks, strict=True):
        assert (mark == SMALL) == (0 < count < minimum)
        if mark == COMPLEMENTARY:
            assert count >= minimum
    assert marks.count(COMPLEMENTARY) <= 1
