"""The study report as a PDF (reportlab platypus): headlines, table of effects, caveats."""

import io
from typing import Any
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from fortalece.impact.core.labels import index_label, relabel
from fortalece.impact.core.report import HEADLINE_NAMES
from fortalece.impact.selectors import study_labels
from fortalece.impact.texts import headlines, translate


def _method_name(result: dict[str, Any]) -> str:
    """The headline estimator in words (its code for results of other designs)."""
    method = result["indices"][0].get("headline_method", "")
    return _(HEADLINE_NAMES[method]) if method in HEADLINE_NAMES else method


def render_study_pdf(study: Any, language: str) -> bytes:
    result = study.result
    lang = "es" if language.startswith("es") else "en"
    labels = study_labels(study, lang)
    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, title=study.title
    )
    story: list[Any] = [
        Paragraph(escape(study.title), styles["Title"]),
        Paragraph(
            escape(
                f"{study.programme.name} · {result['meta']['instrument']}"
                f" ({result['meta']['instrument_version']})"
            ),
            styles["Normal"],
        ),
        Paragraph(
            _("%(t)s trained and %(c)s comparison respondents.")
            % {"t": result["groups"]["treated"], "c": result["groups"]["comparison"]},
            styles["Normal"],
        ),
        Spacer(1, 6 * mm),
    ]
    for line in headlines(result):
        story.append(Paragraph("• " + escape(line), styles["Normal"]))
    story.append(Spacer(1, 6 * mm))
    header = [
        _("Index"),
        _("Trained"),
        _("Comparison"),
        _("Effect (95% CI)"),
        _("Improvement"),
        _("Holm p"),
    ]
    rows = [header]
    for index in result["indices"]:
        if "error" in index:
            continue
        h, rel = index["headline"], index["relative_improvement"]
        rows.append(
            [
                Paragraph(escape(index_label(index, lang)), styles["BodyText"]),
                f"{index['mean_treated']:.1f}",
                f"{index['mean_comparison']:.1f}",
                f"{h['effect']:.1f} ({h['low']:.1f}–{h['high']:.1f})",
                f"{100 * rel['effect']:.1f}%",
                f"{index['p_holm']:.3g}",
            ]
        )
    table = Table(
        rows, colWidths=[60 * mm, 18 * mm, 22 * mm, 35 * mm, 22 * mm, 17 * mm], repeatRows=1
    )
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#5b2a86")),
                ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#d9d5df")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
            ]
        )
    )
    story += [table, Spacer(1, 6 * mm), Paragraph(_("Caveats"), styles["Heading2"])]
    caveats = (
        [translate(relabel(m, labels)) for m in result["warning_messages"]]
        if "warning_messages" in result
        else result["warnings"]
    )
    for warning in caveats or [_("None.")]:
        # Warnings quote values from the answers file: escaped, as every Paragraph text here.
        story.append(Paragraph("• " + escape(warning), styles["Normal"]))
    reading = result.get("reading", {}).get("messages", [])
    if reading:
        story += [Spacer(1, 4 * mm), Paragraph(_("How the answers were read"), styles["Heading2"])]
        story += [Paragraph("• " + escape(translate(m)), styles["Normal"]) for m in reading]
    story.append(Spacer(1, 4 * mm))
    story.append(
        Paragraph(
            _(
                "Data SHA-256 %(h)s · seed %(s)s · effects on a 0–100 scale; headline estimator: %(m)s."
            )
            % {
                "h": result["meta"]["data_sha256"][:16],
                "s": result["meta"]["seed"],
                "m": _method_name(result),
            },
            styles["Italic"],
        )
    )
    doc.build(story)
    return buffer.getvalue()
