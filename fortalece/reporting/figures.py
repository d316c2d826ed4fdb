"""Reported figures against counted reach (pure Python, no Django).

A reported figure ("7,500 professionals in 26 states") is compared with what Fortalece
counted for the same programme and years; the two are shown side by side and never added.
A disagreement is flagged, never resolved by guessing which one is right:

* ``above_counted`` / ``below_counted``: the reported people differ from the counted people
  by more than ``tolerance`` (a share of the larger figure);
* ``states_differ``: the reported number of states is not the number counted;
* ``shrinks``: a figure over a period that contains another one's is smaller than it
  (10,000 "since 2016" beside 12,000 "over the last four years").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

TOLERANCE = 0.10


@dataclass(frozen=True)
class Reported:
    key: int
    people: int
    year_from: int
    year_to: int
    states: int | None = None


@dataclass(frozen=True)
class Flag:
    kind: str  # above_counted, below_counted, states_differ, shrinks
    key: int
    other: int | None = None  # the other figure (shrinks)
    percent: float | None = None  # how far apart, as a share of the larger figure


def against_counted(
    figure: Reported,
    counted: int | None,
    counted_states: int | None = None,
    *,
    tolerance: float = TOLERANCE,
) -> list[Flag]:
    """Flags for one reported figure beside the counted figure (``None``: not known)."""
    flags = []
    if counted is not None:
        larger = max(figure.people, counted)
        gap = abs(figure.people - counted) / larger if larger else 0.0
        if gap > tolerance:
            kind = "above_counted" if figure.people > counted else "below_counted"
            flags.append(Flag(kind, figure.key, percent=round(100 * gap, 1)))
    if figure.states is not None and counted_states is not None and figure.states != counted_states:
        flags.append(Flag("states_differ", figure.key))
    return flags


def contains(outer: Reported, inner: Reported) -> bool:
    return outer.year_from <= inner.year_from and inner.year_to <= outer.year_to


def inconsistent(figures: Sequence[Reported]) -> list[Flag]:
    """A figure over a wider (or equal) period that is smaller than another one: people
    trained cannot shrink as the period grows."""
    flags = []
    for outer in figures:
        for inner in figures:
            if outer.key != inner.key and contains(outer, inner) and outer.people < inner.people:
                gap = (inner.people - outer.people) / inner.people
                flags.append(
                    Flag("shrinks", outer.key, other=inner.key, percent=round(100 * gap, 1))
                )
    return flags
