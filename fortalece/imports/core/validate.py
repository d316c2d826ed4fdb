"""Row validation: every problem names the row (as numbered in the file), the column and why.

Messages are English templates with ``%(name)s`` placeholders, marked with ``gettext_noop`` so
that the Django layer can translate them (this module imports nothing from Django).
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from fortalece.imports.core.reader import column_letter
from fortalece.imports.core.vocab import PRESENT, PROFESSION, SEX, STATUS, lookup

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def gettext_noop(message: str) -> str:
    """Marks a message for translation (extracted by makemessages) without translating it."""
    return message


EMPTY = gettext_noop("%(field)s is empty.")
BAD_SEX = gettext_noop("'%(value)s' is not a recognised sex — use F, M, Otro or No especificado.")
BAD_PROFESSION = gettext_noop(
    "'%(value)s' is not a recognised profession — use e.g. Policía, Operador 911, Fiscal, Juez."
)
NO_PERSON = gettext_noop("No email and no full name: the person cannot be found.")
BAD_EMAIL = gettext_noop("'%(value)s' is not an email address.")
BAD_STATUS = gettext_noop(
    "'%(value)s' is not a recognised status — use inscrito, concluyó or baja."
)
BAD_PRESENT = gettext_noop("'%(value)s' is not a recognised mark — use 1/0, sí/no or P/A.")
FIELD_NAMES = {
    "given_names": gettext_noop("The given name"),
    "family_names": gettext_noop("The family name"),
    "institution": gettext_noop("The institution"),
}


@dataclass
class RowError:
    row: int
    column: str
    message: str
    params: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "params": self.params,
        }


@dataclass
class CleanRow:
    row: int
    values: dict[str, Any] = field(default_factory=dict)


class _Row:
    def __init__(self, number: int, raw: list[str], headers: list[str], mapping: dict[str, int]):
        self.number, self.raw, self.headers, self.mapping = number, raw, headers, mapping
        self.errors: list[RowError] = []

    def get(self, key: str) -> str:
        index = self.mapping.get(key)
        if index is None or index >= len(self.raw):
            return ""
        return self.raw[index].strip()

    def column(self, key: str) -> str:
        index = self.mapping.get(key, 0)
        return (
            f"{column_letter(index)} ({self.headers[index]})"
            if self.headers
            else column_letter(index)
        )

    def error(self, key: str, message: str, **params: str) -> None:
        self.errors.append(RowError(self.number, self.column(key), message, params))

    def need(self, key: str) -> str:
        value = self.get(key)
        if key in self.mapping and not value:
            self.error(key, EMPTY, field=FIELD_NAMES.get(key, key))
        return value

    def coded(self, key: str, vocabulary: dict[str, Any], message: str) -> Any:
        text = self.get(key)
        code = lookup(vocabulary, text) if text else None
        if code is None:
            self.error(key, message, value=text)
        return code


def _clean(row: _Row, kind: str) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if kind == "people":
        for key in ("given_names", "family_names", "institution"):
            values[key] = row.need(key)
        values["sex"] = row.coded("sex", SEX, BAD_SEX)
        values["profession"] = row.coded("profession", PROFESSION, BAD_PROFESSION)
        values["state"] = row.get("state")
        values["rank"] = row.get("rank")[:120]
        values["phone"] = row.get("phone")[:32]
    else:
        for key in ("given_names", "family_names", "institution"):
            values[key] = row.get(key)
        if not row.get("email") and not (values["given_names"] and values["family_names"]):
            row.error("email" if "email" in row.mapping else "given_names", NO_PERSON)
    email = row.get("email").lower()
    if email and not EMAIL.match(email):
        row.error("email", BAD_EMAIL, value=email)
    values["email"] = email
    if kind == "enrolments":
        values["status"] = (
            row.coded("status", STATUS, BAD_STATUS) if row.get("status") else "enrolled"
        )
        # For people the import may add: checked when given, required only for a new person.
        values["sex"] = row.coded("sex", SEX, BAD_SEX) if row.get("sex") else ""
        values["profession"] = (
            row.coded("profession", PROFESSION, BAD_PROFESSION) if row.get("profession") else ""
        )
        values["state"] = row.get("state")
        values["rank"] = row.get("rank")[:120]
        values["phone"] = row.get("phone")[:32]
    if kind == "attendance":
        present = lookup(PRESENT, row.get("present"))
        if present is None:
            row.error("present", BAD_PRESENT, value=row.get("present"))
        values["present"] = present
    return values


def clean_rows(
    rows: Iterable[list[str]], headers: list[str], mapping: dict[str, int], kind: str
) -> Iterator[CleanRow | RowError]:
    """Yield a clean row, or the errors of a row (the first data row is row 2)."""
    for number, raw in enumerate(rows, start=2):
        if not any(cell.strip() for cell in raw):
            continue  # blank lines are skipped
        row = _Row(number, raw, headers, mapping)
        values = _clean(row, kind)
        if row.errors:
            yield from row.errors
        else:
            yield CleanRow(number, values)
