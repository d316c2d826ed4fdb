"""A questionnaire and its indices, as plain data.

Items are knowledge questions (right/wrong), Likert statements (e.g. 1–5, with "don't know"
codes treated as missing) or background questions (not scored). An item may belong to several
indices; negatively worded items are reverse-scored. An aggregate index is built from other
indices per respondent — never by adding percentages.
"""

from dataclasses import dataclass, field
from typing import Any


class InstrumentError(ValueError):
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
    labels: tuple[tuple[str, str], ...] = ()  # (language, label) pairs
    # When the form states the order of non-numeric choices: (choice name, value on the scale).
    values: tuple[tuple[str, float], ...] = ()
    # Choices set aside as "don't know" without being declared: (name, label, reason).
    special: tuple[tuple[str, str, str], ...] = ()
    xls_type: str = ""  # the XLSForm type as written in the form (e.g. "integer")


@dataclass(frozen=True)
class Index:
    code: str
    label: str = ""
    min_share: float = 0.5  # share of the index's items a respondent must answer
    components: tuple[str, ...] = ()  # for an aggregate: the indices it is built from
    labels: tuple[tuple[str, str], ...] = ()  # (language, label) pairs

    def label_in(self, language: str) -> str:
        """The label in ``language`` (e.g. "es"), else the default label."""
        for key, text in self.labels:
            if f"({language})" in key or key == language:
                return text
        return self.label or self.code


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

    def validate(self) -> None:
        codes = {i.code for i in self.indices}
        names = [i.name for i in self.items]
        if len(names) != len(set(names)):
            raise InstrumentError("Two items have the same name.")
        for item in self.items:
            for code in item.indices:
                if code not in codes:
                    raise InstrumentError(f"Item '{item.name}' names an unknown index '{code}'.")
            if item.kind == "likert" and not item.scale_max > item.scale_min:
                raise InstrumentError(
                    f"Item '{item.name}': the scale maximum must exceed the minimum."
                )
            if item.kind == "knowledge" and item.correct is None:
                raise InstrumentError(f"Knowledge item '{item.name}' has no correct answer.")
        for index in self.indices:
            if not 0 < index.min_share <= 1:
                raise InstrumentError(f"Index '{index.code}': the minimum share must be in (0, 1].")
            for component in index.components:
                if component not in codes or component == index.code:
                    raise InstrumentError(
                        f"Aggregate '{index.code}' names an unknown index '{component}'."
                    )
            if not index.components and not self.index_items(index.code):
                raise InstrumentError(f"Index '{index.code}' has no items.")
