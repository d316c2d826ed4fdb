"""What readers see instead of variable names: question labels, choice labels, place names.

A report names covariates (``years_service``), the columns the adjustment built from them
(``state_MX-ROO``, ``years_service_missing``) and subgroup values. Readers get the question's
label from the instrument in their language (``label::Español (es)``, ``label::English``…), a
choice's label, or a place's name (ISO 3166-2 codes, ``places``); an analyst keeps the raw name
beside it. A name without a label stays the name: nothing is guessed.

The block a result stores (``result["labels"]``) holds both reader languages::

    {"columns": {"years_service": {"en": "Years of service", "es": "Años de servicio"}},
     "values": {"state": {"MX-ROO": {"en": "Quintana Roo", "es": "Quintana Roo"}}},
     "design": {"state_MX-ROO": {"column": "state", "value": "MX-ROO",
                                 "en": "State: Quintana Roo", "es": "Estado: Quintana Roo"}}}
"""

import re
from collections.abc import Iterable, Mapping
from typing import Any

from fortalece.impact.core.instrument import Instrument, Item, in_language

LANGUAGES = ("en", "es")
# A numeric covariate's missing-value indicator and a text covariate's blank category.
MISSING = "\x00missing"
NO_ANSWER = {"en": "no answer", "es": "sin respuesta"}
PLACE_CODE = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")  # ISO 3166-2


def reader_language(language: str | None) -> str:
    """``es-mx`` → ``es``; anything but Spanish reads English."""
    return "es" if (language or "").lower().startswith("es") else "en"


def _items(instrument: Instrument) -> dict[str, Item]:
    return {item.name: item for item in instrument.items}


def column_label(instrument: Instrument, name: str, language: str) -> str:
    """A question's label in ``language``, else its default label, else ``name``. A label that
    only repeats the name (a writer's placeholder) is no label."""
    item = _items(instrument).get(name)
    if item is None:
        return name
    text = in_language(item.labels, language) or item.label
    return text if text and text != name else name


def value_label(
    instrument: Instrument,
    column: str,
    value: str,
    language: str,
    places: Mapping[str, str] | None = None,
) -> str:
    """A choice's label in ``language`` (else its default label), else a place's name for an
    ISO 3166-2 code, else the value itself."""
    if value == MISSING:
        return NO_ANSWER[language]
    item = _items(instrument).get(column)
    if item is not None:
        by_language = [(key, text) for name, key, text in item.choice_labels if name == value]
        text = in_language(by_language, language) or dict(item.choices).get(value, "")
        if text and text != value:
            return text
    if places and PLACE_CODE.match(value) and places.get(value):
        return places[value]
    return value


def build(
    instrument: Instrument,
    *,
    columns: Iterable[str],
    values: Mapping[str, Iterable[str]] | None = None,
    design: Mapping[str, tuple[str, str | None]] | None = None,
    places: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The labels block of a result: every column named, the values shown of some of them,
    and the adjustment's columns as (covariate, value) — value None for a number itself,
    ``MISSING`` for its missing indicator or a blank category."""
    block: dict[str, Any] = {"columns": {}, "values": {}, "design": {}}
    for name in dict.fromkeys([*columns, *(c for c, _ in (design or {}).values())]):
        block["columns"][name] = {lang: column_label(instrument, name, lang) for lang in LANGUAGES}
    for column, shown in (values or {}).items():
        block["values"][column] = {
            value: {
                lang: value_label(instrument, column, value, lang, places) for lang in LANGUAGES
            }
            for value in dict.fromkeys(shown)
            if value != ""
        }
    for name, (column, value) in (design or {}).items():
        entry: dict[str, Any] = {"column": column, "value": None if value is None else value}
        for lang in LANGUAGES:
            text = block["columns"][column][lang]
            if value is not None:
                text = f"{text}: {value_label(instrument, column, value, lang, places)}"
            entry[lang] = text
        if value == MISSING:
            entry["value"] = ""
        block["design"][name] = entry
    return block


def decode_design(names: Iterable[str], covariates: Iterable[str]) -> dict[str, tuple[str, Any]]:
    """Columns of an adjustment matrix back to (covariate, value), for results stored before
    they recorded it: ``NAME`` is the number, ``NAME_missing`` its indicator (or the blank
    category), ``NAME_VALUE`` a dummy (the longest covariate name that prefixes it)."""
    known = sorted(covariates, key=len, reverse=True)
    found: dict[str, tuple[str, Any]] = {}
    for name in names:
        if name in known:
            found[name] = (name, None)
            continue
        covariate = next((c for c in known if name.startswith(f"{c}_")), None)
        if covariate is not None:
            rest = name[len(covariate) + 1 :]
            found[name] = (covariate, MISSING if rest == "missing" else rest)
    return found


def index_label(entry: Mapping[str, Any], language: str) -> str:
    """An index's label in the reader's language, from a result's entry (results without
    ``label_en`` fall back to their label, then the code)."""
    return entry.get(f"label_{language}") or entry.get("label") or entry.get("code", "")


class Labels:
    """A stored labels block read in one language; anything it lacks reads as its name."""

    def __init__(self, block: Mapping[str, Any] | None, language: str) -> None:
        self.block = block or {}
        self.language = reader_language(language)

    def column(self, name: str) -> str:
        return self.block.get("columns", {}).get(name, {}).get(self.language) or name

    def value(self, column: str, value: str) -> str:
        entry = self.block.get("values", {}).get(column, {}).get(value, {})
        return entry.get(self.language) or value

    def design(self, name: str) -> str:
        return self.block.get("design", {}).get(name, {}).get(self.language) or self.column(name)

    def names(self, names: Iterable[str]) -> list[str]:
        return [self.column(n) for n in names]


NAMED_PARAMS = ("name", "column", "cluster")  # message parameters that hold a column's name


def relabel(message: Mapping[str, Any], labels: Labels) -> dict[str, Any]:
    """A stored message (``Message.as_dict()``) whose column parameters read as
    "Label (name)" where the column has a label, for the reader; the name stays for analysts."""
    params = dict(message.get("params") or {})
    for key in NAMED_PARAMS:
        value = params.get(key)
        if isinstance(value, str) and labels.column(value) != value:
            params[key] = f"{labels.column(value)} ({value})"
    return {**message, "params": params}
