from typing import Any

from django import template

from fortalece.referrals.display import EMERGENCY, phone_digits
from fortalece.referrals.display import hours_lines as _hours_lines

register = template.Library()


@register.filter
def http_url(value: Any) -> str:
    """The address if it is http(s), else nothing (never a javascript: or data: link)."""
    text = str(value or "").strip()
    return text if text.lower().startswith(("http://", "https://")) else ""


@register.filter
def hours_lines(service: Any) -> list[str]:
    return _hours_lines(service)


@register.filter
def km(value: Any) -> str:
    if value is None:
        return ""
    return f"{value:.1f} km" if value >= 1 else f"{round(value * 1000)} m"


@register.filter
def tel(value: Any) -> str:
    return phone_digits(str(value or ""))


@register.simple_tag
def emergency_numbers() -> list[tuple[str, Any]]:
    return EMERGENCY
