"""Reading KoboToolbox / ODK exports (CSV with , or ;, or XLSX) against an instrument.

Headers may be XML names (``aw_blame``), ``group/name`` paths or question labels in any of the
form's languages; values may be choice names or choice labels. Columns that are not questions
(``_uuid``, the group column of a comparison design…) are kept as they are. Any value that is
not a choice of its question is an error naming the row and column; nothing is returned unless
the whole file is valid.
"""

import io
from dataclasses import dataclass, field

from fortalece.impact.core.instrument import Instrument, Item
from fortalece.imports.core.reader import FileProblem, column_letter, read_table
from fortalece.imports.core.vocab import fold


class DataError(ValueError):
    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems[:50]))
        self.problems = problems


@dataclass
class Responses:
    rows: list[dict[str, str]]
    columns: dict[str, str] = field(default_factory=dict)  # header -> item name
    warnings: list[str] = field(default_factory=list)


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
    filename: str, data: bytes, instrument: Instrument, column_map: dict[str, str] | None = None
) -> Responses:
    """``column_map`` (header → question name) overrides the automatic matching of a column."""
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
        raise DataError(
            ["No column of the file matches a question of the form: is it the right form?"]
        )
    if missing:
        result.warnings.append(
            f"Questions not in the file (treated as unanswered): {', '.join(missing)}"
        )
    problems: list[str] = []
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
                where = f"Row {number}, column {column_letter(index)} ({header})"
                problems.append(f"{where}: '{cell}' is not a choice of '{item.name}'.")
                continue
            row[item.name] = value
        result.rows.append(row)
    if problems:
        raise DataError(problems)
    if not result.rows:
        raise DataError(["The file has no answers."])
    return result
