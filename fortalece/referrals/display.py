"""How a service's hours and the emergency numbers are written on pages, cards and PDFs."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fortalece.referrals.forms import WEEKDAYS

# National lines (real numbers: the only ones the demo data may hold).
EMERGENCY = [
    ("911", gettext_lazy("Emergencies (police, ambulance), free, 24 hours")),
    ("089", gettext_lazy("Anonymous report, free, 24 hours")),
    (
        "55 5658 1111",
        gettext_lazy("Línea Mujeres (Consejo Ciudadano): free legal and psychological advice"),
    ),
]


def hours_lines(service: Any) -> list[str]:
    """'Monday 09:00–17:00', 'Tuesday 20:00–04:00 (next day)', or 'Open 24 hours'."""
    if service.open_24h:
        return [_("Open 24 hours, every day")]
    names = dict(WEEKDAYS)
    lines = []
    for h in service.hours.all():
        day = str(names.get(h.weekday, h.weekday))
        if h.all_day:
            lines.append(_("%(day)s: all day") % {"day": day})
            continue
        text = f"{day}: {h.opens:%H:%M}–{h.closes:%H:%M}"
        if h.closes <= h.opens:
            text += " " + _("(next day)")
        lines.append(text)
    if service.open_on_holidays:
        lines.append(_("Also open on public holidays"))
    return lines


def public_help_url() -> str:
    """The public page's address as printed on cards and posters (the canonical host)."""
    from django.conf import settings
    from django.urls import reverse

    return settings.FORTALECE_PUBLIC_URL.rstrip("/") + reverse("referrals:help")


def phone_digits(number: str) -> str:
    """What a tel: or WhatsApp link may hold: digits and a leading +."""
    number = (number or "").strip()
    digits = re.sub(r"\D", "", number)
    return ("+" if number.startswith("+") else "") + digits
