"""Extension points the apps above ``programmes`` fill in their ``AppConfig.ready``, so that
programmes need not import them (docs/architecture.md, layers). ``training`` registers both:

* ``register_target_measure(measure)``: ``measure(programme, target, state_ids)`` → the target's
  current value (people reached or completed from the reach table, workshops held).
* ``register_counts(counts)``: ``counts(programme)`` → figures for the programme page
  (``{"reached": …}``), after its own courses and workshops.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

TargetMeasure = Callable[[Any, Any, list[int]], int]
Counts = Callable[[Any], dict[str, int]]

_measures: list[TargetMeasure] = []
_counts: list[Counts] = []


def register_target_measure(measure: TargetMeasure) -> None:
    if measure not in _measures:
        _measures.append(measure)


def register_counts(counts: Counts) -> None:
    if counts not in _counts:
        _counts.append(counts)


def target_current(programme: Any, target: Any, state_ids: list[int]) -> int:
    """The first registered measure's value; 0 when no app measures targets."""
    return _measures[0](programme, target, state_ids) if _measures else 0


def counts(programme: Any) -> dict[str, int]:
    found: dict[str, int] = {}
    for contribute in _counts:
        found |= contribute(programme)
    return found
