"""Messages of the pure core in the reader's language (``impact/texts.py``)."""

from typing import Any

from django import template
from django.utils.formats import number_format

from fortalece.impact.texts import translate

register = template.Library()


@register.filter
def study_error(study: Any) -> str:
    """Why the analysis failed, translated when the core said it as a message."""
    return translate(study.error_message) if study.error_message else study.error


@register.filter
def p_value(value: Any, digits: int = 3) -> str:
    """A p-value as readers expect it: "< 0.001" below the last digit shown, never "0.000";
    in the page's language (a decimal comma in Spanish)."""
    if value is None or value == "":
        return "—"
    digits = int(digits)
    floor = 10.0**-digits
    if float(value) < floor:
        return "<\u00a0" + number_format(floor, digits)  # never "<" alone at a line's end
    # Rounded as the headlines round (number_format alone cuts the digits off).
    return number_format(round(float(value), digits), digits)
