"""Server-rendered SVG charts: accessible, no JavaScript, CSP-friendly. Pure Python."""

import zlib
from collections.abc import Sequence
from xml.sax.saxutils import escape

PURPLE = "#5b2a86"
MUTED = "#5a5663"
LABEL_HALF = 28  # half the width of a "2021-11" axis label at the stylesheet's font size


def _text(value: object) -> str:
    return escape(str(value), {'"': "&quot;"})


Value = int | str | None  # a count; a hidden one's mark ("<5", "hidden"); None means "<minimum"


def _shown(value: Value, minimum: int) -> str:
    if value is None:
        return f"<{minimum}"
    return value if isinstance(value, str) else f"{value:,}"


def _open(
    kind: str,
    rows: Sequence[tuple[str, Value]],
    *,
    title: str,
    description: str | None,
    minimum: int,
    width: int,
    height: int,
) -> str:
    """``<svg>`` with a ``<title>`` and a ``<desc>`` that screen readers announce.

    The ids are derived from the content so that several charts on one page never clash and
    the same chart always renders the same markup.
    """
    if description is None:
        description = "; ".join(f"{label}: {_shown(value, minimum)}" for label, value in rows)
    ident = f"{kind}-{zlib.crc32(repr((title, list(rows))).encode()):08x}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{ident}-t {ident}-d">'
        f'<title id="{ident}-t">{_text(title)}</title>'
        f'<desc id="{ident}-d">{_text(description)}</desc>'
    )


def bar_chart(
    rows: Sequence[tuple[str, Value]],
    *,
    title: str,
    width: int = 420,
    minimum: int = 5,
    description: str | None = None,
) -> str:
    """Horizontal bars with labels and values. A hidden value (its mark, or ``None`` for
    "<minimum") is written without a bar. ``description`` defaults to every label and value."""
    label_width, bar_height, gap = 170, 20, 8
    height = max(1, len(rows)) * (bar_height + gap) + 10
    top = max((v for _, v in rows if isinstance(v, int)), default=0) or 1
    space = width - label_width - 60
    parts = [
        _open(
            "bar",
            rows,
            title=title,
            description=description,
            minimum=minimum,
            width=width,
            height=height,
        )
    ]
    for index, (label, value) in enumerate(rows):
        y = 5 + index * (bar_height + gap)
        short = label if len(label) <= 19 else label[:18] + "…"
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 13}" text-anchor="end">{_text(short)}</text>'
        )
        if not isinstance(value, int):
            parts.append(
                f'<text x="{label_width}" y="{y + 13}" fill="{MUTED}">'
                f"{_text(_shown(value, minimum))}</text>"
            )
            continue
        bar = round(space * value / top, 1)
        parts.append(
            f'<rect x="{label_width}" y="{y}" width="{max(bar, 1)}" height="{bar_height}" '
            f'rx="3" fill="{PURPLE}"></rect>'
        )
        parts.append(f'<text x="{label_width + bar + 6}" y="{y + 13}">{value:,}</text>')
    parts.append("</svg>")
    return "".join(parts)


