"""Reading KoboToolbox / ODK exports (CSV with , or ;, or XLSX) against an instrument.

Headers may be XML names (``aw_blame``), ``group/name`` paths or question labels in any of the
form's languages; values may be choice names or choice labels. Columns that are not questions
(``_uuid``, the group column of a comparison design…) are kept as they are.

A value that is not a choice of its question is never scored. By default (``unknown="refuse"``)
the file is refused: one message per column with the values and their counts, then the rows.
With ``unknown="missing"`` (the check step, ``--unknown-as-missing``) such answers are left
blank and reported in ``Responses.unknown`` / ``Responses.notices``, per column with counts.
"""

import io
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from fortalece.impact.core.instrument import Instrument, Item
from fortalece.impact.core.messages import Message, as_message, gettext_noop
from fortalece.impact.core.reading import unknown_messages
from fortalece.imports.core.reader import FileProblem, column_letter, read_table
from fortalece.imports.core.vocab import fold

NOT_A_CHOICE = gettext_noop(
    "Row %(row)s, column %(column)s (%(header)s): '%(value)s' is not a choice of '%(name)s'."
)
NO_MATCH = gettext_noop(
    "No column of the file matches a question of the form: is it the right form?"
)
NOT_IN_FILE = gettext_noop("Questions not in the file (treated as unanswered): %(names)s")
NO_ANSWERS = gettext_noop("The file has no answers.")


class DataError(ValueError):
    def __init__(self, problems: list[Any]):
        self.messages = [as_message(p) for p in problems]
        self.problems = [str(m) for m in self.messages]
        super().__init__("\n".join(self.problems[:50]))


@dataclass
class Responses:
    rows: list[dict[str, str]]
    columns: dict[str, str] = field(default_factory=dict)  # header -> item name
    warnings: list[str] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)  # each row's number in the file
    # question -> {"header", "column", "values": {value: count}, "rows": [row numbers]}
    unknown: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def notices(self) -> list[Message]:
        return unknown_messages(self.unknown)


def _match_header(header: str, instrument: Instrument) -> Item | None:
    names = {item.name: item for item in instrument.items}
    if header in names:
        return names[header]
    last = header.replace("-", "/").split("/")[-1]
    if last in names:
        return names[last]
    wanted = fold(header)
    for item in instrument.items:
        labels = [label for _, label in item.labels] + ([item.label] if item.label else [])
        if any(fold(label) == wanted for label in labels):
            return item
    return None


def _value(item: Item, raw: str) -> str | None:
    """The choice name for a raw cell, '' for blank, None when it is not a choice."""
    text = raw.strip()
    if text == "" or not item.choices:
        return text
    names = {name for name, _ in item.choices}
    if text in names:
        return text
    if text.endswith(".0") and text[:-2] in names:
        return text[:-2]
    folded = fold(text)
    for name, label in item.choices:
        if fold(label) == folded or fold(name) == folded:
            return name
    return None


def read_responses(
    filename: str,
    data: bytes,
    instrument: Instrument,
    column_map: dict[str, str] | None = None,
    *,
    unknown: str = "refuse",
) -> Responses:
    """``column_map`` (header → question name) overrides the automatic matching of a column;
    ``unknown`` is ``"refuse"`` or ``"missing"`` for answers that are not choices."""
    column_map = column_map or {}
    names = {item.name: item for item in instrument.items}
    try:
        table = read_table(filename, io.BytesIO(data))
    except FileProblem as error:
        raise DataError([str(error)]) from error
    mapping: dict[int, Item] = {}
    for index, header in enumerate(table.headers):
        chosen = column_map.get(header)
        item = names.get(chosen) if chosen else _match_header(header, instrument)
        if chosen == "":
            item = None  # the user said: this column is not a question
        if item is not None:
            mapping[index] = item
    result = Responses(
        rows=[], columns={table.headers[i]: item.name for i, item in mapping.items()}
    )
    scored = [i for i in instrument.items if i.kind != "background"]
    missing = [i.name for i in scored if i not in mapping.values()]
    if len(missing) == len(scored):
        raise DataError([Message(NO_MATCH)])
    if missing:
        result.warnings.append(str(Message(NOT_IN_FILE, {"names": ", ".join(missing)})))
    problems: list[Message] = []
    for number, raw in enumerate(table.rows, start=2):
        if not any(cell.strip() for cell in raw):
            continue
        row: dict[str, str] = {}
        for index, header in enumerate(table.headers):
            cell = raw[index] if index < len(raw) else ""
            item = mapping.get(index)
            if item is None:
                row[header] = cell.strip()
                continue
            value = _value(item, cell)
            if value is None:
                entry = result.unknown.setdefault(
                    item.name,
                    {
                        "header": header,
                        "column": column_letter(index),
                        "values": Counter(),
                        "rows": [],
                    },
                )
                entry["values"][cell.strip()] += 1
                entry["rows"].append(number)
                problems.append(
                    Message(
                        NOT_A_CHOICE,
                        {
                            "row": number,
                            "column": column_letter(index),
                            "header": header,
                            "value": cell,
                            "name": item.name,
                        },
                    )
                )
                row[item.name] = ""
                continue
            row[item.name] = value
        result.rows.append(row)
        result.row_numbers.append(number)
    for entry in result.unknown.values():
        entry["values"] = dict(entry["values"])
    if problems and unknown != "missing":
        raise DataError([*unknown_messages(result.unknown), *problems])
    if not result.rows:
        raise DataError([Message(NO_ANSWERS)])
    return result
