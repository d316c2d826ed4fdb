"""Instruments to and from XLSForm (KoboToolbox / ODK), read the way pyxform reads them.

Files may be ``.xlsx`` or legacy ``.xls`` (what KoboToolbox and older ODK tools hand out); sheet
names and column headers may be in any case (``SURVEY``, ``TYPE``, ``List Name``); reading stops
after 60 empty rows in a row and 20 empty columns, as pyxform does, so a sheet Excel formatted
down to row 1,048,576 reads in milliseconds. pyxform then checks the form; whatever it refuses is
refused with its reason.

Scoring travels in extra columns of the ``survey`` sheet that Kobo and ODK ignore:

* ``fortalece_indices`` — comma-separated index codes;
* ``fortalece_reverse`` — ``yes`` for negatively worded statements;
* ``fortalece_correct`` — the right choice of a knowledge question;
* ``fortalece_missing`` — choice names meaning "don't know" (e.g. ``98``);
* ``fortalece_keep`` — choice names to score although they look like "don't know";
* ``fortalece_order`` — choice names from the lowest to the highest, when they are not numbers;
* ``fortalece_level`` — the Kirkpatrick level (reaction, learning, behaviour, results; Spanish
  words and 1–4 are read too).

The scale of each scored question is derived from its choices (``scales.derive_scale``):
"don't know" labels in any language and special numeric codes are set aside and reported in
``ReadResult.notices``; an irregular scale is refused naming the sheet, row and choices.
Indices are described in an extra sheet ``fortalece_indices`` (``code``, ``label``,
``min_share``, ``components``, ``fortalece_level``). Repeats are skipped with a warning.

The sheets as read are kept on the instrument (``Instrument.source``) so that
:func:`write_xlsform` gives back the same form — groups, skip logic, choice filters, hints,
types, settings and every language — with the scoring columns brought up to date.
"""

import dataclasses
import datetime
import io
import re
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook, load_workbook

from fortalece.impact.core.instrument import (
    Index,
    Instrument,
    InstrumentError,
    Item,
    parse_level,
)
from fortalece.impact.core.messages import Message, MessageError, gettext_noop
from fortalece.impact.core.reading import set_aside, set_aside_messages
from fortalece.impact.core.scales import ScaleError, derive_scale

YES = {"yes", "true", "1", "si", "sí", "y"}
SKIPPED = {"note", "calculate", "start", "end", "today", "deviceid", "username", "audit"}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_EMPTY_ROWS = 60  # pyxform stops after this many empty rows in a row
MAX_EMPTY_COLUMNS = 20  # … and after this many empty header cells
SHEETS = ("survey", "choices", "settings", "external_choices", "entities", "osm")
INDEX_SHEET = "fortalece_indices"
SCORING_COLUMNS = (
    "fortalece_indices",
    "fortalece_reverse",
    "fortalece_correct",
    "fortalece_missing",
    "fortalece_keep",
    "fortalece_order",
    "fortalece_level",
)
ALIASES = {"caption": "label", "list name": "list_name", "command": "type", "tag": "name"}

NOT_READABLE = gettext_noop("This is not a readable .xlsx or .xls file.")
NO_SURVEY = gettext_noop("Sheet 'survey' is missing or empty.")
NO_COLUMN = gettext_noop("Sheet 'survey': column '%(column)s' is missing.")
PYXFORM = gettext_noop("pyxform: %(error)s")
PYXFORM_CRASH = gettext_noop("pyxform could not read the form (%(error)s).")
CHOICE_NAMES = gettext_noop("Sheet 'choices', row %(row)s: list_name and name are required.")
NOT_SCORABLE = gettext_noop(
    "Sheet 'survey', row %(row)s: '%(name)s' of type %(type)s cannot be in an index."
)
BAD_SCALE = gettext_noop(
    "Sheet 'survey', row %(row)s, question '%(name)s' (list %(list)s): %(why)s"
)
NO_CHOICES = gettext_noop(
    "Sheet 'survey', row %(row)s: '%(name)s' uses the list '%(list)s', which has no choices."
)
BAD_LEVEL = gettext_noop("Sheet '%(sheet)s', row %(row)s, column fortalece_level: %(why)s")
EMPTY_CODE = gettext_noop("Sheet 'fortalece_indices', row %(row)s: the code is empty.")
BAD_SHARE = gettext_noop(
    "Sheet 'fortalece_indices', row %(row)s, column min_share: '%(value)s' is not a number."
)
REPEAT_IGNORED = gettext_noop("Sheet 'survey', row %(row)s: repeat '%(name)s' is ignored.")
MULTIPLE_IGNORED = gettext_noop(
    "Sheet 'survey', row %(row)s: '%(name)s' is select_multiple and cannot be scored."
)