def column_chart(
    rows: Sequence[tuple[str, Value]],
    *,
    title: str,
    width: int = 420,
    height: int = 200,
    minimum: int = 5,
    description: str | None = None,
) -> str:
    """Vertical columns (e.g. people first reached per month) with a few axis labels.

    A hidden value (a mark, or ``None``) gets a short grey stub, so that a hidden month is not
    mistaken for a month with nobody.
    """
    if not rows:
        return ""
    bottom, left = height - 24, 36
    space = width - left - 10
    step = space / len(rows)
    top = max((v for _, v in rows if isinstance(v, int)), default=0) or 1
    parts = [
        _open(
            "col",
            rows,
            title=title,
            description=description,
            minimum=minimum,
            width=width,
            height=height,
        ),
        f'<line x1="{left}" y1="{bottom}" x2="{width - 10}" y2="{bottom}" stroke="{MUTED}"></line>',
    ]
    # The scale (a line at the largest value), unless every value is hidden.
    if any(isinstance(v, int) and v for _, v in rows):
        parts.append(
            f'<line x1="{left}" y1="20" x2="{width - 10}" y2="20" stroke="{MUTED}" '
            f'stroke-dasharray="2 3"></line><text x="{left}" y="14">{top:,}</text>'
        )
    every = max(1, len(rows) // 5)
    for index, (label, value) in enumerate(rows):
        x = left + index * step
        hidden = not isinstance(value, int)
        h = 3.0 if hidden else round((bottom - 20) * int(value or 0) / top, 1)
        parts.append(
            f'<rect x="{x + step * 0.1:.1f}" y="{bottom - h:.1f}" width="{max(step * 0.8, 1):.1f}" '
            f'height="{h}" fill="{MUTED if hidden else PURPLE}">'
            f"<title>{_text(label)}: {_text(_shown(value, minimum))}</title></rect>"
        )
        centre = x + step / 2
        # Every few columns a label, centred under its column, never cut off at an edge.
        if index % every == 0 and LABEL_HALF <= centre <= width - LABEL_HALF:
            parts.append(
                f'<text x="{centre:.1f}" y="{height - 6}" text-anchor="middle">{_text(label)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def forest_plot(
    rows: Sequence[tuple[str, float, float, float]], *, title: str, unit: str = "", width: int = 420
) -> str:
    """Effects with their confidence intervals (label, effect, low, high), a line at zero."""
    if not rows:
        return ""
    label_width, step = 170, 34
    height = 30 + step * len(rows)
    lo = min(0.0, *(r[2] for r in rows))
    hi = max(0.0, *(r[3] for r in rows))
    span = (hi - lo) or 1.0
    lo, hi = lo - span * 0.05, hi + span * 0.05

    def x(value: float) -> float:
        return label_width + (value - lo) / (hi - lo) * (width - label_width - 12)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img">'
        f"<title>{_text(title)}</title>",
        f'<line x1="{x(0):.1f}" y1="6" x2="{x(0):.1f}" y2="{height - 18}" '
        f'stroke="{MUTED}" stroke-dasharray="3 3"></line>',
        f'<text x="{x(0):.1f}" y="{height - 4}" text-anchor="middle">0</text>',
    ]
    for index, (label, effect, low, high) in enumerate(rows):
        y = 18 + index * step
        short = label if len(label) <= 22 else label[:21] + "…"
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 4}" text-anchor="end">{_text(short)}</text>'
        )
        parts.append(
            f'<line x1="{x(low):.1f}" y1="{y}" x2="{x(high):.1f}" y2="{y}" '
            f'stroke="{PURPLE}" stroke-width="3"></line>'
        )
        parts.append(
            f'<circle cx="{x(effect):.1f}" cy="{y}" r="5" fill="{PURPLE}"><title>{_text(label)}: '
            f"{effect:.1f}{unit} ({low:.1f} to {high:.1f})</title></circle>"
        )
        parts.append(
            f'<text x="{x(effect):.1f}" y="{y - 8}" text-anchor="middle">{effect:.1f}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def distribution_chart(
    treated: Sequence[int],
    comparison: Sequence[int],
    *,
    title: str,
    names: tuple[str, str],
    width: int = 420,
) -> str:
    """Two groups' score distributions (shares per 10-point band, 0–100) as paired columns."""
    if not treated or not comparison:
        return ""
    height, bottom, left = 170, 140, 8
    total_t, total_c = sum(treated) or 1, sum(comparison) or 1
    shares = [(t / total_t, c / total_c) for t, c in zip(treated, comparison, strict=True)]
    top = max(max(pair) for pair in shares) or 1
    step = (width - left * 2) / len(shares)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img"><title>{_text(title)}</title>',
        f'<rect x="{left}" y="2" width="10" height="10" fill="{PURPLE}"></rect><text x="{left + 14}" y="11">{_text(names[0])}</text>',
        f'<rect x="{left + 150}" y="2" width="10" height="10" fill="#b9a3cf"></rect><text x="{left + 164}" y="11">{_text(names[1])}</text>',
    ]
    for index, (t_share, c_share) in enumerate(shares):
        x = left + index * step
        for offset, share, colour in ((0.1, t_share, PURPLE), (0.5, c_share, "#b9a3cf")):
            h = round((bottom - 22) * share / top, 1)
            parts.append(
                f'<rect x="{x + step * offset:.1f}" y="{bottom - h:.1f}" width="{step * 0.38:.1f}" height="{h}" fill="{colour}">'
                f"<title>{index * 10}–{index * 10 + 10}: {100 * share:.0f}%</title></rect>"
            )
        if index % 2 == 0:
            parts.append(f'<text x="{x:.1f}" y="{height - 14}">{index * 10}</text>')
    parts.append(f'<text x="{width - 30}" y="{height - 14}">100</text></svg>')
    return "".join(parts)
