"""Server-drawn SVG maps: a tile grid of Mexico's 32 states and a grid of countries. Pure
Python (no Django, no map server, no third-party tiles).

Each place is one square, placed roughly where it lies, coloured on a five-step sequential
purple scale (light = few, dark = many; readable in greyscale and by people with
colour-vision deficiency, since only lightness changes). A hidden (suppressed) value is drawn
hatched grey and labelled "hidden"; a place with nobody is white. Labels switch to white on
the two darkest steps so they keep enough contrast.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

# ISO 3166-2 suffix -> (column, row) on the tile grid, north-west at (0, 0).
MEXICO_TILES: dict[str, tuple[int, int]] = {
    "BCN": (0, 0), "SON": (1, 0), "CHH": (2, 0), "COA": (3, 0), "NLE": (4, 0), "TAM": (5, 0),
    "BCS": (0, 1), "SIN": (1, 1), "DUR": (2, 1), "ZAC": (3, 1), "SLP": (4, 1),
    "NAY": (1, 2), "AGU": (2, 2), "GUA": (3, 2), "QUE": (4, 2), "HID": (5, 2), "VER": (6, 2),
    "YUC": (8, 2),
    "JAL": (1, 3), "MIC": (2, 3), "MEX": (3, 3), "CMX": (4, 3), "TLA": (5, 3), "PUE": (6, 3),
    "TAB": (7, 3), "CAM": (8, 3), "ROO": (9, 3),
    "COL": (1, 4), "GRO": (3, 4), "MOR": (4, 4), "OAX": (5, 4), "CHP": (6, 4),
}  # fmt: skip
# Light to dark purple; the last two take white labels.
SCALE = ("#f2eef7", "#d4c4e6", "#a98bcc", "#7550a8", "#4b2680")
HIDDEN_FILL = "url(#hatch)"
TILE = 56
GAP = 4


@dataclass(frozen=True)
class Place:
    code: str  # what is written on the tile (e.g. "MIC", "NAM")
    name: str  # the full name, for the tooltip and the screen-reader description
    value: int | None  # None: hidden


def _text(value: object) -> str:
    return escape(str(value), {'"': "&quot;"})


def breaks(values: Sequence[int], steps: int = len(SCALE)) -> list[int]:
    """Upper bounds of ``steps`` classes of equal width from 1 to the largest value, rounded
    to readable numbers (a legend of 1–20, 21–40 … rather than 1–17.4)."""
    top = max([v for v in values if v > 0], default=0)
    if top == 0:
        return []
    width = max(1, -(-top // steps))
    magnitude = 10 ** (len(str(width)) - 1)
    for nice in (1, 2, 5, 10):
        if width <= nice * magnitude:
            width = nice * magnitude
            break
    return [width * (k + 1) for k in range(steps)]


def colour(value: int | None, bounds: Sequence[int]) -> str:
    if value is None:
        return HIDDEN_FILL
    if value <= 0 or not bounds:
        return "#ffffff"
    for step, upper in enumerate(bounds):
        if value <= upper:
            return SCALE[step]
    return SCALE[-1]


def _number(value: int) -> str:
    return f"{value:,}"


def tile_map(
    places: Sequence[Place],
    positions: Mapping[str, tuple[int, int]],
    *,
    title: str,
    hidden_label: str = "hidden",
    legend_title: str = "People",
) -> str:
    """Tiles at ``positions`` (codes without a position are left out), a legend below."""
    placed = [(p, positions[p.code]) for p in places if p.code in positions]
    columns = max((x for _, (x, _) in placed), default=0) + 1
    rows = max((y for _, (_, y) in placed), default=0) + 1
    bounds = breaks([p.value for p, _ in placed if p.value is not None])
    key_width = 64
    width = max(columns * (TILE + GAP), 70 + (len(bounds) + 1) * key_width)
    legend_y = rows * (TILE + GAP) + 10
    height = legend_y + 40
    description = "; ".join(
        f"{p.name}: {hidden_label if p.value is None else _number(p.value)}" for p, _ in placed
    )
    ident = f"map-{zlib.crc32(repr((title, description)).encode()):08x}"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{ident}-t {ident}-d" class="tile-map">',
        f'<title id="{ident}-t">{_text(title)}</title>',
        f'<desc id="{ident}-d">{_text(description)}</desc>',
        f'<defs><pattern id="{ident}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#e6e6e6"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#9a9a9a" stroke-width="2"/></pattern></defs>',
    ]
    for place, (x, y) in placed:
        fill = colour(place.value, bounds).replace("#hatch", f"#{ident}-hatch")
        dark = fill in SCALE[-2:]
        ink = "#ffffff" if dark else "#1d1b20"
        shown = hidden_label if place.value is None else _number(place.value)
        left, top = x * (TILE + GAP), y * (TILE + GAP)
        out.append(
            f"<g><title>{_text(place.name)}: {_text(shown)}</title>"
            f'<rect x="{left}" y="{top}" width="{TILE}" height="{TILE}" rx="4" fill="{fill}" '
            f'stroke="#5a5663" stroke-width="1"/>'
            f'<text x="{left + TILE / 2}" y="{top + 24}" text-anchor="middle" font-size="13" '
            f'font-weight="600" fill="{ink}">{_text(place.code)}</text>'
            f'<text x="{left + TILE / 2}" y="{top + 42}" text-anchor="middle" font-size="11" '
            f'fill="{ink}">{_text(shown)}</text></g>'
        )
    out.append(
        f'<text x="0" y="{legend_y + 10}" font-size="11" fill="#1d1b20">'
        f"{_text(legend_title)}</text>"
    )
    lower = 1
    for step, upper in enumerate(bounds):
        left = 70 + step * key_width
        out.append(
            f'<rect x="{left}" y="{legend_y}" width="{key_width - 4}" height="12" '
            f'fill="{SCALE[step]}" stroke="#5a5663" stroke-width="0.5"/>'
            f'<text x="{left}" y="{legend_y + 26}" font-size="10" fill="#1d1b20">'
            f"{_number(lower)}–{_number(upper)}</text>"
        )
        lower = upper + 1
    left = 70 + len(bounds) * key_width
    out.append(
        f'<rect x="{left}" y="{legend_y}" width="{key_width - 4}" height="12" '
        f'fill="url(#{ident}-hatch)" stroke="#5a5663" stroke-width="0.5"/>'
        f'<text x="{left}" y="{legend_y + 26}" '
        f'font-size="10" fill="#1d1b20">{_text(hidden_label)}</text>'
    )
    out.append("</svg>")
    return "".join(out)


def country_positions(codes: Sequence[str], per_row: int = 8) -> dict[str, tuple[int, int]]:
    """Countries in alphabetical order of their codes, ``per_row`` to a row."""
    return {code: (n % per_row, n // per_row) for n, code in enumerate(sorted(codes))}
