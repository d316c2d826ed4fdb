"""What a learner's page shows of a question, and turning their form back into an answer.

Only texts leave the server: options are numbered by the position they are shown in (after
the seeded shuffle), never by their authored index, weight or feedback. ``decode`` maps the
positions back; stored answers use the question's own indices (see ``scoring``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from fortalece.quizzes.core.draws import matching_layout, option_order, ordering_display
from fortalece.quizzes.core.questions import QType, Question

MAX_TEXT_ANSWER = 500


@dataclass
class Shown:
    qtype: QType
    text: str
    options: list[tuple[str, str]] = field(default_factory=list)  # (value, label)
    rows: list[tuple[str, str]] = field(default_factory=list)  # matching/ordering (key, text)
    choices: list[tuple[str, str]] = field(default_factory=list)  # matching answers/positions


def present(question: Question, *, seed: int, key: object, shuffle: bool) -> Shown:
    shown = Shown(question.qtype, question.text)
    if question.qtype in (QType.SINGLE, QType.MULTIPLE):
        order = option_order(question, seed=seed, key=key, shuffle=shuffle)
        shown.options = [(str(pos), question.choices[i].text) for pos, i in enumerate(order)]
    elif question.qtype == QType.MATCHING:
        lefts, rights = matching_layout(question, seed=seed, key=key)
        shown.rows = [(str(pos), question.pairs[i].left) for pos, i in enumerate(lefts)]
        shown.choices = [(str(pos), text) for pos, text in enumerate(rights)]
    elif question.qtype == QType.ORDERING:
        order = ordering_display(question, seed=seed, key=key)
        shown.rows = [(str(pos), question.items[i]) for pos, i in enumerate(order)]
        shown.choices = [(str(n), str(n)) for n in range(1, len(order) + 1)]
    return shown


def _position(value: str | None, size: int) -> int | None:
    if value is None or not value.isdigit():
        return None
    number = int(value)
    return number if 0 <= number < size else None


def decode(
    question: Question,
    get: Callable[[str], str | None],
    get_list: Callable[[str], list[str]],
    *,
    prefix: str,
    seed: int,
    key: object,
    shuffle: bool,
) -> Any:
    """The stored answer for a submitted form (``get``/``get_list`` read the form fields)."""
    qtype = question.qtype
    if qtype == QType.SINGLE:
        order = option_order(question, seed=seed, key=key, shuffle=shuffle)
        pos = _position(get(prefix), len(order))
        return None if pos is None else order[pos]
    if qtype == QType.MULTIPLE:
        order = option_order(question, seed=seed, key=key, shuffle=shuffle)
        picked = {_position(v, len(order)) for v in get_list(prefix)}
        return sorted(order[p] for p in picked if p is not None)
    if qtype == QType.TRUE_FALSE:
        return {"true": True, "false": False}.get(get(prefix) or "")
    if qtype in (QType.SHORT, QType.NUMERIC):
        return (get(prefix) or "").strip()[:MAX_TEXT_ANSWER]
    if qtype == QType.MATCHING:
        lefts, rights = matching_layout(question, seed=seed, key=key)
        matching: dict[str, str] = {}
        for pos, index in enumerate(lefts):
            chosen = _position(get(f"{prefix}-{pos}"), len(rights))
            if chosen is not None:
                matching[str(index)] = rights[chosen]
        return matching
    order = ordering_display(question, seed=seed, key=key)
    positions: dict[str, int] = {}
    for pos, index in enumerate(order):
        value = get(f"{prefix}-{pos}") or ""
        if value.isdigit() and 1 <= int(value) <= len(order):
            positions[str(index)] = int(value)
    return positions


def for_scoring(question: Question, stored: Any) -> Any:
    """The stored (JSON) answer in the shape :func:`scoring.score` takes."""
    if question.qtype == QType.MATCHING and isinstance(stored, Mapping):
        return {int(k): v for k, v in stored.items() if str(k).isdigit()}
    if question.qtype == QType.ORDERING and isinstance(stored, Mapping):
        if not stored:
            return []
        by_position = {int(p): int(i) for i, p in stored.items() if str(i).isdigit()}
        size = len(question.items)
        if sorted(by_position) != list(range(1, size + 1)) or len(stored) != size:
            return [-1] * size  # answered, but not a complete order: no credit
        return [by_position[p] for p in range(1, size + 1)]
    return stored


def selected(
    question: Question, stored: Any, *, seed: int, key: object, shuffle: bool
) -> dict[str, Any]:
    """The form values that show a stored answer again (field name suffix → value(s))."""
    qtype = question.qtype
    if stored is None:
        return {}
    if qtype in (QType.SINGLE, QType.MULTIPLE):
        order = option_order(question, seed=seed, key=key, shuffle=shuffle)
        chosen = stored if isinstance(stored, list) else [stored]
        return {"": [str(order.index(i)) for i in chosen if isinstance(i, int) and i in order]}
    if qtype == QType.TRUE_FALSE:
        return {"": "true" if stored is True else "false" if stored is False else ""}
    if qtype in (QType.SHORT, QType.NUMERIC):
        return {"": str(stored)}
    if qtype == QType.MATCHING and isinstance(stored, Mapping):
        lefts, rights = matching_layout(question, seed=seed, key=key)
        return {
            f"-{pos}": str(rights.index(stored[str(i)]))
            for pos, i in enumerate(lefts)
            if stored.get(str(i)) in rights
        }
    if qtype == QType.ORDERING and isinstance(stored, Mapping):
        order = ordering_display(question, seed=seed, key=key)
        return {f"-{pos}": str(stored[str(i)]) for pos, i in enumerate(order) if str(i) in stored}
    return {}