class XLSFormError(MessageError):
    """The file is not a usable XLSForm; the message names the sheet, row and column."""


@dataclass
class Sheet:
    headers: list[str]  # as written in the file
    keys: list[str]  # normalised: snake_case, lower case before any "::"
    rows: list[tuple[int, dict[str, str]]]  # (row number in the file, key -> text)
    raw: list[tuple[int, list[str]]]  # (row number, texts aligned with headers)


@dataclass
class ReadResult:
    instrument: Instrument
    warnings: list[str] = field(default_factory=list)
    notices: list[Message] = field(default_factory=list)


def normalise_header(header: str) -> str:
    """``TYPE`` → ``type``, ``List Name`` → ``list_name``, ``Label::Español (es)`` →
    ``label::Español (es)``, ``label:English`` → ``label::English`` (as pyxform reads them)."""
    text = re.sub(r"\s+", " ", header.strip())
    if "::" in text:
        first, rest = text.split("::", 1)
    elif re.match(
        r"(?i)^(label|hint|media|image|audio|video|constraint_message|guidance_hint"
        r"|required_message)\s*:[^:]",
        text,
    ):
        first, rest = text.split(":", 1)
    else:
        first, rest = text, None
    key = ALIASES.get(first.strip().lower(), first)
    key = "_".join(key.split()).lower()
    return key if rest is None else f"{key}::{rest.strip()}"


def _text(value: Any) -> str:
    """A cell as pyxform writes it: whole floats without '.0', booleans TRUE/FALSE."""
    if value is None:
        return ""
    if value is True:
        return "TRUE"
    if value is False:
        return "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | datetime.datetime | datetime.time | datetime.date):
        return str(value)
    return str(value).replace("\xa0", " ").strip()


def _sheet(rows: Any) -> Sheet:
    """Header row, then rows until ``MAX_EMPTY_ROWS`` empty rows in a row (never the whole
    formatted range)."""
    try:
        first = [re.sub(r"\s+", " ", _text(v)) for v in next(rows)]
    except StopIteration:
        return Sheet([], [], [], [])
    headers: list[str] = []
    empty = 0
    for value in first:
        if value:
            headers.extend([""] * empty)
            headers.append(value)
            empty = 0
        else:
            empty += 1
            if empty >= MAX_EMPTY_COLUMNS:
                break
    keys = [normalise_header(h) if h else "" for h in headers]
    body: list[tuple[int, dict[str, str]]] = []
    raw: list[tuple[int, list[str]]] = []
    empty = 0
    for number, row in enumerate(rows, start=2):
        texts = [_text(v) for v in row[: len(headers)]]
        texts += [""] * (len(headers) - len(texts))
        if not any(texts):
            empty += 1
            if empty >= MAX_EMPTY_ROWS:
                break
            continue
        empty = 0
        raw.append((number, texts))
        body.append((number, {k: t for k, t in zip(keys, texts, strict=True) if k}))
    return Sheet(headers, keys, body, raw)


def _xlsx_sheets(data: bytes, names: list[str]) -> dict[str, Sheet]:
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        names.extend(workbook.sheetnames)
        sheets = {}
        for name in names:
            key = name.strip().lower()
            if len(names) == 1 and key not in SHEETS:
                key = "survey"  # pyxform reads a lone sheet as the survey
            if key in sheets:
                continue
            sheets[key] = _sheet(workbook[name].iter_rows(values_only=True))
        return sheets
    finally:
        workbook.close()


