"""Questions as plain data, their validation and their JSON shape.

Weights are percentages (-100 … 100) as Moodle writes them. Messages are English templates
with ``%(name)s`` placeholders marked with ``gettext_noop`` so the Django layer translates them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any


def gettext_noop(message: str) -> str:
    """Marks a message for translation (extracted by makemessages) without translating it."""
    return message


class QType(StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    TRUE_FALSE = "true_false"
    SHORT = "short_answer"
    NUMERIC = "numeric"
    MATCHING = "matching"
    ORDERING = "ordering"


# Labels for forms and pages (translated by the Django layer).
QTYPE_LABELS = {
    QType.SINGLE: gettext_noop("Single choice"),
    QType.MULTIPLE: gettext_noop("Multiple choice"),
    QType.TRUE_FALSE: gettext_noop("True/false"),
    QType.SHORT: gettext_noop("Short answer"),
    QType.NUMERIC: gettext_noop("Numeric"),
    QType.MATCHING: gettext_noop("Matching"),
    QType.ORDERING: gettext_noop("Ordering"),
}

# Positive weights of a multiple-choice question must add up to 100 (33.33 × 3 is fine).
WEIGHT_SUM_TOLERANCE = 0.5


@dataclass(frozen=True)
class Choice:
    """An option (single/multiple choice) or an accepted answer (short answer)."""

    text: str
    weight: float = 0.0
    feedback: str = ""


@dataclass(frozen=True)
class NumericAnswer:
    """``value`` ± ``tolerance``, or the range ``value`` … ``high`` when ``high`` is set."""

    value: float
    tolerance: float = 0.0
    high: float | None = None
    weight: float = 100.0
    feedback: str = ""

    def matches(self, number: float) -> bool:
        if self.high is not None:
            return self.value <= number <= self.high
        return abs(number - self.value) <= self.tolerance


@dataclass(frozen=True)
class Pair:
    """A matching pair; an empty ``left`` is a distractor (an extra answer to choose from)."""

    left: str
    right: str


@dataclass(frozen=True)
class Question:
    qtype: QType
    text: str
    title: str = ""
    category: str = ""
    general_feedback: str = ""
    choices: tuple[Choice, ...] = ()  # single, multiple, short answer
    correct: bool | None = None  # true/false
    feedback_true: str = ""  # true/false: shown to whoever answered "true"
    feedback_false: str = ""
    numbers: tuple[NumericAnswer, ...] = ()  # numeric
    wrong_feedback: str = ""  # short answer/numeric: shown when no accepted answer matched
    pairs: tuple[Pair, ...] = ()  # matching
    items: tuple[str, ...] = ()  # ordering, in the right order

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape the database stores (only the fields this type uses)."""
        data: dict[str, Any] = {"qtype": str(self.qtype), "text": self.text}
        for name in ("title", "category", "general_feedback", "wrong_feedback"):
            if getattr(self, name):
                data[name] = getattr(self, name)
        if self.choices:
            data["choices"] = [
                {"text": c.text, "weight": c.weight, "feedback": c.feedback} for c in self.choices
            ]
        if self.qtype == QType.TRUE_FALSE:
            data["correct"] = self.correct
            data["feedback_true"] = self.feedback_true
            data["feedback_false"] = self.feedback_false
        if self.numbers:
            data["numbers"] = [
                {
                    "value": n.value,
                    "tolerance": n.tolerance,
                    "high": n.high,
                    "weight": n.weight,
                    "feedback": n.feedback,
                }
                for n in self.numbers
            ]
        if self.pairs:
            data["pairs"] = [[p.left, p.right] for p in self.pairs]
        if self.items:
            data["items"] = list(self.items)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Question:
        return cls(
            qtype=QType(data["qtype"]),
            text=data.get("text", ""),
            title=data.get("title", ""),
            category=data.get("category", ""),
            general_feedback=data.get("general_feedback", ""),
            wrong_feedback=data.get("wrong_feedback", ""),
            choices=tuple(
                Choice(c["text"], float(c.get("weight", 0)), c.get("feedback", ""))
                for c in data.get("choices", ())
            ),
            correct=data.get("correct"),
            feedback_true=data.get("feedback_true", ""),
            feedback_false=data.get("feedback_false", ""),
            numbers=tuple(
                NumericAnswer(
                    value=float(n["value"]),
                    tolerance=float(n.get("tolerance", 0)),
                    high=None if n.get("high") is None else float(n["high"]),
                    weight=float(n.get("weight", 100)),
                    feedback=n.get("feedback", ""),
                )
                for n in data.get("numbers", ())
            ),
            pairs=tuple(Pair(left, right) for left, right in data.get("pairs", ())),
            items=tuple(data.get("items", ())),
        )

    def with_category(self, category: str) -> Question:
        return replace(self, category=category)


