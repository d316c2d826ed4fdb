"""Instruments to and from XLSForm (KoboToolbox / ODK), checked with pyxform.

Scoring travels in extra columns of the ``survey`` sheet that Kobo and ODK ignore:
``fortalece_indices`` (comma-separated index codes), ``fortalece_reverse`` (yes/no) and
``fortalece_correct`` (the right choice of a knowledge question) and ``fortalece_missing``
(choice names meaning "don't know", e.g. ``98``). Indices are described in an
extra sheet ``fortalece_indices`` (``code``, ``label``, ``min_share``, ``components``).
Likert scales are ``select_one`` lists whose choice names are numbers; non-numeric choices
(``dk``, ``98``…) count as missing. Groups prefix nothing (Kobo exports use bare names or
``group/name`` paths, both understood on import); repeats are skipped with a warning.
"""

import dataclasses
import io
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook, load_workbook

from fortalece.impact.core.instrument import Index, Instrument, InstrumentError, Item

YES = {"yes", "true", "1", "si", "sí", "y"}
SCORED_TYPES = ("select_one",)
BACKGROUND_TYPES = {"integer", "decimal", "text", "date", "select_one", "select_multiple"}
SKIPPED = {"note", "calculate", "start", "end", "today", "deviceid", "username", "audit"}


class XLSFormError(ValueError):
    """The file is not a usable XLSForm; the message names the sheet, row and column."""


@dataclass
class ReadResult:
    instrument: Instrument
    warnings: list[str] = field(default_factory=list)


def _sheet_rows(workbook: Any, name: str) -> tuple[list[str], list[tuple[int, dict[str, Any]]]]:
    sheet = next((workbook[s] for s in workbook.sheetnames if s.strip().lower() == name), None)
    if sheet is None:
        return [], []
    rows = sheet.iter_rows(values_only=True)
    try:
        headers = [str(h).strip() if h is not None else "" for h in next(rows)]
    except StopIteration:
        return [], []
    body = []
    for number, row in enumerate(rows, start=2):
        values = {
            h: ("" if v is None else str(v).strip())
            for h, v in zip(headers, row, strict=False)
            if h
        }
        if any(values.values()):
            body.append((number, values))
    return headers, body


