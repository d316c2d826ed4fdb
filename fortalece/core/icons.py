"""The installed app's icons, drawn here (no third-party art, no image library): a rounded
square in the brand purple with a white "F" made of three bars, written as PNG with zlib.

``fortalece app_icons`` writes them to ``core/static/fortalece/icons/``; a test checks the
committed files are what this draws.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

PURPLE = (0x5B, 0x2A, 0x86)
WHITE = (0xFF, 0xFF, 0xFF)
# (file name, size in pixels, maskable): maskable icons keep the mark inside the safe zone
# (the central 80 %) and fill the whole square, as launchers crop them to their own shape.
ICONS = [
    ("icon-192.png", 192, False),
    ("icon-512.png", 512, False),
    ("icon-maskable-512.png", 512, True),
    ("apple-touch-icon-180.png", 180, True),
    ("badge-96.png", 96, False),
]
FOLDER = Path(__file__).resolve().parent / "static" / "fortalece" / "icons"


def _inside_rounded_square(x: float, y: float, size: int, radius: float) -> bool:
    near_x = min(max(x, radius), size - radius)
    near_y = min(max(y, radius), size - radius)
    return (x - near_x) ** 2 + (y - near_y) ** 2 <= radius**2


def _bars(size: int, maskable: bool) -> list[tuple[float, float, float, float]]:
    """The "F": a stem and two arms, as (left, top, right, bottom) in pixels."""
    box = size * (0.56 if maskable else 0.7)  # the mark's square, centred
    left, top = (size - box) / 2, (size - box) / 2
    unit = box / 10
    stem = (left + 2.2 * unit, top + unit, left + 4 * unit, top + 9 * unit)
    arm = (left + 2.2 * unit, top + unit, left + 8 * unit, top + 2.8 * unit)
    middle = (left + 2.2 * unit, top + 4.3 * unit, left + 7 * unit, top + 6 * unit)
    return [stem, arm, middle]


def draw(size: int, *, maskable: bool = False) -> list[list[tuple[int, int, int, int]]]:
    """RGBA rows of the icon."""
    radius = 0 if maskable else size * 0.18
    bars = _bars(size, maskable)
    rows = []
    for py in range(size):
        row = []
        y = py + 0.5
        for px in range(size):
            x = px + 0.5
            if maskable or _inside_rounded_square(x, y, size, radius):
                in_bar = any(a <= x < c and b <= y < d for a, b, c, d in bars)
                row.append((*(WHITE if in_bar else PURPLE), 255))
            else:
                row.append((0, 0, 0, 0))
        rows.append(row)
    return rows


def png(rows: list[list[tuple[int, int, int, int]]]) -> bytes:
    height, width = len(rows), len(rows[0])
    raw = b"".join(b"\x00" + bytes(v for pixel in row for v in pixel) for row in rows)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def icon_bytes(size: int, maskable: bool) -> bytes:
    return png(draw(size, maskable=maskable))


def write_all(folder: Path = FOLDER) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, size, maskable in ICONS:
        path = folder / name
        path.write_bytes(icon_bytes(size, maskable))
        written.append(path)
    return written
