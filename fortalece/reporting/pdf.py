"""The indicators report as a PDF (reportlab): headline figures, the trend and breakdown as
charts and tables, the map of Mexico's states, the narrative, the targets and the reported
figures beside the counted ones. It is drawn from the same dictionaries as the page, so a
donor's PDF holds the same published (suppressed) figures as their screen.

Every text that comes from the database or a user goes through ``escape`` before reportlab's
paragraph mark-up reads it.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from fortalece.reporting.maps import MEXICO_TILES, SCALE, breaks, colour

PURPLE = colors.HexColor("#4b2680")
GREY = colors.HexColor("#d9d6de")
WIDTH = A4[0] - 36 * mm


def _p(text: object, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(str(text)), style)


def _n(value: Any, hidden: str) -> str:
    if value is None:
        return hidden
    return number_format(value, force_grouping=True)


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]], widths: Any = None) -> Table:
    styles = getSampleStyleSheet()
    cell = ParagraphStyle("cell", parent=styles["BodyText"], fontSize=8, leading=10)
    head = ParagraphStyle("head", parent=cell, textColor=colors.white, fontName="Helvetica-Bold")
    data = [[_p(h, head) for h in header]] + [[_p(c, cell) for c in row] for row in rows]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), PURPLE),
                ("GRID", (0, 0), (-1, -1), 0.25, GREY),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f7f5fa")]),
            ]
        )
    )
    return table


def trend_chart(trend: Sequence[tuple[int, int | None]], hidden: str) -> Drawing:
    """People per year as columns; a hidden year is a grey stub labelled as hidden."""
    drawing = Drawing(WIDTH, 60 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 12 * mm, 10 * mm, WIDTH - 20 * mm, 45 * mm
    values = [n or 0 for _y, n in trend]
    top = max(values, default=0)
    chart.data = [[n if n is not None else 0 for _y, n in trend]]
    chart.categoryAxis.categoryNames = [str(y) for y, _n in trend]
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max(top, 1)
    chart.valueAxis.labels.fontSize = 7
    chart.bars[0].fillColor = PURPLE
    chart.bars[0].strokeColor = None
    drawing.add(chart)
    step = chart.width / max(len(trend), 1)
    for index, (_year, n) in enumerate(trend):
        if n is None:
            x = chart.x + index * step + step / 2
            drawing.add(
                Rect(x - step / 4, chart.y, step / 2, 2 * mm, fillColor=GREY, strokeColor=None)
            )
            drawing.add(String(x, chart.y + 3 * mm, hidden, fontSize=6, textAnchor="middle"))
    return drawing


def mexico_map(states: Sequence[dict[str, Any]], hidden: str) -> Drawing:
    """Mexico's tile grid, each state coloured on the same scale as the SVG map."""
    tile, gap = 15 * mm, 1.2 * mm
    columns = max(c for c, _r in MEXICO_TILES.values()) + 1
    rows = max(r for _c, r in MEXICO_TILES.values()) + 1
    legend = 14 * mm
    drawing = Drawing(columns * (tile + gap), rows * (tile + gap) + legend)
    bounds = breaks([r["people"] for r in states if r["people"]])
    height = rows * (tile + gap) + legend
    for row in states:
        position = MEXICO_TILES.get(row["code"])
        if position is None:
            continue
        column, line = position
        x, y = column * (tile + gap), height - (line + 1) * (tile + gap)
        fill = colour(row["people"], bounds)
        paint = GREY if fill.startswith("url") else colors.HexColor(fill)
        dark = fill in SCALE[-2:]
        drawing.add(Rect(x, y, tile, tile, fillColor=paint, strokeColor=GREY, strokeWidth=0.5))
        ink = colors.white if dark else colors.black
        drawing.add(
            String(
                x + tile / 2,
                y + tile - 5 * mm,
                row["code"],
                fontSize=7,
                fillColor=ink,
                textAnchor="middle",
            )
        )
        value = (
            hidden if row["people"] is None else number_format(row["people"], force_grouping=True)
        )
        drawing.add(
            String(x + tile / 2, y + 3 * mm, value, fontSize=6, fillColor=ink, textAnchor="middle")
        )
    lower = 1
    for step, upper in enumerate(bounds):
        x = step * 30 * mm
        drawing.add(
            Rect(
                x, 2 * mm, 6 * mm, 5 * mm, fillColor=colors.HexColor(SCALE[step]), strokeColor=GREY
            )
        )
        drawing.add(String(x + 7 * mm, 3.5 * mm, f"{lower:,}–{upper:,}", fontSize=7))
        lower = upper + 1
    return drawing


