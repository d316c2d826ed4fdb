"""Seeded draws and shuffles: an attempt stores one seed, and every order it showed (which
questions, in which order, which option where) is recomputed from that seed alone."""

from __future__ import annotations

import random
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from fortalece.quizzes.core.questions import QType, Question, gettext_noop

T = TypeVar("T", bound=Hashable)

NOT_ENOUGH = gettext_noop(
    "The quiz draws %(wanted)s questions from '%(category)s', which has only %(available)s."
)


class DrawError(ValueError):
    def __init__(self, message: str, params: dict[str, object]):
        super().__init__(message % params)
        self.message, self.params = message, params


@dataclass(frozen=True)
class Rule:
    """Draw ``count`` questions from ``category``; 0 means all of them."""

    category: str
    count: int = 0


def rng_for(seed: int, *parts: object) -> random.Random:
    """A generator for one purpose within one attempt (string seeds hash the same on every
    platform and Python version)."""
    return random.Random(":".join(str(p) for p in (seed, *parts)))  # noqa: S311 — not secret


def draw(
    pool: Mapping[str, Sequence[T]], rules: Sequence[Rule], *, seed: int, shuffle: bool
) -> list[T]:
    """The questions of an attempt: for each rule, ``count`` questions chosen at random from
    its category (in the pool's order when all are taken), then all shuffled if asked."""
    chosen: list[T] = []
    for number, rule in enumerate(rules):
        available = [q for q in pool.get(rule.category, ()) if q not in chosen]
        wanted = rule.count or len(available)
        if wanted > len(available):
            raise DrawError(
                NOT_ENOUGH,
                {"wanted": wanted, "category": rule.category, "available": len(available)},
            )
        if wanted == len(available):
            chosen.extend(available)
        else:
            picked = set(rng_for(seed, "draw", number).sample(range(len(available)), wanted))
            chosen.extend(q for i, q in enumerate(available) if i in picked)
    if shuffle:
        rng_for(seed, "order").shuffle(chosen)
    return chosen


def option_order(question: Question, *, seed: int, key: object, shuffle: bool) -> list[int]:
    """The authored indices of a choice question's options, in the order shown."""
    order = list(range(len(question.choices)))
    if shuffle and question.qtype in (QType.SINGLE, QType.MULTIPLE):
        rng_for(seed, "options", key).shuffle(order)
    return order


def ordering_display(question: Question, *, seed: int, key: object) -> list[int]:
    """Items of an ordering question as first shown: always shuffled, never already right."""
    order = list(range(len(question.items)))
    if len(order) < 2:
        return order
    rng_for(seed, "ordering", key).shuffle(order)
    if order == sorted(order):
        order = order[1:] + order[:1]
    return order


def matching_layout(question: Question, *, seed: int, key: object) -> tuple[list[int], list[str]]:
    """The left-hand pairs (authored indices, shuffled) and the distinct right-hand answers
    to choose from (distractors included, sorted by the seed, never by the key)."""
    rng = rng_for(seed, "matching", key)
    lefts = [i for i, pair in enumerate(question.pairs) if pair.left.strip()]
    rng.shuffle(lefts)
    rights = sorted({pair.right for pair in question.pairs})
    rng.shuffle(rights)
    return lefts, rights
