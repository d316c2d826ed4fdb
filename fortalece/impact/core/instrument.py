"""A questionnaire and its indices, as plain data.

Items are knowledge questions (right/wrong), Likert statements (e.g. 1–5, with "don't know"
codes treated as missing) or background questions (not scored). An item may belong to several
indices; negatively worded items are reverse-scored. An aggregate index is built from other
indices per respondent — never by adding percentages.

Items and indices may carry their Kirkpatrick level (``LEVELS``: reaction, learning, behaviour,
results). An index without a level of its own takes its items' level when they all share one.
"""

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from fortalece.impact.core.messages import Message, MessageError, gettext_noop

SAME_NAME = gettext_noop("Two items have the same name.")
UNKNOWN_INDEX = gettext_noop("Item '%(name)s' names an unknown index '%(code)s'.")
SCALE_ORDER = gettext_noop("Item '%(name)s': the scale maximum must exceed the minimum.")
NO_CORRECT = gettext_noop("Knowledge item '%(name)s' has no correct answer.")
BAD_SHARE = gettext_noop("Index '%(code)s': the minimum share must be in (0, 1].")
UNKNOWN_COMPONENT = gettext_noop("Aggregate '%(code)s' names an unknown index '%(component)s'.")
NO_ITEMS = gettext_noop("Index '%(code)s' has no items.")
INDEX_EXISTS = gettext_noop("An index '%(code)s' already exists.")
QUESTION_EXISTS = gettext_noop("A question '%(name)s' already exists.")
INDEX_MISSING = gettext_noop("Unknown index: %(codes)s. Add the index first.")
TOO_FEW_OPTIONS = gettext_noop("A knowledge question needs at least two answer options.")
BAD_LEVEL = gettext_noop(
    "'%(value)s' is not a Kirkpatrick level (reaction, learning, behaviour or results)."
)

# Kirkpatrick's four levels, in order.
LEVELS = ("reaction", "learning", "behaviour", "results")
LEVEL_LABELS = {
    "reaction": ("Reaction", "Reacción"),
    "learning": ("Learning", "Aprendizaje"),
    "behaviour": ("Behaviour", "Comportamiento"),
    "results": ("Results", "Resultados"),
}
_LEVEL_WORDS = {
    **{level: level for level in LEVELS},
    "1": "reaction",
    "2": "learning",
    "3": "behaviour",
    "4": "results",
    "behavior": "behaviour",
    "reaccion": "reaction",
    "reacción": "reaction",
    "aprendizaje": "learning",
    "comportamiento": "behaviour",
    "conducta": "behaviour",
    "resultados": "results",
    "resultado": "results",
}


# How forms name the two reader languages in ``label::…`` columns, besides "(es)" / "es".
_LANGUAGE_NAMES = {
    "en": {"english", "inglés", "ingles"},
    "es": {"español", "espanol", "spanish", "castellano"},
}


def is_language(key: str, language: str) -> bool:
    """Whether a ``label::KEY`` column is in ``language`` ("es": ``Español (es)``, ``es``,
    ``Español``, ``Spanish``…)."""
    key = key.strip().lower()
    if key == language or f"({language})" in key:
        return True
    return re.sub(r"\s*\(.*\)\s*$", "", key).strip() in _LANGUAGE_NAMES.get(language, set())


def in_language(labels: Iterable[tuple[str, str]], language: str) -> str:
    """The label in ``language`` among (language key, label) pairs, else ""."""
    return next((text for key, text in labels if text and is_language(key, language)), "")


def parse_level(text: str) -> str:
    """A level as users write it (English, Spanish or 1–4) → its code; "" for a blank.

    Raises ``InstrumentError`` for anything else: a level is never guessed."""
    word = text.strip().lower()
    if not word:
        return ""
    if word not in _LEVEL_WORDS:
        raise InstrumentError(Message(BAD_LEVEL, {"value": text.strip()}))
    return _LEVEL_WORDS[word]


class InstrumentError(MessageError):
    """The instrument definition is inconsistent; the message says where."""


@dataclass(frozen=True)
class Item:
    name: str
    label: str = ""
    kind: str = "likert"  # "likert", "knowledge" or "background"
    scale_min: float = 1
    scale_max: float = 5
    missing_codes: tuple[str, ...] = ()
    reverse: bool = False
    correct: str | None = None  # knowledge items: the right answer
    indices: tuple[str, ...] = ()
    choices: tuple[tuple[str, str], ...] = ()  # (name, label) pairs, any language
    # Every label of every choice: (choice name, language key as in label::KEY, label).
    choice_labels: tuple[tuple[str, str, str], ...] = ()
    labels: tuple[tuple[str, str], ...] = ()  # (language, label) pairs
    # When the form states the order of non-numeric choices: (choice name, value on the scale).
    values: tuple[tuple[str, float], ...] = ()
    # Choices set aside as "don't know" without being declared: (name, label, reason).
    special: tuple[tuple[str, str, str], ...] = ()
    xls_type: str = ""  # the XLSForm type as written in the form (e.g. "integer")
    level: str = ""  # Kirkpatrick level (one of LEVELS) or ""


@dataclass(frozen=True)
class Index:
    code: str
    label: str = ""
    min_share: float = 0.5  # share of the index's items a respondent must answer
    components: tuple[str, ...] = ()  # for an aggregate: the indices it is built from
    labels: tuple[tuple[str, str], ...] = ()  # (language, label) pairs
    level: str = ""  # Kirkpatrick level (one of LEVELS) or ""

    def label_in(self, language: str) -> str:
        """The label in ``language`` (e.g. "es": ``Español (es)``, ``es``, ``Español``), else
        the default label."""
        return in_language(self.labels, language) or self.label or self.code


