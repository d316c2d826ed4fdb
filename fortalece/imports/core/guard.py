"""Refuse spreadsheet bombs before reading them (pure Python, no Django).

An .xlsx file is a zip of XML parts. A 5 MB upload can declare a sheet that inflates to 1.3 GB
(10 million rows): reading it held a web request for minutes and grew the server past 1 GB.
``check_xlsx`` looks only at the zip's directory and the first bytes of the sheet, so it answers
in milliseconds with little memory:

* every part's declared size, and their total, under a limit (Python's zip reader never returns
  more than a part declares, so these limits bound what openpyxl can read);
* no part inflating more than ``max_ratio`` times (deflate bombs);
* the shared strings (all the text cells) under their own limit;
* the sheet's declared dimension (``<dimension ref="A1:Z10000000"/>``) under the row limit.

Entity expansion ("billion laughs") is refused by openpyxl itself through defusedxml.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from typing import BinaryIO

from fortalece.imports.core.reader import FileProblem


def gettext_noop(message: str) -> str:
    """Marks a message for translation (it is translated where it is shown)."""
    return message


_TAG = re.compile(rb"<(/?)[A-Za-z_][^\s/>]*[^>]*?(/?)>")
MAX_DEPTH = 32  # a worksheet nests about 7 deep (worksheet/sheetData/row/c/is/r/t)


def _depth(head: bytes) -> int:
    depth = deepest = 0
    for closing, empty in _TAG.findall(head):
        if closing:
            depth -= 1
        elif not empty:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]+\d+(?::[A-Z]+(\d+))?"')


@dataclass(frozen=True)
class Limits:
    max_total_bytes: int = 200 * 1024 * 1024  # all parts, uncompressed
    max_part_bytes: int = 150 * 1024 * 1024
    max_shared_strings_bytes: int = 50 * 1024 * 1024
    max_ratio: int = 200  # uncompressed / compressed, for parts over 1 MB
    max_parts: int = 2000
    max_rows: int = 100_000


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB"


def check_xlsx(handle: BinaryIO, limits: Limits | None = None) -> int | None:
    """Raise ``FileProblem`` for a file too big to read safely; returns the declared number of
    rows of the first sheet when it says (else None). Leaves ``handle`` at its start."""
    limits = limits or Limits()
    handle.seek(0)
    try:
        archive = zipfile.ZipFile(handle)
    # NotImplementedError: a damaged header that names a zip version or method zipfile lacks
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as error:
        raise FileProblem(gettext_noop("This is not a readable Excel (.xlsx) file.")) from error
    try:
        infos = archive.infolist()
        if len(infos) > limits.max_parts:
            raise FileProblem(
                gettext_noop("This Excel file has too many parts to be a spreadsheet.")
            )
        total = 0
        for info in infos:
            total += info.file_size
            if info.file_size > limits.max_part_bytes or total > limits.max_total_bytes:
                raise FileProblem(
                    gettext_noop(
                        "This Excel file expands to more than %(mb)s when opened: split it into "
                        "smaller files."
                    ),
                    {"mb": _mb(limits.max_total_bytes)},
                )
            if info.file_size > 1024 * 1024 and info.file_size > limits.max_ratio * max(
                info.compress_size, 1
            ):
                raise FileProblem(
                    gettext_noop(
                        "This Excel file is compressed in a way no spreadsheet program writes "
                        "(it would expand %(ratio)s times). Open it and save it again."
                    ),
                    {"ratio": str(info.file_size // max(info.compress_size, 1))},
                )
            if (
                info.filename.lower().endswith("sharedstrings.xml")
                and info.file_size > limits.max_shared_strings_bytes
            ):
                raise FileProblem(
                    gettext_noop(
                        "This Excel file holds more than %(mb)s of text: split it into smaller "
                        "files."
                    ),
                    {"mb": _mb(limits.max_shared_strings_bytes)},
                )
        sheets = sorted(
            i.filename
            for i in infos
            if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", i.filename, re.IGNORECASE)
        )
        rows = None
        shared = [i.filename for i in infos if i.filename.lower() == "xl/sharedstrings.xml"]
        for part in sheets[:1] + shared:
            with archive.open(part) as stream:
                head = stream.read(64 * 1024)
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise FileProblem(
                    gettext_noop(
                        "This Excel file declares XML entities, which no spreadsheet program "
                        "writes. Open it and save it again."
                    )
                )
            if _depth(head) > MAX_DEPTH:
                raise FileProblem(
                    gettext_noop(
                        "This Excel file's sheet is nested in a way no spreadsheet program "
                        "writes. Open it and save it again."
                    )
                )
            match = _DIMENSION.search(head) if part in sheets else None
            if match and match.group(1):
                rows = int(match.group(1))
                if rows - 1 > limits.max_rows:
                    raise FileProblem(
                        gettext_noop(
                            "This file has %(rows)s rows; at most %(max)s can be imported at "
                            "once. Split it into smaller files."
                        ),
                        {"rows": f"{rows - 1:,}", "max": f"{limits.max_rows:,}"},
                    )
        return rows
    except FileProblem:
        raise
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        OSError,
        ValueError,
        NotImplementedError,
    ) as error:
        raise FileProblem(gettext_noop("This is not a readable Excel (.xlsx) file.")) from error
    finally:
        archive.close()
        handle.seek(0)
