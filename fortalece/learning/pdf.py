"""The diploma certificate (PDF with a QR code to its public verification page)."""

from __future__ import annotations

import io
from typing import Any

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from fortalece.credentials.codes import display

PURPLE = HexColor("#5b2a86")
GREY = HexColor("#4a4650")


def _fit(c: canvas.Canvas, text: str, font: str, size: float, width: float) -> float:
    while size > 8 and c.stringWidth(text, font, size) > width:
        size -= 1
    return size


def verify_url(award: Any) -> str:
    return settings.FORTALECE_PUBLIC_URL.rstrip("/") + reverse(
        "learning:diploma_verify", args=[award.code]
    )


def render_diploma_pdf(award: Any, *, language: str = "es") -> bytes:
    diploma = award.diploma
    partners = [
        str(p.organisation) for p in diploma.programme.partners.select_related("organisation")
    ]
    courses = [
        e.course.title for e in diploma.entries.select_related("course").order_by("position")
    ]
    buffer = io.BytesIO()
    width, height = landscape(A4)
    c = canvas.Canvas(buffer, pagesize=(width, height))
    with translation.override(language):
        c.setTitle(_("Diploma") + f" · {display(award.code)}")
        c.setAuthor(diploma.programme.name)
        c.setStrokeColor(PURPLE)
        c.setLineWidth(3)
        c.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
        c.setFillColor(PURPLE)
        c.setFont("Helvetica-Bold", 30)
        c.drawCentredString(width / 2, height - 42 * mm, _("Diploma"))
        c.setFillColor(GREY)
        c.setFont("Helvetica", 13)
        c.drawCentredString(width / 2, height - 56 * mm, _("This certifies that"))
        c.setFillColor(HexColor("#1f1d24"))
        size = _fit(c, award.holder_name, "Helvetica-Bold", 28, width - 60 * mm)
        c.setFont("Helvetica-Bold", size)
        c.drawCentredString(width / 2, height - 71 * mm, award.holder_name)
        c.setFont("Helvetica", 13)
        c.setFillColor(GREY)
        c.drawCentredString(width / 2, height - 84 * mm, _("completed the diploma"))
        size = _fit(c, award.diploma_title, "Helvetica-Bold", 18, width - 60 * mm)
        c.setFont("Helvetica-Bold", size)
        c.setFillColor(HexColor("#1f1d24"))
        c.drawCentredString(width / 2, height - 96 * mm, award.diploma_title)
        c.setFont("Helvetica", 12)
        c.setFillColor(GREY)
        details = _("%(hours)s hours · %(n)s courses · completed on %(date)s") % {
            "hours": award.hours,
            "n": len(courses),
            "date": date_format(award.completed_on, "DATE_FORMAT"),
        }
        c.drawCentredString(width / 2, height - 107 * mm, details)
        line = diploma.programme.name
        if diploma.awarding_body:
            line = _("Awarded by %(body)s") % {"body": diploma.awarding_body} + " · " + line
        size = _fit(c, line, "Helvetica", 12, width - 60 * mm)
        c.setFont("Helvetica", size)
        c.drawCentredString(width / 2, height - 116 * mm, line)
        if partners:
            text = _("With the support of: %(partners)s") % {"partners": ", ".join(partners)}
            size = _fit(c, text, "Helvetica", 11, width - 60 * mm)
            c.setFont("Helvetica", size)
            c.drawCentredString(width / 2, height - 125 * mm, text)
        url = verify_url(award)
        qr = segno.make(url, error="m")
        png = io.BytesIO()
        qr.save(png, kind="png", scale=6, border=1)
        png.seek(0)
        c.drawImage(ImageReader(png), 22 * mm, 20 * mm, 32 * mm, 32 * mm)
        c.setFont("Helvetica", 9)
        c.drawString(60 * mm, 40 * mm, _("Verify this certificate at"))
        c.setFont("Helvetica-Bold", 9)
        c.drawString(60 * mm, 35 * mm, url)
        c.setFont("Helvetica", 9)
        c.drawString(60 * mm, 28 * mm, _("Code: %(code)s") % {"code": display(award.code)})
    c.showPage()
    c.save()
    return buffer.getvalue()