def _xls_sheets(data: bytes, names: list[str]) -> dict[str, Sheet]:
    import xlrd

    book = xlrd.open_workbook(file_contents=data, on_demand=True)
    try:
        names.extend(book.sheet_names())
        sheets = {}
        for position, name in enumerate(names):
            key = name.strip().lower()
            if len(names) == 1 and key not in SHEETS:
                key = "survey"
            if key in sheets:
                continue
            sheet = book.sheet_by_index(position)

            def cells(s: Any = sheet) -> Any:
                for r in range(s.nrows):
                    yield [_xls_cell(book, s.cell(r, c)) for c in range(s.ncols)]

            sheets[key] = _sheet(cells())
        return sheets
    finally:
        book.release_resources()


def _xls_cell(book: Any, cell: Any) -> Any:
    import xlrd

    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
        except (xlrd.xldate.XLDateError, OverflowError, ValueError):
            return cell.value
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return None
    return cell.value


def _labels(row: dict[str, str]) -> tuple[tuple[str, str], ...]:
    found = []
    for key, value in row.items():
        if value and (key == "label" or key.startswith("label::")):
            found.append((key.split("::", 1)[1] if "::" in key else "default", value))
    return tuple(found)


def file_type(data: bytes) -> str:
    return ".xls" if data[:8] == OLE_MAGIC else ".xlsx"


def _pyxform_book(sheets: dict[str, Sheet], names: list[str]) -> dict[str, Any]:
    """The workbook as pyxform's own reader gives it (rows of header → text, empty rows in the
    middle kept so that its messages name the right rows), so that pyxform checks the form
    without reading the file a second time."""
    book: dict[str, Any] = {"sheet_names": names}
    for key, sheet in sheets.items():
        if key not in SHEETS:
            continue
        rows: list[dict[str, str]] = []
        for number, texts in sheet.raw:
            rows.extend({} for _ in range(number - 2 - len(rows)))
            rows.append({h: t for h, t in zip(sheet.headers, texts, strict=True) if h and t})
        book[key] = rows
        book[f"{key}_header"] = [{h: None for h in sheet.headers if h}] if sheet.headers else []
    return book


def _validate_with_pyxform(book: dict[str, Any], warnings: list[str]) -> None:
    from pyxform import xls2xform
    from pyxform.errors import PyXFormError

    try:
        xls2xform.convert(xlsform=book, warnings=warnings)
    except PyXFormError as error:
        raise XLSFormError(Message(PYXFORM, {"error": str(error)})) from error
    except Exception as error:  # pyxform bugs must not crash the upload  # noqa: BLE001
        raise XLSFormError(
            Message(PYXFORM_CRASH, {"error": f"{type(error).__name__}: {error}"})
        ) from error


def _split(text: str) -> list[str]:
    return [c.strip() for c in text.split(",") if c.strip()]


def parse_type(text: str) -> tuple[str, str]:
    """``select one acuerdo`` → (``select_one``, ``acuerdo``); ``begin group`` →
    (``begin_group``, '')."""
    words = text.strip().split()
    if not words:
        return "", ""
    lowered = [w.lower() for w in words]
    if lowered[-1] in ("or_other", "or other") or lowered[-2:] == ["or", "other"]:
        cut = 2 if lowered[-2:] == ["or", "other"] else 1
        words, lowered = words[:-cut], lowered[:-cut]
    joined = " ".join(lowered)
    for prefix, kind in (
        ("select_one_from_file", "select_one_from_file"),
        ("select one from file", "select_one_from_file"),
        ("select_multiple_from_file", "select_multiple_from_file"),
        ("select multiple from file", "select_multiple_from_file"),
        ("select all that apply from", "select_multiple"),
        ("select all that apply", "select_multiple"),
        ("select_multiple", "select_multiple"),
        ("select one from", "select_one"),
        ("select one", "select_one"),
        ("select_one", "select_one"),
        ("select1", "select_one"),
        ("begin group", "begin_group"),
        ("begin repeat", "begin_repeat"),
        ("end group", "end_group"),
        ("end repeat", "end_repeat"),
    ):
        if joined == prefix or joined.startswith(prefix + " "):
            rest = words[len(prefix.split()) :]
            return kind, (rest[0] if rest else "")
    return lowered[0], (words[1] if len(words) > 1 else "")


