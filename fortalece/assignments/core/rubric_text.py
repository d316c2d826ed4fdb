"""A rubric written as plain text, one criterion per line (easy on a phone, keyboard only):

    Identifies the risk | Excellent = 4 | Adequate = 2 | Insufficient = 0

The criterion first, then its levels separated by ``|``, each ``name = points``. Blank lines
are skipped. Errors name the line. ``rubric_to_text`` writes a rubric back the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

MAX_CRITERIA = 30
MAX_LEVELS = 10
MAX_POINTS = Decimal(1000)


def gettext_noop(message: str) -> str:
    return message


class RubricTextError(ValueError):
    def __init__(self, line: int, message: str, **params: object) -> None:
        super().__init__(f"line {line}: " + (message % params if params else message))
        self.line = line
        self.message = message
        self.params = params


@dataclass(frozen=True)
class ParsedLevel:
    title: str
    points: Decimal


@dataclass(frozen=True)
class ParsedCriterion:
    title: str
    levels: tuple[ParsedLevel, ...]
    description: str = ""


def parse_rubric(text: str) -> list[ParsedCriterion]:
    criteria: list[ParsedCriterion] = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        parts = [p.strip() for p in line.split("|")]
        title, level_parts = parts[0], parts[1:]
        if not title:
            raise RubricTextError(number, gettext_noop("The criterion has no name."))
        if len(title) > 200:
            raise RubricTextError(number, gettext_noop("The criterion's name is too long."))
        if len(level_parts) < 2:
            raise RubricTextError(
                number, gettext_noop("Give at least two levels, as | name = points.")
            )
        if len(level_parts) > MAX_LEVELS:
            raise RubricTextError(
                number, gettext_noop("At most %(count)s levels."), count=MAX_LEVELS
            )
        levels = []
        for part in level_parts:
            name, equals, points_text = part.rpartition("=")
            name = name.strip()
            if not equals or not name:
                raise RubricTextError(number, gettext_noop("Write each level as name = points."))
            if len(name) > 120:
                raise RubricTextError(number, gettext_noop("A level's name is too long."))
            try:
                points = Decimal(points_text.strip().replace(",", "."))
            except InvalidOperation:
                points = Decimal("NaN")
            if not points.is_finite() or not Decimal(0) <= points <= MAX_POINTS:
                raise RubricTextError(
                    number,
                    gettext_noop("Points must be a number from 0 to %(max)s."),
                    max=MAX_POINTS,
                )
            if points != points.quantize(Decimal("0.01")):
                raise RubricTextError(number, gettext_noop("Points take at most two decimals."))
            levels.append(ParsedLevel(name, points.quantize(Decimal("0.01"))))
        if max(lv.points for lv in levels) <= 0:
            raise RubricTextError(number, gettext_noop("One level at least must be worth points."))
        criteria.append(ParsedCriterion(title, tuple(levels)))
        if len(criteria) > MAX_CRITERIA:
            raise RubricTextError(
                number, gettext_noop("At most %(count)s criteria."), count=MAX_CRITERIA
            )
    if not criteria:
        raise RubricTextError(1, gettext_noop("Write one criterion per line."))
    return criteria


def _points(value: Decimal) -> str:
    text = f"{value:.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def rubric_to_text(criteria: Sequence[ParsedCriterion]) -> str:
    return "\n".join(
        " | ".join([c.title, *(f"{lv.title} = {_points(lv.points)}" for lv in c.levels)])
        for c in criteria
    )