@dataclass
class Instrument:
    title: str
    version: str
    items: list[Item] = field(default_factory=list)
    indices: list[Index] = field(default_factory=list)
    # The form's sheets as read (rows of header -> text), so that writing it back keeps what
    # Fortalece does not model: groups, skip logic, choice filters, hints, settings…
    source: dict[str, Any] | None = None

    def item(self, name: str) -> Item:
        for item in self.items:
            if item.name == name:
                return item
        raise KeyError(name)

    def index_items(self, code: str) -> list[Item]:
        return [i for i in self.items if code in i.indices and i.kind != "background"]

    def index_level(self, code: str) -> str:
        """The index's own level, else the one level all its items (or components) share."""
        index = next(i for i in self.indices if i.code == code)
        if index.level:
            return index.level
        if index.components:
            found = {self.index_level(c) for c in index.components if c != code}
        else:
            found = {i.level for i in self.index_items(code)}
        return found.pop() if len(found) == 1 else ""

    def validate(self) -> None:
        codes = {i.code for i in self.indices}
        names = [i.name for i in self.items]
        if len(names) != len(set(names)):
            raise InstrumentError(Message(SAME_NAME))
        for item in self.items:
            for code in item.indices:
                if code not in codes:
                    raise InstrumentError(Message(UNKNOWN_INDEX, {"name": item.name, "code": code}))
            if item.kind == "likert" and not item.scale_max > item.scale_min:
                raise InstrumentError(Message(SCALE_ORDER, {"name": item.name}))
            if item.level and item.level not in LEVELS:
                raise InstrumentError(Message(BAD_LEVEL, {"value": item.level}))
            if item.kind == "knowledge" and item.correct is None:
                raise InstrumentError(Message(NO_CORRECT, {"name": item.name}))
        for index in self.indices:
            if index.level and index.level not in LEVELS:
                raise InstrumentError(Message(BAD_LEVEL, {"value": index.level}))
            if not 0 < index.min_share <= 1:
                raise InstrumentError(Message(BAD_SHARE, {"code": index.code}))
            for component in index.components:
                if component not in codes or component == index.code:
                    raise InstrumentError(
                        Message(UNKNOWN_COMPONENT, {"code": index.code, "component": component})
                    )
            if not index.components and not self.index_items(index.code):
                raise InstrumentError(Message(NO_ITEMS, {"code": index.code}))


def instrument_to_json(instrument: Instrument) -> dict[str, Any]:
    return asdict(instrument)


def _tuples(value: Any) -> Any:
    """JSON lists back to the tuples of the frozen dataclasses (nested: pairs, triples)."""
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value


def instrument_from_json(data: dict[str, Any]) -> Instrument:
    item_fields = {f.name for f in fields(Item)}
    items = [
        Item(**{k: _tuples(v) for k, v in i.items() if k in item_fields}) for i in data["items"]
    ]
    indices = [
        Index(**{**i, "components": tuple(i["components"]), "labels": _tuples(i.get("labels", []))})
        for i in data["indices"]
    ]
    return Instrument(
        title=data["title"],
        version=data["version"],
        items=items,
        indices=indices,
        source=data.get("source"),
    )


# Building an instrument in the browser (impact/services/instruments.py): one index or one
# question at a time, from what the builder's forms hold.


def with_index(definition: Instrument, *, code: str, label: str, components: str) -> Instrument:
    """``definition`` with a new index (``components``: index codes, comma-separated)."""
    if any(i.code == code for i in definition.indices):
        raise InstrumentError(Message(INDEX_EXISTS, {"code": code}))
    parts = tuple(c.strip() for c in components.split(",") if c.strip())
    definition.indices.append(Index(code, label, 0.5, parts))
    return definition


def with_question(definition: Instrument, data: dict[str, Any]) -> Instrument:
    """``definition`` with a new question: a knowledge question (its options one per line, the
    right one first) or a 1–5 agreement with "don't know" (98)."""
    if any(i.name == data["name"] for i in definition.items):
        raise InstrumentError(Message(QUESTION_EXISTS, {"name": data["name"]}))
    indices = tuple(c.strip() for c in data["indices"].split(",") if c.strip())
    unknown = [c for c in indices if c not in {i.code for i in definition.indices}]
    if unknown:
        raise InstrumentError(Message(INDEX_MISSING, {"codes": ", ".join(unknown)}))
    labels = (("Español (es)", data["label_es"]),) + (
        (("English (en)", data["label_en"]),) if data.get("label_en") else ()
    )
    if data["kind"] == "knowledge":
        options = [line.strip() for line in data.get("options", "").splitlines() if line.strip()]
        if len(options) < 2:
            raise InstrumentError(Message(TOO_FEW_OPTIONS))
        choices = tuple((f"o{n}", text) for n, text in enumerate(options, start=1))
        item = Item(
            data["name"],
            label=data["label_es"],
            kind="knowledge",
            correct="o1",
            indices=indices,
            choices=choices,
            labels=labels,
        )
    else:
        choices = tuple((str(v), str(v)) for v in range(1, 6)) + (("98", "No sé / Don't know"),)
        item = Item(
            data["name"],
            label=data["label_es"],
            scale_min=1,
            scale_max=5,
            missing_codes=("98",),
            reverse=data.get("reverse", False),
            indices=indices,
            choices=choices,
            labels=labels,
        )
    definition.items.append(item)
    return replace(definition)
