"""Scoring: one pure function per question type, each returning a fraction in [0, 1].

Responses use the question's own (authored) indices, never the shuffled positions a learner
saw; the Django layer maps positions back with :mod:`fortalece.quizzes.core.draws`.

* single choice: the chosen option's weight (a negative weight scores 0);
* multiple choice: the sum of the chosen options' weights, floored at 0 and capped at 100%,
  as Moodle does (wrong options may carry negative weights to punish ticking everything);
* true/false: all or nothing;
* short answer: the best weight among accepted answers that match, ignoring case, accents
  and repeated spaces; ``*`` in an accepted answer matches any text (Moodle's wildcard);
* numeric: the best weight among answers whose tolerance or range holds the number (a comma
  is read as the decimal point);
* matching: the share of left-hand items given their right answer;
* ordering: the share of items in their right position.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from fortalece.quizzes.core.questions import QType, Question

NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")
EPSILON = 1e-9


@dataclass(frozen=True)
class Marked:
    fraction: float  # 0 … 1
    answered: bool
    feedback: tuple[str, ...] = ()

    @property
    def state(self) -> str:
        if not self.answered:
            return "blank"
        if self.fraction >= 1 - EPSILON:
            return "correct"
        return "partial" if self.fraction > EPSILON else "wrong"


def normalise(text: str) -> str:
    """Lower case, accents removed (á → a, ñ → n), spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def parse_number(text: str) -> float | None:
    """A learner's number: ``3.5``, ``3,5``, ``-2``, ``1e3``; None when it is not one."""
    cleaned = text.strip().replace(" ", "")
    if not NUMBER.match(cleaned):
        return None
    return float(cleaned.replace(",", "."))


def short_answer_matches(accepted: str, response: str) -> bool:
    pattern = ".*".join(re.escape(part) for part in normalise(accepted).split("*"))
    return re.fullmatch(pattern, normalise(response), flags=re.DOTALL) is not None


def _clamp(value: float) -> float:
    return max(0.0, min(1.0, value))


def _indices(response: Any, size: int) -> list[int]:
    """The valid, distinct option indices in a response (anything else is ignored)."""
    if response is None or isinstance(response, (str, bytes)):
        return []
    try:
        values = list(response) if isinstance(response, Iterable) else [response]
    except TypeError:
        return []
    seen: list[int] = []
    for value in values:
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < size:
            if value not in seen:
                seen.append(value)
    return seen


def score_single(question: Question, response: Any) -> Marked:
    chosen = _indices([response] if isinstance(response, int) else None, len(question.choices))
    if not chosen:
        return Marked(0.0, False)
    choice = question.choices[chosen[0]]
    return Marked(_clamp(choice.weight / 100), True, _present(choice.feedback))


def score_multiple(question: Question, response: Any) -> Marked:
    chosen = sorted(_indices(response, len(question.choices)))
    if not chosen:
        return Marked(0.0, False)
    total = sum(question.choices[i].weight for i in chosen) / 100
    feedback = tuple(question.choices[i].feedback for i in chosen if question.choices[i].feedback)
    return Marked(_clamp(total), True, feedback)


def score_true_false(question: Question, response: Any) -> Marked:
    if not isinstance(response, bool):
        return Marked(0.0, False)
    feedback = question.feedback_true if response else question.feedback_false
    return Marked(1.0 if response == question.correct else 0.0, True, _present(feedback))


def score_short(question: Question, response: Any) -> Marked:
    if not isinstance(response, str) or not response.strip():
        return Marked(0.0, False)
    best = None
    for choice in question.choices:
        if short_answer_matches(choice.text, response) and (
            best is None or choice.weight > best.weight
        ):
            best = choice
    if best is None:
        return Marked(0.0, True, _present(question.wrong_feedback))
    return Marked(_clamp(best.weight / 100), True, _present(best.feedback))


def score_numeric(question: Question, response: Any) -> Marked:
    if not isinstance(response, str) or not response.strip():
        return Marked(0.0, False)
    number = parse_number(response)
    matching = [] if number is None else [n for n in question.numbers if n.matches(number)]
    if not matching:
        return Marked(0.0, True, _present(question.wrong_feedback))
    best = max(matching, key=lambda n: n.weight)
    return Marked(_clamp(best.weight / 100), True, _present(best.feedback))


def score_matching(question: Question, response: Any) -> Marked:
    """``response`` maps the index of each left-hand pair to the right-hand text chosen."""
    real = [i for i, pair in enumerate(question.pairs) if pair.left.strip()]
    if not isinstance(response, Mapping) or not real:
        return Marked(0.0, False)
    answered = [i for i in real if isinstance(response.get(i), str) and response.get(i)]
    if not answered:
        return Marked(0.0, False)
    right = sum(1 for i in real if response.get(i) == question.pairs[i].right)
    return Marked(right / len(real), True)


def score_ordering(question: Question, response: Any) -> Marked:
    """``response`` lists item indices in the learner's order; it must be a permutation."""
    size = len(question.items)
    if not isinstance(response, Sequence) or isinstance(response, (str, bytes)) or not size:
        return Marked(0.0, False)
    if sorted(_indices(response, size)) != list(range(size)) or len(response) != size:
        return Marked(0.0, bool(response))
    right = sum(1 for position, index in enumerate(response) if position == index)
    return Marked(right / size, True)


SCORERS = {
    QType.SINGLE: score_single,
    QType.MULTIPLE: score_multiple,
    QType.TRUE_FALSE: score_true_false,
    QType.SHORT: score_short,
    QType.NUMERIC: score_numeric,
    QType.MATCHING: score_matching,
    QType.ORDERING: score_ordering,
}


def score(question: Question, response: Any) -> Marked:
    return SCORERS[question.qtype](question, response)


def total_percent(fractions: Sequence[float], marks: Sequence[float] | None = None) -> float:
    """The attempt's score out of 100: the mark-weighted mean of question fractions."""
    if not fractions:
        return 0.0
    weights = list(marks) if marks is not None else [1.0] * len(fractions)
    denominator = sum(weights)
    if denominator <= 0:
        return 0.0
    return round(100 * sum(f * w for f, w in zip(fractions, weights, strict=True)) / denominator, 2)


def _present(text: str) -> tuple[str, ...]:
    return (text,) if text else ()
