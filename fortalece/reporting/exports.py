"""The indicators report as a formatted XLSX workbook (one sheet per table) or one CSV.

Every cell goes through ``core.exports.safe_cell`` (text that a spreadsheet could read as a
formula gets a leading apostrophe; numbers stay numbers). Hidden figures are written as the
same word the page shows, never as a number.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from fortalece.core.exports import safe_cell

Sheet = tuple[str, Sequence[str], Sequence[Sequence[Any]]]
HEADER_FILL = PatternFill("solid", fgColor="5B2A86")


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title=_sheet_title(title))
        sheet.append([safe_cell(h) for h in header])
        for cell in sheet[1]:
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in rows:
            sheet.append([safe_cell(v) for v in row])
        sheet.freeze_panes = "A2"
        for index, column in enumerate(sheet.columns, start=1):
            longest = max((len(str(c.value or "")) for c in column), default=8)
            sheet.column_dimensions[get_column_letter(index)].width = min(max(10, longest + 2), 80)
            for cell in column[1:]:
                if isinstance(cell.value, int | float):
                    cell.number_format = "#,##0"
                elif isinstance(cell.value, str) and len(cell.value) > 60:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str) -> str:
    for bad in "[]:*?/\\":
        title = title.replace(bad, " ")
    return title[:31] or "Sheet"


def xlsx_download(filename: str, sheets: Sequence[Sheet]) -> HttpResponse:
    response = HttpResponse(
        workbook_bytes(sheets),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def report_sheets(
    report: dict[str, Any], narrative: Sequence[dict[str, Any]], *, period: str
) -> list[Sheet]:
    """The indicators report's tables: summary, breakdown, trend, targets, cascade,
    narrative (with the figures behind each sentence)."""
    from django.utils.translation import gettext as _

    hidden = _("hidden")

    def shown(value: Any) -> Any:
        if value is None:
            return hidden
        return float(value) if not isinstance(value, int | str) else value

    h = report["headline"]
    summary = [
        [_("Programmes"), "; ".join(p.name for p in report["programmes"])],
        [_("Period"), period],
        [_("People trained (each counted once)"), shown(h["people"])],
        [_("Completed a course"), shown(h["completed"])],
        [_("Participations"), shown(h["participations"])],
        [_("Completions"), shown(h["completions"])],
        [_("Training hours"), shown(h["hours"])],
        [_("Trainers accredited"), shown(h["accredited"])],
    ]
    table = report["table"]
    columns = [str(c) for c in table["columns"]]
    header = [str(table["label"]), *columns, _("People")]
    if not table["course_kind"]:
        header += [_("Completed"), _("Participations"), _("Completions"), _("Hours")]
    rows = []
    for row in [*table["rows"], *([table["total"]] if table["total"] else [])]:
        line = [row.label, *(shown(n) for n in row.people)]
        if not table["course_kind"]:
            line += [
                shown(row.completed),
                shown(row.participations),
                shown(row.completions),
                shown(row.hours),
            ]
        rows.append(line)
    sheets: list[Sheet] = [
        (_("Summary"), [_("Figure"), _("Value")], summary),
        (str(table["label"]), header, rows),
        (_("Trend"), [_("Year"), _("People trained")], [[y, shown(n)] for y, n in report["trend"]]),
    ]
    if report["targets"]:
        sheets.append(
            (
                _("Targets"),
                [_("Programme"), _("Target"), _("Value"), _("Current"), _("Per cent")],
                [
                    [
                        t["programme"].name,
                        t["target"].description,
                        t["target"].value,
                        shown(t["current"]),
                        "" if t["percent"] is None else t["percent"],
                    ]
                    for t in report["targets"]
                ],
            )
        )
    if report["generations"]:
        sheets.append(
            (
                _("Cascade"),
                [_("Generation"), _("People")],
                [[label, shown(n)] for label, n in report["generations"]],
            )
        )
    if narrative:
        sheets.append(
            (
                _("Narrative"),
                [
                    _("Sentence"),
                    _("Language"),
                    _("As generated"),
                    _("Programme"),
                    _("Country"),
                    _("People"),
                    _("Women"),
                    _("Men"),
                    _("Other / not stated"),
                    _("Workshops"),
                    _("Period"),
                ],
                [
                    [
                        line["text"],
                        line["language"],
                        line["generated"],
                        line["facts"].source.get("programme", ""),
                        line["facts"].source.get("country", ""),
                        line["facts"].people,
                        shown(line["facts"].female),
                        shown(line["facts"].male),
                        shown(line["facts"].other),
                        line["facts"].workshops,
                        period,
                    ]
                    for line in narrative
                ],
            )
        )
    return sheets
