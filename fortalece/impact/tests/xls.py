"""A tiny writer of legacy Excel 97–2003 (.xls, BIFF8) files, for test fixtures only.

No .xls writer ships in the environment (xlwt is not installed, LibreOffice neither), and the
forms KoboToolbox and older ODK tools hand out are .xls. This writes the smallest file xlrd and
pyxform read: an OLE2 compound document holding one ``Workbook`` stream with a BOF, one
BOUNDSHEET per sheet and EOF, then per sheet BOF, DIMENSIONS, one LABEL (text) or NUMBER cell
per value and EOF. Numbers are written as numbers, as Excel would.
"""

import struct
from collections.abc import Sequence
from typing import Any

END = 0xFFFFFFFE
FREE = 0xFFFFFFFF
FAT = 0xFFFFFFFD
NONE = 0xFFFFFFFF
SECTOR = 512


def _record(kind: int, body: bytes) -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def _bof(kind: int) -> bytes:
    return _record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 6))


def _cell(row: int, column: int, value: Any) -> bytes:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _record(0x0203, struct.pack("<HHHd", row, column, 15, float(value)))
    text = str(value).encode("utf-16-le")
    return _record(0x0204, struct.pack("<HHHHB", row, column, 15, len(text) // 2, 1) + text)


def _sheet(rows: Sequence[Sequence[Any]]) -> bytes:
    width = max((len(r) for r in rows), default=0)
    body = _bof(0x0010) + _record(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, width, 0))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None and value != "":
                body += _cell(r, c, value)
    return body + _record(0x000A, b"")


def _workbook_stream(sheets: dict[str, Sequence[Sequence[Any]]]) -> bytes:
    names = list(sheets)
    bodies = [_sheet(sheets[n]) for n in names]

    def boundsheet(name: str, offset: int) -> bytes:
        text = name.encode("utf-16-le")
        return _record(0x0085, struct.pack("<IBBBB", offset, 0, 0, len(name), 1) + text)

    # Sixteen cell formats (XF records), all "General": xlrd types cells through them.
    xf = b"".join(
        _record(
            0x00E0,
            struct.pack("<HHHBBBBIIH", 0, 0, 0xFFF5 if i < 15 else 1, 0x20, 0, 0, 0, 0, 0, 0x20C0),
        )
        for i in range(16)
    )
    globals_size = len(_bof(0x0005)) + len(xf) + sum(len(boundsheet(n, 0)) for n in names) + 4
    offsets, position = [], globals_size
    for body in bodies:
        offsets.append(position)
        position += len(body)
    stream = _bof(0x0005) + xf
    stream += b"".join(boundsheet(n, o) for n, o in zip(names, offsets, strict=True))
    stream += _record(0x000A, b"") + b"".join(bodies)
    return stream


def _entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
    encoded = (name + "\0").encode("utf-16-le") if name else b""
    return (
        encoded.ljust(64, b"\0")
        + struct.pack("<HBB", len(encoded), kind, 1)
        + struct.pack("<III", NONE, NONE, child)
        + b"\0" * 16
        + b"\0" * 4
        + b"\0" * 16
        + struct.pack("<III", start, size, 0)
    )


def xls_bytes(sheets: dict[str, Sequence[Sequence[Any]]]) -> bytes:
    """An .xls file with the given sheets (name → rows of values)."""
    stream = _workbook_stream(sheets)
    stream = stream.ljust(max(4096, -(-len(stream) // SECTOR) * SECTOR), b"\0")
    count = len(stream) // SECTOR
    if count > 126:
        raise ValueError("Fixture too large for a one-sector FAT.")
    fat = [FAT, END] + [3 + i for i in range(count - 1)] + [END]
    fat += [FREE] * (128 - len(fat))
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x003E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, END, 0, END, 0)
        + struct.pack("<I", 0)
        + struct.pack("<I", FREE) * 108
    )
    directory = (
        _entry("Root Entry", 5, 1, END, 0)
        + _entry("Workbook", 2, NONE, 2, len(stream))
        + _entry("", 0, NONE, 0, 0) * 2
    )
    return header + struct.pack("<128I", *fat) + directory + stream