def indicators_pdf(
    *,
    report: dict[str, Any],
    lines: Sequence[dict[str, Any]],
    states: Sequence[dict[str, Any]],
    reported: Sequence[dict[str, Any]],
    title: str,
    subtitle: str,
) -> bytes:
    styles = getSampleStyleSheet()
    h1 = ParagraphStyle("h1", parent=styles["Title"], textColor=PURPLE, fontSize=18)
    h2 = ParagraphStyle("h2", parent=styles["Heading2"], textColor=PURPLE, fontSize=12)
    body = ParagraphStyle("body", parent=styles["BodyText"], fontSize=9, leading=12)
    small = ParagraphStyle("small", parent=body, fontSize=7.5, textColor=colors.HexColor("#5a5663"))
    hidden = _("hidden")
    story: list[Any] = [
        _p(title, h1),
        _p(subtitle, body),
        _p(_("Generated on %(day)s") % {"day": timezone.localdate().isoformat()}, small),
        Spacer(1, 4 * mm),
    ]
    h = report["headline"]
    story += [
        _p(_("Headline figures"), h2),
        _table(
            [_("Figure"), _("Value")],
            [
                [_("People trained (each counted once)"), _n(h["people"], hidden)],
                [_("Completed a course"), _n(h["completed"], hidden)],
                [_("Participations (workshops attended)"), _n(h["participations"], hidden)],
                [_("Completions"), _n(h["completions"], hidden)],
                [_("Training hours"), _n(None if h["hours"] is None else int(h["hours"]), hidden)],
                [_("Trainers accredited"), _n(h["accredited"], hidden)],
            ],
            widths=[WIDTH * 0.7, WIDTH * 0.3],
        ),
    ]
    if report["trend"]:
        story += [_p(_("People trained per year"), h2), trend_chart(report["trend"], hidden)]
    table = report["table"]
    if table["rows"]:
        header = [str(table["label"]), *[str(c) for c in table["columns"]], _("People")]
        rows = [
            [row.label, *[_n(v, hidden) for v in row.people[:-1]], _n(row.people[-1], hidden)]
            for row in table["rows"][:60]
        ]
        if table.get("total"):
            total = table["total"]
            rows.append(
                [
                    _("Total"),
                    *[_n(v, hidden) for v in total.people[:-1]],
                    _n(total.people[-1], hidden),
                ]
            )
        story += [
            _p(_("By %(breakdown)s") % {"breakdown": str(table["label"]).lower()}, h2),
            _table(header, rows),
        ]
    if any(r["people"] != 0 for r in states):
        story += [
            KeepTogether(
                [_p(_("People trained by state of Mexico"), h2), mexico_map(states, hidden)]
            )
        ]
    if report["targets"]:
        story += [
            _p(_("Against the targets"), h2),
            _table(
                [_("Target"), _("Current"), _("Target value")],
                [
                    [
                        row["target"].description,
                        _n(row["current"], hidden),
                        _n(row["target"].value, hidden),
                    ]
                    for row in report["targets"]
                ],
                widths=[WIDTH * 0.6, WIDTH * 0.2, WIDTH * 0.2],
            ),
        ]
    if reported:
        story += [
            _p(_("Reported figures beside counted reach"), h2),
            _p(
                _("Figures published without person records; never added to the counted reach."),
                small,
            ),
            _table(
                [_("What was reported"), _("Years"), _("Reported"), _("Counted"), _("Source")],
                [
                    [
                        r["figure"].description,
                        f"{r['figure'].year_from}–{r['figure'].year_to}",
                        _n(r["figure"].people, hidden),
                        _n(r["counted"], hidden),
                        f"{r['figure'].source} ({r['figure'].source_date.isoformat()})",
                    ]
                    for r in reported
                ],
                widths=[WIDTH * 0.3, WIDTH * 0.12, WIDTH * 0.13, WIDTH * 0.13, WIDTH * 0.32],
            ),
        ]
    if lines:
        story.append(_p(_("Narrative"), h2))
        for language, heading in (("en", "English"), ("es", "Español")):
            mine = [line for line in lines if line["language"] == language]
            if mine:
                story.append(_p(heading, small))
                story += [_p(line["text"], body) for line in mine]
    minimum = report["minimum"]
    note = (
        _(
            "Counts below %(n)s are shown as “hidden”, and so are a few larger ones chosen so "
            "that no hidden count can be worked out from the others."
        )
        if report["suppressed"]
        else _("Exact counts: for internal use. Donor viewers receive counts below %(n)s hidden.")
    )
    story += [Spacer(1, 4 * mm), _p(note % {"n": minimum}, small)]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=title,
        author="Fortalece",
    )
    document.build(story)
    return buffer.getvalue()
