"""Reading CSV (any common delimiter/encoding) and XLSX files as header + row iterators."""

import codecs
import csv
import datetime
import io
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from openpyxl import load_workbook


class FileProblem(ValueError):
    """The file cannot be read at all (wrong type, empty, no header, too big).

    ``message`` is the English text (a msgid); ``params`` fill its ``%(name)s`` placeholders
    after translation.
    """

    def __init__(self, message: str, params: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.params = params or {}

    def __str__(self) -> str:
        return self.message % self.params if self.params else self.message


@dataclass
class Table:
    headers: list[str]
    rows: Iterator[list[str]]  # data rows only; row 2 of the file is the first


ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")


BLOCK = 1 << 20
# Line ends as ``open(newline="")`` keeps them (the csv module wants exactly those).
_LINE_END = re.compile(r"(?<=\n)|(?<=\r)(?!\n)")


def _encoding(handle: BinaryIO) -> str:
    """The first of ENCODINGS that decodes the whole file, read a block at a time."""
    for encoding in ENCODINGS:
        handle.seek(0)
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            while block := handle.read(BLOCK):
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise FileProblem("The file's text encoding is not recognised: save it as UTF-8 CSV.")


def _lines(handle: BinaryIO, encoding: str) -> Iterator[str]:
    """The file's lines with their line ends, decoded a block at a time: memory stays at a
    block or so whatever the file's size (the whole file was read, decoded and copied at
    once before, three or four times its size)."""
    handle.seek(0)
    decoder = codecs.getincrementaldecoder(encoding)()
    carry = ""
    while True:
        block = handle.read(BLOCK)
        text = carry + decoder.decode(block, final=not block)
        if not block:
            if text:
                yield from (line for line in _LINE_END.split(text) if line)
            return
        hold = ""
        if text.endswith("\r"):  # a CR LF may straddle two blocks
            text, hold = text[:-1], "\r"
        lines = _LINE_END.split(text)
        carry = lines.pop() + hold
        yield from lines


def detect_delimiter(sample: str) -> str:
    first_line = sample.splitlines()[0] if sample else ""
    counts = {d: first_line.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time(0) else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_csv(raw: bytes) -> Table:
    return read_csv_file(io.BytesIO(raw))


def read_csv_file(handle: BinaryIO) -> Table:
    """Read a CSV file lazily from a binary handle (rows are parsed as they are asked for)."""
    lines = _lines(handle, _encoding(handle))
    blank: list[str] = []
    for line in lines:
        if line.strip():
            lines = itertools.chain(blank[:1], [line], lines)  # the header stays row 1
            break
        blank.append(line)
    else:
        raise FileProblem("The file is empty.")
    first = next(lines)
    reader = csv.reader(itertools.chain([first], lines), delimiter=detect_delimiter(first))
    try:
        headers = [h.strip() for h in next(reader)]
    except StopIteration as error:
        raise FileProblem("The file is empty.") from error
    except csv.Error as error:
        raise FileProblem("The file could not be read as CSV: save it again as CSV.") from error
    if not any(headers):
        raise FileProblem("The first row must hold the column names.")
    return Table(headers=headers, rows=_csv_rows(reader))


def _csv_rows(reader: Any) -> Iterator[list[str]]:
    try:
        for row in reader:
            yield [c.strip() for c in row]
    except csv.Error as error:
        raise FileProblem("The file could not be read as CSV: save it again as CSV.") from error


def read_xlsx(handle: BinaryIO, sheet: str | None = None) -> Table:
    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged file
        raise FileProblem("This is not a readable Excel (.xlsx) file.") from error
    worksheet = (
        workbook[sheet] if sheet and sheet in workbook.sheetnames else workbook.worksheets[0]
    )
    rows = worksheet.iter_rows(values_only=True)
    try:
        headers = [_cell(h) for h in next(rows)]
    except StopIteration as error:
        raise FileProblem("The sheet is empty.") from error
    except Exception as error:  # damaged compressed data or XML inside the zip
        raise FileProblem("This is not a readable Excel (.xlsx) file.") from error
    while headers and not headers[-1]:
        headers.pop()
    if not any(headers):
        raise FileProblem("The first row must hold the column names.")
    width = len(headers)
    return Table(headers=headers, rows=_xlsx_rows(rows, width))


def _xlsx_rows(rows: Iterator[tuple[Any, ...]], width: int) -> Iterator[list[str]]:
    """Rows are read lazily: damage found half-way is a clear error too."""
    try:
        for row in rows:
            yield [_cell(v) for v in row[:width]]
    except Exception as error:
        raise FileProblem("This is not a readable Excel (.xlsx) file.") from error


def read_table(name: str, handle: Any) -> Table:
    lower = name.lower()
    if lower.endswith(".xlsx"):
        return read_xlsx(handle)
    if lower.endswith((".csv", ".txt", ".tsv")):
        return read_csv_file(handle)
    raise FileProblem("Upload a .csv or .xlsx file.")


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA (as spreadsheets name columns)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
