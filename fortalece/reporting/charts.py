"""Server-rendered SVG charts: accessible, no JavaScript, CSP-friendly. Pure Python."""

from collections.abc import Sequence
from xml.sax.saxutils import escape

PURPLE = "#5b2a86"
MUTED = "#5a5663"


def _text(value: object) -> str:
    return escape(str(value), {'"': "&quot;"})


def bar_chart(rows: Sequence[tuple[str, int | None]], *, title: str, width: int = 420) -> str:
    """Horizontal bars with labels and values; ``None`` values are drawn as suppressed."""
    label_width, bar_height, gap = 170, 20, 8
    height = max(1, len(rows)) * (bar_height + gap) + 10
    top = max((v or 0 for _, v in rows), default=0) or 1
    space = width - label_width - 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img">'
        f"<title>{_text(title)}</title>"
    ]
    for index, (label, value) in enumerate(rows):
        y = 5 + index * (bar_height + gap)
        short = label if len(label) <= 19 else label[:18] + "…"
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 13}" text-anchor="end">{_text(short)}</text>'
        )
        if value is None:
            parts.append(f'<text x="{label_width}" y="{y + 13}" fill="{MUTED}">&lt;5</text>')
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
    rows: Sequence[tuple[str, int]], *, title: str, width: int = 420, height: int = 200
) -> str:
    """Vertical columns (e.g. people first reached per month) with a few axis labels."""
    if not rows:
        return ""
    bottom, left = height - 24, 36
    space = width - left - 10
    step = space / len(rows)
    top = max(v for _, v in rows) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img">'
        f"<title>{_text(title)}</title>",
        f'<text x="{left - 6}" y="14" text-anchor="end">{top:,}</text>',
        f'<line x1="{left}" y1="{bottom}" x2="{width - 10}" y2="{bottom}" stroke="{MUTED}"></line>',
    ]
    every = max(1, len(rows) // 5)
    for index, (label, value) in enumerate(rows):
        x = left + index * step
        h = round((bottom - 20) * value / top, 1)
        parts.append(
            f'<rect x="{x + step * 0.1:.1f}" y="{bottom - h:.1f}" width="{max(step * 0.8, 1):.1f}" '
            f'height="{h}" fill="{PURPLE}"><title>{_text(label)}: {value:,}</title></rect>'
        )
        if index % every == 0 and index < len(rows) - 1:
            parts.append(f'<text x="{x:.1f}" y="{height - 6}">{_text(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)
