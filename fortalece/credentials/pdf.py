"""The certificate as a one-page PDF (reportlab) with a QR code (segno) to its verification page."""

import io
from typing import Any

import segno
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

PURPLE = HexColor("#5b2a86")
GREY = HexColor("#5a5663")


def _fit(c: canvas.Canvas, text: str, font: str, size: float, width: float) -> float:
    while size > 8 and c.stringWidth(text, font, size) > width:
        size -= 1
    return size


def render_certificate_pdf(
    certificate: Any, *, verify_url: str, partners: list[str], hours: Any, programme: str
) -> bytes:
    buffer = io.BytesIO()
    width, height = landscape(A4)
    c = canvas.Canvas(buffer, pagesize=(width, height))
    with translation.override(certificate.language):
        c.setTitle(_("Certificate of completion") + f" · {certificate.display_code}")
        c.setAuthor(programme)
        c.setStrokeColor(PURPLE)
        c.setLineWidth(3)
        c.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
        c.setFillColor(PURPLE)
        c.setFont("Helvetica-Bold", 30)
        c.drawCentredString(width / 2, height - 45 * mm, _("Certificate of completion"))
        c.setFillColor(GREY)
        c.setFont("Helvetica", 13)
        c.drawCentredString(width / 2, height - 60 * mm, _("This certifies that"))
        c.setFillColor(HexColor("#1f1d24"))
        size = _fit(c, certificate.holder_name, "Helvetica-Bold", 28, width - 60 * mm)
        c.setFont("Helvetica-Bold", size)
        c.drawCentredString(width / 2, height - 76 * mm, certificate.holder_name)
        c.setFont("Helvetica", 13)
        c.setFillColor(GREY)
        c.drawCentredString(width / 2, height - 90 * mm, _("completed the course"))
        size = _fit(c, certificate.course_title, "Helvetica-Bold", 18, width - 60 * mm)
        c.setFont("Helvetica-Bold", size)
        c.setFillColor(HexColor("#1f1d24"))
        c.drawCentredString(width / 2, height - 102 * mm, certificate.course_title)
        c.setFont("Helvetica", 12)
        c.setFillColor(GREY)
        details = _("%(hours)s hours · completed on %(date)s") % {
            "hours": hours,
            "date": date_format(certificate.completed_on, "DATE_FORMAT"),
        }
        c.drawCentredString(width / 2, height - 113 * mm, details)
        c.drawCentredString(width / 2, height - 122 * mm, programme)
        if partners:
            line = _("With the support of: %(partners)s") % {"partners": ", ".join(partners)}
            size = _fit(c, line, "Helvetica", 11, width - 60 * mm)
            c.setFont("Helvetica", size)
            c.drawCentredString(width / 2, height - 132 * mm, line)

        qr = segno.make(verify_url, error="m")
        png = io.BytesIO()
        qr.save(png, kind="png", scale=6, border=1)
        png.seek(0)
        c.drawImage(ImageReader(png), 22 * mm, 20 * mm, 32 * mm, 32 * mm)
        c.setFont("Helvetica", 9)
        c.drawString(60 * mm, 40 * mm, _("Verify this certificate at"))
        c.setFont("Helvetica-Bold", 9)
        c.drawString(60 * mm, 35 * mm, verify_url)
        c.setFont("Helvetica", 9)
        c.drawString(60 * mm, 28 * mm, _("Code: %(code)s") % {"code": certificate.display_code})
        if certificate.is_revoked:
            c.setFillColor(HexColor("#a4161a"))
            c.setFont("Helvetica-Bold", 40)
            c.drawCentredString(width / 2, height / 2, _("REVOKED"))
    c.showPage()
    c.save()
    return buffer.getvalue()
