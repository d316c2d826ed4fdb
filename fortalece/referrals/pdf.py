"""The referral card as a one-page PDF (reportlab), with a QR code (segno) to the public page."""

from __future__ import annotations

import io
from typing import Any

import segno
from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfgen import canvas

from fortalece.referrals.display import EMERGENCY, hours_lines

PURPLE = HexColor("#5b2a86")
INK = HexColor("#1f1d24")
GREY = HexColor("#5a5663")


def render_card_pdf(rows: list[Any], *, language: str, help_url: str) -> bytes:
    buffer = io.BytesIO()
    width, height = A4
    c = canvas.Canvas(buffer, pagesize=A4)
    left, right = 18 * mm, width - 18 * mm
    with translation.override(language):
        c.setTitle(_("Where to get help"))
        c.setFillColor(PURPLE)
        c.setFont("Helvetica-Bold", 22)
        y = height - 25 * mm
        c.drawString(left, y, _("Where to get help"))
        y -= 8 * mm
        c.setFillColor(GREY)
        c.setFont("Helvetica", 11)
        for line in simpleSplit(
            _("These services are free and confidential. You decide what to do next."),
            "Helvetica",
            11,
            right - left,
        ):
            c.drawString(left, y, line)
            y -= 5 * mm
        y -= 3 * mm
        c.setFillColor(INK)
        c.setFont("Helvetica-Bold", 13)
        c.drawString(left, y, _("Emergency numbers"))
        y -= 6 * mm
        for number, label in EMERGENCY:
            c.setFont("Helvetica-Bold", 12)
            c.drawString(left, y, number)
            c.setFont("Helvetica", 10)
            c.drawString(left + 32 * mm, y, str(label)[:95])
            y -= 5.5 * mm
        y -= 4 * mm
        for row in rows:
            service = row.found.service
            if y < 60 * mm:
                break
            c.setStrokeColor(HexColor("#dddae3"))
            c.line(left, y + 3 * mm, right, y + 3 * mm)
            c.setFillColor(INK)
            c.setFont("Helvetica-Bold", 12)
            c.drawString(left, y - 2 * mm, service.name[:80])
            y -= 7 * mm
            c.setFont("Helvetica", 10)
            c.setFillColor(GREY)
            details = [str(service.get_kind_display())]
            if service.phone:
                details.append(_("Phone: %(phone)s") % {"phone": service.phone})
            if service.whatsapp:
                details.append(_("WhatsApp: %(phone)s") % {"phone": service.whatsapp})
            if service.kind == service.Kind.SHELTER:
                details.append(_("Its address is confidential: call first."))
            elif service.address:
                details.append(service.address)
            details.append(" · ".join(hours_lines(service)))
            for text in details:
                for line in simpleSplit(text, "Helvetica", 10, right - left)[:3]:
                    c.drawString(left, y, line)
                    y -= 4.6 * mm
            y -= 4 * mm
        qr = segno.make(help_url, error="m")
        png = io.BytesIO()
        qr.save(png, kind="png", scale=5, border=1)
        png.seek(0)
        c.drawImage(ImageReader(png), left, 18 * mm, 30 * mm, 30 * mm)
        c.setFillColor(INK)
        c.setFont("Helvetica-Bold", 10)
        c.drawString(left + 35 * mm, 40 * mm, _("Information about your rights"))
        c.setFont("Helvetica", 9)
        c.drawString(left + 35 * mm, 34 * mm, help_url[:90])
        c.setFillColor(GREY)
        c.drawString(left + 35 * mm, 26 * mm, _("Keep this card somewhere safe, or photograph it."))
        c.showPage()
    c.save()
    return buffer.getvalue()
