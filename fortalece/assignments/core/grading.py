"""Grading arithmetic: rubric scores, late penalties and weighted totals (pure Python).

Every figure is a ``Decimal`` rounded half-up to two places, so the gradebook, its export and
the learner's page show the same number. Percentages are on 0–100.

* A **rubric** is criteria × levels; a grade picks one level per criterion and scores the sum
  of the picked levels' points out of the sum of each criterion's best level.
* A **late policy** accepts late work as it is, takes a percentage of the earned points off
  for each day (or part of a day) late, or refuses work more than N days late (0: none late).
  Penalties never take a score below zero.
* A **weighted total** averages the items' percentages by weight; an item without a result
  counts as zero (the learner has not done it yet) unless ``missing_as_zero`` is off.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def gettext_noop(message: str) -> str:
    """Marks a message for translation (it is translated where it is shown)."""
    return message


class GradingError(ValueError):
    """A grade that cannot be scored (the message is translatable, with ``params``)."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params


def q2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def percent(points: Decimal, max_points: Decimal) -> Decimal:
    """``points`` out of ``max_points`` as a percentage (0–100)."""
    if max_points <= 0:
        raise GradingError(gettext_noop("The maximum points must be more than zero."))
    if points < 0 or points > max_points:
        raise GradingError(
            gettext_noop("Points must be between 0 and %(max)s."), max=q2(max_points)
        )
    return q2(points * HUNDRED / max_points)


# --- rubrics -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Level:
    id: int
    points: Decimal


@dataclass(frozen=True)
class Criterion:
    id: int
    levels: tuple[Level, ...]

    @property
    def max_points(self) -> Decimal:
        return max((level.points for level in self.levels), default=Decimal(0))


@dataclass(frozen=True)
class Rubric:
    criteria: tuple[Criterion, ...]

    @property
    def max_points(self) -> Decimal:
        return sum((c.max_points for c in self.criteria), Decimal(0))


def rubric_score(rubric: Rubric, selections: Mapping[int, int]) -> Decimal:
    """Points for one level chosen per criterion (criterion id → level id).

    Every criterion must be scored, with one of its own levels; nothing else may be given."""
    if not rubric.criteria or rubric.max_points <= 0:
        raise GradingError(gettext_noop("This rubric has no levels worth any points."))
    known = {c.id for c in rubric.criteria}
    extra = set(selections) - known
    if extra:
        raise GradingError(gettext_noop("A level was chosen for a criterion of another rubric."))
    total = Decimal(0)
    for criterion in rubric.criteria:
        if criterion.id not in selections:
            raise GradingError(gettext_noop("Choose a level for every criterion."))
        chosen = selections[criterion.id]
        level = next((lv for lv in criterion.levels if lv.id == chosen), None)
        if level is None:
            raise GradingError(gettext_noop("A chosen level does not belong to its criterion."))
        total += level.points
    return total


# --- late work -----------------------------------------------------------------------------

ACCEPT = "accept"
PENALTY = "penalty"
REFUSE = "refuse"


@dataclass(frozen=True)
class LatePolicy:
    kind: str = ACCEPT  # accept | penalty | refuse
    penalty_per_day: Decimal = Decimal(0)  # percent of the earned points, for "penalty"
    refuse_after_days: int | None = None  # for "refuse" (and optionally "penalty")

    def __post_init__(self) -> None:
        if self.kind not in (ACCEPT, PENALTY, REFUSE):
            raise GradingError(gettext_noop("Unknown late policy."))
        if not Decimal(0) <= self.penalty_per_day <= HUNDRED:
            raise GradingError(gettext_noop("The daily penalty must be between 0 and 100%."))
        if self.refuse_after_days is not None and self.refuse_after_days < 0:
            raise GradingError(gettext_noop("Days cannot be negative."))
        if self.kind == REFUSE and self.refuse_after_days is None:
            raise GradingError(gettext_noop("Say after how many days late work is refused."))


@dataclass(frozen=True)
class Lateness:
    days_late: int  # days or parts of days after the due time; 0 when on time
    accepted: bool
    penalty_percent: Decimal  # share of the earned points taken off


def days_late(due: datetime | None, submitted: datetime) -> int:
    """Whole or started days after ``due`` (0 when on time or when nothing is due)."""
    if due is None or submitted <= due:
        return 0
    return math.ceil((submitted - due).total_seconds() / 86400)


def lateness(policy: LatePolicy, due: datetime | None, submitted: datetime) -> Lateness:
    days = days_late(due, submitted)
    refused = (
        days > 0
        and policy.kind in (REFUSE, PENALTY)
        and policy.refuse_after_days is not None
        and days > policy.refuse_after_days
    )
    penalty = Decimal(0)
    if days and policy.kind == PENALTY:
        penalty = min(HUNDRED, policy.penalty_per_day * days)
    return Lateness(days_late=days, accepted=not refused, penalty_percent=q2(penalty))


def apply_penalty(points: Decimal, penalty_percent: Decimal) -> Decimal:
    """Earned points less the late penalty (never below zero, never above the points)."""
    if penalty_percent <= 0:
        return q2(points)
    kept = max(Decimal(0), HUNDRED - penalty_percent)
    return q2(points * kept / HUNDRED)


# --- totals --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Weighted:
    weight: Decimal
    percent: Decimal | None  # None: no result yet


def weighted_total(items: Iterable[Weighted], *, missing_as_zero: bool = True) -> Decimal | None:
    """The weight-averaged percentage of ``items``; ``None`` when no weight counts."""
    weights = Decimal(0)
    earned = Decimal(0)
    for item in items:
        if item.weight < 0:
            raise GradingError(gettext_noop("Weights cannot be negative."))
        if item.percent is None and not missing_as_zero:
            continue
        weights += item.weight
        earned += item.weight * (item.percent or Decimal(0))
    if weights == 0:
        return None
    return q2(earned / weights)


def weighted_totals(
    weights: Sequence[tuple[int, Decimal]],
    results: Mapping[tuple[int, int], Decimal],
    learners: Iterable[int],
    *,
    missing_as_zero: bool = True,
) -> dict[int, Decimal | None]:
    """Weighted totals for many learners at once: ``weights`` is (item id, weight) per item,
    ``results`` (learner id, item id) → percent."""
    return {
        learner: weighted_total(
            (Weighted(weight, results.get((learner, item))) for item, weight in weights),
            missing_as_zero=missing_as_zero,
        )
        for learner in learners
    }
