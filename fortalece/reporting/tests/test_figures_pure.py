"""Reported figures against counted reach, and against each other (pure)."""

from hypothesis import given
from hypothesis import strategies as st

from fortalece.reporting.figures import Reported, against_counted, inconsistent


def test_seed_figures_for_the_same_programme_are_flagged_when_a_longer_period_is_smaller():
    since_2016 = Reported(1, 10_000, 2016, 2020, states=25)  # seed 002, July 2020
    last_four_years = Reported(2, 12_000, 2017, 2020, states=25)  # seed 003, January 2021
    one_year = Reported(3, 7_500, 2019, 2019, states=26)  # seed 004
    flags = inconsistent([since_2016, last_four_years, one_year])
    assert [(f.kind, f.key, f.other) for f in flags] == [("shrinks", 1, 2)]
    assert flags[0].percent == 16.7


def test_a_reported_figure_far_from_the_counted_one_is_flagged_both_ways():
    figure = Reported(1, 7_500, 2019, 2019, states=26)
    assert [f.kind for f in against_counted(figure, 6_000, 26)] == ["above_counted"]
    assert [f.kind for f in against_counted(figure, 9_000, 26)] == ["below_counted"]
    assert against_counted(figure, 7_200, 26) == []
    assert [f.kind for f in against_counted(figure, 7_400, 25)] == ["states_differ"]
    assert against_counted(figure, None) == []


@given(
    st.integers(min_value=0, max_value=10**7),
    st.integers(min_value=0, max_value=10**7),
    st.floats(min_value=0, max_value=1),
)
def test_a_difference_is_flagged_exactly_when_it_is_above_the_tolerance(reported, counted, tol):
    flags = against_counted(Reported(1, reported, 2020, 2020), counted, tolerance=tol)
    larger = max(reported, counted)
    gap = abs(reported - counted) / larger if larger else 0
    assert bool(flags) == (gap > tol)
    if flags:
        assert flags[0].kind == ("above_counted" if reported > counted else "below_counted")


@given(
    st.lists(
        st.tuples(st.integers(2010, 2025), st.integers(0, 5), st.integers(0, 10**5)),
        max_size=8,
    )
)
def test_figures_that_grow_with_their_period_are_never_flagged(spans):
    def inside(inner, outer):
        return outer.year_from <= inner.year_from and inner.year_to <= outer.year_to

    # Figures made monotone: a wider period never has fewer people than one inside it.
    figures = [Reported(i, 0, start, start + length) for i, (start, length, _n) in enumerate(spans)]
    figures = [
        Reported(
            f.key,
            sum(1 + spans[g.key][2] for g in figures if inside(g, f)),
            f.year_from,
            f.year_to,
        )
        for f in figures
    ]
    assert inconsistent(figures) == []