def read_xlsform(
    data: bytes, *, keep: tuple[str, ...] = (), missing: tuple[str, ...] = ()
) -> ReadResult:
    """``keep`` and ``missing`` (choice names) override, for every question, what the form says
    about "don't know" codes (the command line's ``--keep-codes`` / ``--missing-codes``)."""
    sheet_names: list[str] = []
    try:
        reader = _xls_sheets if file_type(data) == ".xls" else _xlsx_sheets
        sheets = reader(data, sheet_names)
    except Exception as error:  # a damaged file raises many kinds of errors  # noqa: BLE001
        raise XLSFormError(Message(NOT_READABLE)) from error
    survey_sheet = sheets.get("survey")
    if survey_sheet is None or not survey_sheet.headers:
        raise XLSFormError(Message(NO_SURVEY))
    for required in ("type", "name"):
        if required not in survey_sheet.keys:
            raise XLSFormError(Message(NO_COLUMN, {"column": required}))
    warnings: list[str] = []
    _validate_with_pyxform(_pyxform_book(sheets, sheet_names), warnings)

    choices: dict[str, list[tuple[str, dict[str, str]]]] = {}
    for number, row in sheets["choices"].rows if "choices" in sheets else []:
        list_name = row.get("list_name", "")
        if not list_name or not row.get("name"):
            raise XLSFormError(Message(CHOICE_NAMES, {"row": number}))
        choices.setdefault(list_name, []).append((row["name"], row))

    items: list[Item] = []
    repeat_depth = 0
    for number, row in survey_sheet.rows:
        kind, list_name = parse_type(row.get("type", ""))
        if not kind:
            continue
        name = row.get("name", "")
        if kind == "begin_repeat":
            repeat_depth += 1
            warnings.append(str(Message(REPEAT_IGNORED, {"row": number, "name": name})))
            continue
        if kind == "end_repeat":
            repeat_depth -= 1
            continue
        if repeat_depth or kind in ("begin_group", "end_group") or kind in SKIPPED:
            continue
        indices = tuple(_split(row.get("fortalece_indices", "")))
        listed = choices.get(list_name, []) if kind in ("select_one", "select_multiple") else []
        options = tuple((n, (_labels(r) or (("default", n),))[0][1]) for n, r in listed)
        if kind == "select_multiple" and indices:
            warnings.append(str(Message(MULTIPLE_IGNORED, {"row": number, "name": name})))
            indices = ()
        correct = row.get("fortalece_correct") or None
        if indices and kind not in ("select_one", "integer", "decimal"):
            raise XLSFormError(Message(NOT_SCORABLE, {"row": number, "name": name, "type": kind}))
        declared = (*_split(row.get("fortalece_missing", "")), *missing)
        labels = _labels(row)
        common: dict[str, Any] = {
            "level": _level(row, "survey", number),
            "indices": indices,
            "choices": options,
            "choice_labels": tuple((n, k, t) for n, r in listed for k, t in _labels(r)),
            "labels": labels,
            "xls_type": kind,
        }
        if indices and correct:
            item = Item(
                name, kind="knowledge", correct=correct, missing_codes=tuple(declared), **common
            )
        elif indices:
            if not listed:
                raise XLSFormError(
                    Message(NO_CHOICES, {"row": number, "name": name, "list": list_name or "—"})
                )
            try:
                scale = derive_scale(
                    [(n, [t for _, t in _labels(r)]) for n, r in listed],
                    declared_missing=declared,
                    keep=(*_split(row.get("fortalece_keep", "")), *keep),
                    order=_split(row.get("fortalece_order", "")),
                )
            except ScaleError as error:
                raise XLSFormError(
                    Message(
                        BAD_SCALE,
                        {
                            "row": number,
                            "name": name,
                            "list": list_name,
                            "why": error.message,
                        },
                    )
                ) from error
            item = Item(
                name,
                kind="likert",
                scale_min=scale.low,
                scale_max=scale.high,
                missing_codes=scale.missing,
                reverse=row.get("fortalece_reverse", "").lower() in YES,
                values=scale.values,
                special=scale.special,
                **common,
            )
        else:
            item = Item(name, kind="background", **common)
        items.append(item)

    # The first label (the form's default language) names the item in reports.
    items = [
        dataclasses.replace(i, label=i.labels[0][1]) if i.labels and not i.label else i
        for i in items
    ]
    indices_found = {code for item in items for code in item.indices}
    defined = []
    for number, row in sheets[INDEX_SHEET].rows if INDEX_SHEET in sheets else []:
        code = row.get("code", "")
        if not code:
            raise XLSFormError(Message(EMPTY_CODE, {"row": number}))
        try:
            share = float(row.get("min_share") or 0.5)
        except ValueError as error:
            raise XLSFormError(
                Message(BAD_SHARE, {"row": number, "value": row.get("min_share")})
            ) from error
        components = tuple(_split(row.get("components", "")))
        labels = tuple((k, v) for k, v in _labels(row) if k != "default")
        defined.append(
            Index(
                code,
                row.get("label") or (labels[0][1] if labels else code),
                share,
                components,
                labels,
                _level(row, INDEX_SHEET, number),
            )
        )
    known = {i.code for i in defined}
    defined += [Index(code, code) for code in sorted(indices_found - known)]
    setting = (
        sheets["settings"].rows[0][1] if "settings" in sheets and sheets["settings"].rows else {}
    )
    instrument = Instrument(
        title=setting.get("form_title", "") or "Instrument",
        version=setting.get("version", "") or "1",
        items=items,
        indices=defined,
        source={
            key: {"headers": sheet.headers, "rows": [texts for _, texts in sheet.raw]}
            for key, sheet in sheets.items()
            if key in SHEETS
        },
    )
    try:
        instrument.validate()
    except InstrumentError as error:
        raise XLSFormError(error.message) from error
    return ReadResult(instrument, warnings, set_aside_messages(set_aside(instrument)))