@dataclass(frozen=True)
class Problem:
    message: str
    params: dict[str, Any] = field(default_factory=dict)

    def render(self, translate: Any = None) -> str:
        template = translate(self.message) if translate else self.message
        return template % self.params


NO_TEXT = gettext_noop("The question has no text.")
TOO_FEW_CHOICES = gettext_noop("A choice question needs at least two options.")
NO_FULL_CHOICE = gettext_noop("One option must be worth 100%%.")
BAD_SUM = gettext_noop(
    "The positive weights of a multiple-choice question must add up to 100%% (they add up to "
    "%(total)s%%)."
)
BAD_WEIGHT = gettext_noop("A weight must be between -100%% and 100%% (found %(weight)s%%).")
EMPTY_CHOICE = gettext_noop("An option or accepted answer is empty.")
NO_TRUTH = gettext_noop("A true/false question needs its right answer.")
NO_ACCEPTED = gettext_noop("At least one accepted answer must be worth 100%%.")
NO_NUMBER = gettext_noop("At least one numeric answer must be worth 100%%.")
BAD_NUMBER = gettext_noop("A numeric answer must be a finite number with a tolerance of 0 or more.")
BAD_RANGE = gettext_noop("A numeric range must go from a smaller to a larger number.")
TOO_FEW_PAIRS = gettext_noop("A matching question needs at least two pairs.")
EMPTY_PAIR = gettext_noop("Every pair needs an answer on the right.")
AMBIGUOUS_PAIR = gettext_noop("The left-hand item '%(left)s' appears twice.")
TOO_FEW_ITEMS = gettext_noop("An ordering question needs at least two items.")
EMPTY_ITEM = gettext_noop("An item to order is empty.")
DUPLICATE_ITEM = gettext_noop("The item '%(item)s' appears twice; items to order must differ.")


def _finite(*numbers: float | None) -> bool:
    return all(n is None or math.isfinite(n) for n in numbers)


def validate(question: Question) -> list[Problem]:
    """Everything that keeps the question from being asked and scored; empty when fine."""
    problems: list[Problem] = []
    if not question.text.strip():
        problems.append(Problem(NO_TEXT))
    qtype = question.qtype
    for choice in question.choices:
        if not choice.text.strip():
            problems.append(Problem(EMPTY_CHOICE))
            break
    for weight in [c.weight for c in question.choices] + [n.weight for n in question.numbers]:
        if not (_finite(weight) and -100 <= weight <= 100):
            problems.append(Problem(BAD_WEIGHT, {"weight": weight}))
            break
    if qtype in (QType.SINGLE, QType.MULTIPLE):
        if len(question.choices) < 2:
            problems.append(Problem(TOO_FEW_CHOICES))
        elif qtype == QType.SINGLE:
            if max(c.weight for c in question.choices) != 100:
                problems.append(Problem(NO_FULL_CHOICE))
        else:
            total = sum(c.weight for c in question.choices if c.weight > 0)
            if not _finite(total) or abs(total - 100) > WEIGHT_SUM_TOLERANCE:
                problems.append(Problem(BAD_SUM, {"total": round(total, 2)}))
    elif qtype == QType.TRUE_FALSE:
        if question.correct is None:
            problems.append(Problem(NO_TRUTH))
    elif qtype == QType.SHORT:
        if not any(c.weight == 100 for c in question.choices):
            problems.append(Problem(NO_ACCEPTED))
    elif qtype == QType.NUMERIC:
        if not any(n.weight == 100 for n in question.numbers):
            problems.append(Problem(NO_NUMBER))
        for number in question.numbers:
            if not _finite(number.value, number.tolerance, number.high) or number.tolerance < 0:
                problems.append(Problem(BAD_NUMBER))
                break
            if number.high is not None and number.high < number.value:
                problems.append(Problem(BAD_RANGE))
                break
    elif qtype == QType.MATCHING:
        real = [p for p in question.pairs if p.left.strip()]
        if len(real) < 2:
            problems.append(Problem(TOO_FEW_PAIRS))
        if any(not p.right.strip() for p in question.pairs):
            problems.append(Problem(EMPTY_PAIR))
        seen: set[str] = set()
        for pair in real:
            if pair.left in seen:
                problems.append(Problem(AMBIGUOUS_PAIR, {"left": pair.left}))
                break
            seen.add(pair.left)
    elif qtype == QType.ORDERING:
        if len(question.items) < 2:
            problems.append(Problem(TOO_FEW_ITEMS))
        if any(not item.strip() for item in question.items):
            problems.append(Problem(EMPTY_ITEM))
        elif len(set(question.items)) != len(question.items):
            duplicate = next(i for i in question.items if question.items.count(i) > 1)
            problems.append(Problem(DUPLICATE_ITEM, {"item": duplicate}))
    return problems