def _labels(row: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    found = []
    for key, value in row.items():
        if value and (key == "label" or key.startswith("label::")):
            found.append((key.split("::", 1)[1] if "::" in key else "default", value))
    return tuple(found)


def _validate_with_pyxform(data: bytes, warnings: list[str]) -> None:
    from pyxform import xls2xform
    from pyxform.errors import PyXFormError

    try:
        xls2xform.convert(xlsform=io.BytesIO(data), warnings=warnings, file_type=".xlsx")
    except PyXFormError as error:
        raise XLSFormError(f"pyxform: {error}") from error


def read_xlsform(data: bytes) -> ReadResult:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # a damaged file raises many kinds of errors
        raise XLSFormError("This is not a readable .xlsx file.") from error
    headers, survey = _sheet_rows(workbook, "survey")
    if not headers:
        raise XLSFormError("Sheet 'survey' is missing or empty.")
    for required in ("type", "name"):
        if required not in headers:
            raise XLSFormError(f"Sheet 'survey': column '{required}' is missing.")
    _, choice_rows = _sheet_rows(workbook, "choices")
    _, settings = _sheet_rows(workbook, "settings")
    _, index_rows = _sheet_rows(workbook, "fortalece_indices")
    warnings: list[str] = []
    _validate_with_pyxform(data, warnings)

    choices: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for number, row in choice_rows:
        list_name = row.get("list_name") or row.get("list name") or ""
        if not list_name or not row.get("name"):
            raise XLSFormError(f"Sheet 'choices', row {number}: list_name and name are required.")
        choices.setdefault(list_name, []).append((row["name"], row))

    items: list[Item] = []
    repeat_depth = 0
    for number, row in survey:
        kind = row.get("type", "")
        words = kind.split()
        if not words:
            continue
        if words[0] == "begin_repeat" or kind == "begin repeat":
            repeat_depth += 1
            warnings.append(f"Sheet 'survey', row {number}: repeat '{row.get('name')}' is ignored.")
            continue
        if words[0] == "end_repeat" or kind == "end repeat":
            repeat_depth -= 1
            continue
        if (
            repeat_depth
            or words[0] in ("begin_group", "end_group", "begin", "end")
            or words[0] in SKIPPED
        ):
            continue
        name = row.get("name", "")
        indices = tuple(c.strip() for c in row.get("fortalece_indices", "").split(",") if c.strip())
        list_name = words[1] if len(words) > 1 else ""
        options = tuple(
            (n, (_labels(r) or (("default", n),))[0][1]) for n, r in choices.get(list_name, [])
        )
        if words[0] == "select_multiple" and indices:
            warnings.append(
                f"Sheet 'survey', row {number}: '{name}' is select_multiple and cannot be scored."
            )
            indices = ()
        correct = row.get("fortalece_correct") or None
        if indices and words[0] not in SCORED_TYPES and words[0] not in ("integer", "decimal"):
            raise XLSFormError(
                f"Sheet 'survey', row {number}: '{name}' of type {words[0]} cannot be in an index."
            )
        declared_missing = {
            c.strip() for c in row.get("fortalece_missing", "").split(",") if c.strip()
        }
        numeric = [float(n) for n, _ in options if _is_number(n) and n not in declared_missing]
        if indices and correct:
            item = Item(
                name,
                kind="knowledge",
                correct=correct,
                indices=indices,
                choices=options,
                labels=_labels(row),
            )
        elif indices:
            if len(numeric) < 2:
                raise XLSFormError(
                    f"Sheet 'survey', row {number}: '{name}' needs numeric choice names (1–5)."
                )
            item = Item(
                name,
                kind="likert",
                scale_min=min(numeric),
                scale_max=max(numeric),
                missing_codes=tuple(
                    n for n, _ in options if not _is_number(n) or n in declared_missing
                ),
                reverse=row.get("fortalece_reverse", "").lower() in YES,
                indices=indices,
                choices=options,
                labels=_labels(row),
            )
        else:
            item = Item(name, kind="background", choices=options, labels=_labels(row))
        items.append(item)

    # The first label (the form's default language) names the item in reports.
    items = [
        dataclasses.replace(i, label=i.labels[0][1]) if i.labels and not i.label else i
        for i in items
    ]
    indices_found = {code for item in items for code in item.indices}
    defined = []
    for number, row in index_rows:
        code = row.get("code", "")
        if not code:
            raise XLSFormError(f"Sheet 'fortalece_indices', row {number}: the code is empty.")
        try:
            share = float(row.get("min_share") or 0.5)
        except ValueError as error:
            raise XLSFormError(
                f"Sheet 'fortalece_indices', row {number}, column min_share: not a number."
            ) from error
        components = tuple(c.strip() for c in row.get("components", "").split(",") if c.strip())
        labels = tuple((k, v) for k, v in _labels(row) if k != "default")
        defined.append(
            Index(
                code,
                row.get("label") or (labels[0][1] if labels else code),
                share,
                components,
                labels,
            )
        )
    known = {i.code for i in defined}
    defined += [Index(code, code) for code in sorted(indices_found - known)]
    setting = settings[0][1] if settings else {}
    instrument = Instrument(
        title=setting.get("form_title", "") or "Instrument",
        version=setting.get("version", "") or "1",
        items=items,
        indices=defined,
    )
    try:
        instrument.validate()
    except InstrumentError as error:
        raise XLSFormError(str(error)) from error
    return ReadResult(instrument, warnings)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def write_xlsform(instrument: Instrument) -> bytes:
    """An XLSForm Kobo/ODK can deploy, carrying the scoring in extra columns."""
    workbook = Workbook()
    survey = workbook.active
    survey.title = "survey"
    languages = (
        sorted({lang for item in instrument.items for lang, _ in item.labels} - {"default"}) or []
    )
    label_columns = [f"label::{lang}" for lang in languages] or ["label"]
    survey.append(
        [
            "type",
            "name",
            *label_columns,
            "fortalece_indices",
            "fortalece_reverse",
            "fortalece_correct",
            "fortalece_missing",
        ]
    )
    choices = workbook.create_sheet("choices")
    choices.append(["list_name", "name", "label"])
    for item in instrument.items:
        labels = dict(item.labels)
        texts = [
            labels.get(c.split("::")[-1], labels.get("default", item.label or item.name))
            for c in label_columns
        ]
        if item.choices:
            list_name = f"{item.name}_choices"
            kind = f"select_one {list_name}"
            for name, label in item.choices:
                choices.append([list_name, name, label])
        elif item.kind == "likert":
            list_name = f"{item.name}_choices"
            kind = f"select_one {list_name}"
            for value in range(int(item.scale_min), int(item.scale_max) + 1):
                choices.append([list_name, str(value), str(value)])
            for code in item.missing_codes:
                choices.append([list_name, code, code])
        else:
            kind = "text"
        survey.append(
            [
                kind,
                item.name,
                *texts,
                ",".join(item.indices),
                "yes" if item.reverse else "",
                item.correct or "",
                ",".join(item.missing_codes),
            ]
        )
    settings = workbook.create_sheet("settings")
    settings.append(["form_title", "form_id", "version"])
    settings.append([instrument.title, "fortalece_instrument", instrument.version])
    indices = workbook.create_sheet("fortalece_indices")
    index_languages = sorted({lang for index in instrument.indices for lang, _ in index.labels})
    indices.append(
        [
            "code",
            "label",
            *[f"label::{lang}" for lang in index_languages],
            "min_share",
            "components",
        ]
    )
    for index in instrument.indices:
        translated = dict(index.labels)
        indices.append(
            [
                index.code,
                index.label,
                *[translated.get(lang, "") for lang in index_languages],
                index.min_share,
                ",".join(index.components),
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
