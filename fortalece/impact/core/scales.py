"""The answer scale of a scored question, derived from its choices and checked.

A Likert question's choices are normally numbers (``1``…``5``) plus codes meaning "don't know",
"no answer", "refused" or "not applicable". Those codes must never be scored as answers (a 99
"No sé" on a 1–5 scale would be a huge "agree"). :func:`derive_scale`

* treats as missing every choice the form declares missing (``fortalece_missing``);
* treats as missing every choice whose label, in any of the form's languages, means "don't
  know / no answer / refused / not applicable" (:func:`means_missing`) or whose name is such a
  code (``dk``, ``ns``, ``nsnr``…);
* treats as missing the numeric codes that stand apart from the contiguous scale and look like
  special codes (8, 9, 88, 98, 99, 999, -9, -99…);
* unless the form (``fortalece_keep``) or the user says a choice is a real answer;
* refuses what is still irregular — a gap in the numbers, a single choice, names that are not
  numbers — unless the form states the order (``fortalece_order``: the choice names from the
  lowest to the highest).

Every choice treated as missing without being declared is returned in ``special`` so that the
reader can report it; nothing is dropped silently.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from fortalece.impact.core.messages import Message, MessageError, gettext_noop
from fortalece.imports.core.vocab import fold

DECLARED = "declared"
LABEL = "label"
APART = "apart"
OUTSIDE_ORDER = "outside_order"

# Folded (lower case, no accents, punctuation as spaces) phrases that mean "no real answer".
_MISSING_PATTERNS = [
    # Spanish
    r"\bno (lo )?se\b",
    r"\bno (lo )?sabe\b",
    r"\bno (lo )?sabria\b",
    r"\bno (lo )?conoce\b",
    r"\bno respond(e|io|o)\b",
    r"\bno contest(a|o)\b",
    r"\bprefier[eo] no (responder|contestar|decir|decirlo|opinar)\b",
    r"\bsin respuesta\b",
    r"\bsin opinion\b",
    r"\bno aplica\b",
    r"\bno corresponde\b",
    r"\bse nieg(a|o)\b",
    r"\bse nego\b",
    # English
    r"\bdon ?t know\b",
    r"\bdo not know\b",
    r"\bdoesn ?t know\b",
    r"\bnot sure\b",
    r"\bunsure\b",
    r"\brefused?\b",
    r"\brefusal\b",
    r"\bprefers? not to (say|answer|respond|tell)\b",
    r"\bno answer\b",
    r"\bno response\b",
    r"\bno opinion\b",
    r"\bnot applicable\b",
    r"\bdeclined?( to answer)?\b",
    # Portuguese and French, for forms shared across regions
    r"\bnao (sei|sabe|respondeu|se aplica)\b",
    r"\bne (sais|sait) pas\b",
    r"\bsans (reponse|objet)\b",
    # Short codes, alone
    r"^(ns|nr|nc|na|n a|dk|nk|ns nr|ns nc|nsnr|nsnc|dk na|dkna|dk nr|rf|ref|nsp)$",
]
_MISSING = re.compile("|".join(f"(?:{p})" for p in _MISSING_PATTERNS))


def means_missing(text: str) -> bool:
    """Does a choice label or name mean "don't know / no answer / refused / not applicable"?"""
    folded = fold(text.replace("_", " "))
    return bool(folded) and _MISSING.search(folded) is not None


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


def looks_special(value: float) -> bool:
    """8, 9, 77, 88, 98, 99, 777, 999, -1, -9, -99…: codes surveys use for "no answer"."""
    if value < 0:
        return True
    if value != int(value):
        return False
    digits = str(int(value))
    return set(digits) <= {"7", "8", "9"} and (len(digits) >= 2 or value in (8, 9))


class ScaleError(MessageError):
    """The choices do not make a scale; ``message`` says why (the caller adds sheet and row)."""


@dataclass(frozen=True)
class Scale:
    low: float
    high: float
    missing: tuple[str, ...] = ()  # choice names never scored
    values: tuple[tuple[str, float], ...] = ()  # name -> value when the form states the order
    special: tuple[tuple[str, str, str], ...] = field(default=())  # (name, label, reason)


NOT_NUMBERS = gettext_noop(
    "choices %(choices)s: the names %(names)s are not numbers and the form does not state their "
    "order — name the choices 1, 2, 3…, list the order in fortalece_order, or mark them as "
    '"don\'t know" in fortalece_missing.'
)
SINGLE = gettext_noop(
    'choices %(choices)s: only %(count)s answer left to score once the "don\'t know" codes are '
    "set aside; a scale needs at least two."
)
GAP = gettext_noop(
    "choices %(choices)s: the scale %(numbers)s has a gap — state the order in fortalece_order, "
    "or mark the odd codes as missing in fortalece_missing."
)
UNEVEN = gettext_noop(
    "choices %(choices)s: the numbers %(numbers)s are not evenly spaced — state the order in "
    "fortalece_order."
)
UNKNOWN_IN_ORDER = gettext_noop(
    "fortalece_order names %(names)s, which are not choices of %(choices)s."
)


def _listing(choices: Sequence[tuple[str, str]]) -> str:
    return ", ".join(f"{n} '{label}'" if label and label != n else n for n, label in choices)


def _format(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def derive_scale(
    choices: Sequence[tuple[str, Sequence[str]]],
    *,
    declared_missing: Iterable[str] = (),
    keep: Iterable[str] = (),
    order: Sequence[str] = (),
) -> Scale:
    """``choices`` are (name, labels in every language) in form order."""
    kept = set(keep)
    declared = set(declared_missing) - kept  # the user's word wins over the form's
    first_label = {name: (labels[0] if labels else name) for name, labels in choices}
    listing = _listing([(n, first_label[n]) for n, _ in choices])
    missing: list[str] = []
    special: list[tuple[str, str, str]] = []

    def set_aside(name: str, reason: str) -> None:
        missing.append(name)
        if reason != DECLARED:
            special.append((name, first_label.get(name, name), reason))

    for name, labels in choices:
        if name in declared:
            set_aside(name, DECLARED)
        elif name not in kept and any(means_missing(t) for t in [name, *labels]):
            set_aside(name, LABEL)
    rest = [name for name, _ in choices if name not in missing]

    if order:
        names = {name for name, _ in choices}
        unknown = [n for n in order if n not in names]
        if unknown:
            raise ScaleError(
                Message(UNKNOWN_IN_ORDER, {"names": ", ".join(unknown), "choices": listing})
            )
        ordered = [n for n in order if n not in missing]
        for name in rest:
            if name not in ordered:
                set_aside(name, OUTSIDE_ORDER)
        if len(ordered) < 2:
            raise ScaleError(Message(SINGLE, {"choices": listing, "count": len(ordered)}))
        return Scale(
            1.0,
            float(len(ordered)),
            tuple(missing),
            tuple((n, float(v)) for v, n in enumerate(ordered, start=1)),
            tuple(special),
        )

    words = [n for n in rest if _number(n) is None]
    if words:
        raise ScaleError(Message(NOT_NUMBERS, {"choices": listing, "names": ", ".join(words)}))
    numbers = sorted({v for n in rest if (v := _number(n)) is not None})
    if all(v == int(v) for v in numbers):
        runs: list[list[float]] = []
        for value in numbers:
            if runs and value - runs[-1][-1] == 1:
                runs[-1].append(value)
            else:
                runs.append([value])
        main = max(runs, key=len) if runs else []
        for value in numbers:
            if value in main:
                continue
            codes = [n for n in rest if _number(n) == value]
            if looks_special(value) and not kept.intersection(codes):
                for name in codes:
                    set_aside(name, APART)
            else:
                raise ScaleError(
                    Message(GAP, {"choices": listing, "numbers": ", ".join(map(_format, numbers))})
                )
        numbers = main
    else:
        steps = {round(b - a, 9) for a, b in zip(numbers, numbers[1:], strict=False)}
        if len(steps) > 1:
            raise ScaleError(
                Message(UNEVEN, {"choices": listing, "numbers": ", ".join(map(_format, numbers))})
            )
    if len(numbers) < 2:
        raise ScaleError(Message(SINGLE, {"choices": listing, "count": len(numbers)}))
    return Scale(numbers[0], numbers[-1], tuple(missing), (), tuple(special))
