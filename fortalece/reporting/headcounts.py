"""Reading a headcount file (pure Python, no Django): one row per institution, date,
profession and sex with the number of people employed.

Columns (Spanish or English names): institution (its name or number), as of (a date),
profession, sex, people. Every problem is reported with its row and column; the caller
saves nothing unless there are none (all-or-nothing).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from fortalece.imports.core.reader import column_letter
from fortalece.imports.core.vocab import fold, lookup


def gettext_noop(message: str) -> str:
    return message


MAX_COUNT = 10_000_000
COLUMNS: dict[str, tuple[str, ...]] = {
    "institution": ("institution", "institucion", "dependencia", "institution id"),
    "as_of": ("as of", "date", "fecha", "fecha de corte", "al"),
    "profession": ("profession", "profesion", "puesto", "cargo"),
    "sex": ("sex", "sexo"),
    "count": ("people", "count", "headcount", "personas", "plantilla", "numero", "total"),
}


@dataclass(frozen=True)
class Problem:
    row: int | None  # the file's row number (2 is the first data row); None: the header
    column: str  # spreadsheet letter, or "" for the whole row
    message: str  # English msgid with %(name)s placeholders
    params: tuple[tuple[str, str], ...] = ()

    def text(self, translate: object = None) -> str:
        message = translate(self.message) if callable(translate) else self.message
        return str(message) % dict(self.params) if self.params else str(message)


@dataclass(frozen=True)
class Line:
    row: int
    institution_id: int
    as_of: datetime.date
    profession: str
    sex: str
    count: int


def map_columns(headers: list[str]) -> tuple[dict[str, int], list[Problem]]:
    """Which column holds what; unknown, repeated or missing columns are problems."""
    found: dict[str, int] = {}
    problems = []
    for index, header in enumerate(headers):
        key = fold(header)
        field = next((name for name, words in COLUMNS.items() if key in words), None)
        letter = column_letter(index)
        if not key:
            continue
        if field is None:
            problems.append(
                Problem(
                    None,
                    letter,
                    gettext_noop("Unknown column “%(name)s”."),
                    (("name", header),),
                )
            )
        elif field in found:
            problems.append(
                Problem(
                    None,
                    letter,
                    gettext_noop("Column “%(name)s” appears twice."),
                    (("name", header),),
                )
            )
        else:
            found[field] = index
    problems.extend(
        Problem(None, "", gettext_noop("The column “%(name)s” is missing."), (("name", words[0]),))
        for field, words in COLUMNS.items()
        if field not in found
    )
    return found, problems


def parse_date(value: str) -> datetime.date | None:
    """ISO (2026-03-31) or day first (31/03/2026), as Mexican spreadsheets write dates."""
    value = value.strip()[:10]
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.datetime.strptime(value, pattern).date()  # noqa: DTZ007 - a date
        except ValueError:
            continue
    return None


def parse(
    headers: list[str],
    rows: Iterable[list[str]],
    *,
    institutions: Mapping[str, int | None],
    professions: Mapping[str, str],
    sexes: Mapping[str, str],
    max_rows: int = 5000,
) -> tuple[list[Line], list[Problem]]:
    """Clean lines and problems. ``institutions`` maps a folded name or a number to an
    institution id (``None``: that name is shared by several, so it is ambiguous)."""
    columns, problems = map_columns(headers)
    if problems:
        return [], problems
    lines: list[Line] = []
    seen: dict[tuple[int, datetime.date, str, str], int] = {}
    for offset, row in enumerate(rows):
        number = offset + 2
        if offset >= max_rows:
            problems.append(
                Problem(
                    number,
                    "",
                    gettext_noop("More than %(n)s rows: split the file."),
                    (("n", str(max_rows)),),
                )
            )
            break
        cells = {field: (row[i] if i < len(row) else "").strip() for field, i in columns.items()}
        if not any(cells.values()):
            continue
        letter = {field: column_letter(i) for field, i in columns.items()}
        before = len(problems)
        raw = cells["institution"]
        institution = institutions.get(raw if raw.isdigit() else fold(raw), 0)
        if institution is None:
            problems.append(
                Problem(
                    number,
                    letter["institution"],
                    gettext_noop("Several institutions are called “%(name)s”: use its number."),
                    (("name", raw),),
                )
            )
        elif not institution:
            problems.append(
                Problem(
                    number,
                    letter["institution"],
                    gettext_noop("No institution you may record is called “%(name)s”."),
                    (("name", raw),),
                )
            )
        as_of = parse_date(cells["as_of"])
        if as_of is None:
            problems.append(
                Problem(
                    number,
                    letter["as_of"],
                    gettext_noop("“%(value)s” is not a date (write 2026-03-31 or 31/03/2026)."),
                    (("value", cells["as_of"]),),
                )
            )
        profession = professions.get(cells["profession"]) or lookup(
            professions, cells["profession"]
        )
        if not profession:
            problems.append(
                Problem(
                    number,
                    letter["profession"],
                    gettext_noop("Unknown profession “%(value)s”."),
                    (("value", cells["profession"]),),
                )
            )
        sex = sexes.get(cells["sex"]) or lookup(sexes, cells["sex"])
        if not sex:
            problems.append(
                Problem(
                    number,
                    letter["sex"],
                    gettext_noop("Unknown sex “%(value)s”."),
                    (("value", cells["sex"]),),
                )
            )
        text = cells["count"].replace(",", "").replace(" ", "")
        count = int(text) if text.isascii() and text.isdigit() and len(text) < 9 else None
        if count is None or count > MAX_COUNT:
            problems.append(
                Problem(
                    number,
                    letter["count"],
                    gettext_noop("“%(value)s” is not a whole number of people."),
                    (("value", cells["count"]),),
                )
            )
        if len(problems) > before:
            continue
        assert institution and as_of and count is not None  # noqa: S101 - checked above
        key = (institution, as_of, profession, sex)
        if key in seen:
            problems.append(
                Problem(
                    number,
                    "",
                    gettext_noop("The same institution, date, profession and sex as row %(row)s."),
                    (("row", str(seen[key])),),
                )
            )
            continue
        seen[key] = number
        lines.append(Line(number, institution, as_of, profession, sex, count))
    return lines, problems