def _level(row: dict[str, str], sheet: str, number: int) -> str:
    try:
        return parse_level(row.get("fortalece_level", ""))
    except InstrumentError as error:
        raise XLSFormError(
            Message(BAD_LEVEL, {"sheet": sheet, "row": number, "why": error.message})
        ) from error


def _plain(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def _declared_missing(item: Item) -> list[str]:
    detected = {name for name, _, _ in item.special}
    return [c for c in item.missing_codes if c not in detected]


def _scoring_cells(item: Item) -> dict[str, str]:
    return {
        "fortalece_indices": ",".join(item.indices),
        "fortalece_reverse": "yes" if item.reverse else "",
        "fortalece_correct": item.correct or "",
        "fortalece_missing": ",".join(_declared_missing(item)),
        "fortalece_order": ",".join(n for n, _ in item.values),
        "fortalece_level": item.level,
    }


def _generated_rows(
    item: Item, languages: list[str]
) -> tuple[str, dict[str, str], list[list[str]]]:
    """Type, label cells and choice rows for an item that is not in the form's source."""
    labels = dict(item.labels)
    texts = {
        (f"label::{lang}" if lang != "default" else "label"): labels.get(
            lang, labels.get("default", item.label or item.name)
        )
        for lang in languages
    }
    choice_rows: list[list[str]] = []
    if item.choices:
        list_name = f"{item.name}_choices"
        kind = f"select_one {list_name}"
        choice_rows = [[list_name, name, label] for name, label in item.choices]
    elif item.kind == "likert":
        list_name = f"{item.name}_choices"
        kind = f"select_one {list_name}"
        choice_rows = [
            [list_name, str(v), str(v)] for v in range(int(item.scale_min), int(item.scale_max) + 1)
        ] + [[list_name, code, code] for code in item.missing_codes]
    else:
        kind = item.xls_type if item.xls_type in ("integer", "decimal", "date") else "text"
    return kind, texts, choice_rows


def write_xlsform(instrument: Instrument) -> bytes:
    """An XLSForm Kobo/ODK can deploy, carrying the scoring in extra columns.

    A form that was read from a file is written back as it was (every sheet, column and row
    pyxform uses) with the scoring columns brought up to date; questions added since (the
    builder) are appended.
    """
    workbook = Workbook()
    workbook.remove(workbook.active)
    source = instrument.source or {}
    survey_source = source.get("survey", {"headers": [], "rows": []})
    headers = list(survey_source["headers"])
    keys = [normalise_header(h) if h else "" for h in headers]
    languages = sorted({lang for item in instrument.items for lang, _ in item.labels}) or [
        "default"
    ]
    for lang in languages:
        column = "label" if lang == "default" else f"label::{lang}"
        if column not in keys:
            headers.append(column)
            keys.append(column)
    for column in ("type", "name", *SCORING_COLUMNS):
        if column not in keys:
            headers.append(column)
            keys.append(column)
    items = {item.name: item for item in instrument.items}
    written: set[str] = set()
    survey = workbook.create_sheet("survey")
    survey.append(headers)
    for texts in survey_source["rows"]:
        cells = dict(zip(keys, list(texts) + [""] * (len(keys) - len(texts)), strict=True))
        item = items.get(cells.get("name", ""))
        if item is not None and item.name not in written:
            cells.update(_scoring_cells(item))
            written.add(item.name)
        survey.append([cells.get(k, "") for k in keys])

    choices_source = source.get("choices", {"headers": ["list_name", "name", "label"], "rows": []})
    choice_headers = list(choices_source["headers"])
    choice_keys = [normalise_header(h) if h else "" for h in choice_headers]
    for column in ("list_name", "name", "label"):
        if column not in choice_keys and not (
            column == "label" and any(k.startswith("label::") for k in choice_keys)
        ):
            choice_headers.append(column)
            choice_keys.append(column)
    choice_label = (
        "label"
        if "label" in choice_keys
        else next(k for k in choice_keys if k.startswith("label::"))
    )
    choice_rows = [list(r) + [""] * (len(choice_keys) - len(r)) for r in choices_source["rows"]]
    for item in instrument.items:
        if item.name in written:
            continue
        kind, texts, rows = _generated_rows(item, languages)
        cells = {"type": kind, "name": item.name, **texts, **_scoring_cells(item)}
        survey.append([cells.get(k, "") for k in keys])
        for list_name, name, label in rows:
            values = {"list_name": list_name, "name": name}
            values.update(
                {k: label for k in choice_keys if k == "label" or k.startswith("label::")}
            )
            values.setdefault(choice_label, label)
            choice_rows.append([values.get(k, "") for k in choice_keys])
    if choice_rows or "choices" in source:
        sheet = workbook.create_sheet("choices")
        sheet.append(choice_headers)
        for row in choice_rows:
            sheet.append(row)

    settings_source = source.get("settings", {"headers": [], "rows": []})
    setting_headers = list(settings_source["headers"])
    setting_keys = [normalise_header(h) if h else "" for h in setting_headers]
    values = dict(zip(setting_keys, (settings_source["rows"] or [[]])[0], strict=False))
    if not setting_headers:
        setting_headers, setting_keys = ["form_title", "form_id"], ["form_title", "form_id"]
        values["form_id"] = "fortalece_instrument"
    if "version" not in setting_keys:
        setting_headers.append("version")
        setting_keys.append("version")
    values.update(form_title=instrument.title, version=instrument.version)
    settings = workbook.create_sheet("settings")
    settings.append(setting_headers)
    settings.append([values.get(k, "") for k in setting_keys])
    for name in ("external_choices", "entities", "osm"):
        if name in source:
            extra = workbook.create_sheet(name)
            extra.append(source[name]["headers"])
            for texts in source[name]["rows"]:
                extra.append(list(texts))

    indices = workbook.create_sheet(INDEX_SHEET)
    index_languages = sorted({lang for index in instrument.indices for lang, _ in index.labels})
    indices.append(
        [
            "code",
            "label",
            *[f"label::{lang}" for lang in index_languages],
            "min_share",
            "components",
            "fortalece_level",
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
                index.level,
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
