"""Messages of the pure core (English templates with parameters) in the user's language."""

from typing import Any

from django.utils.translation import gettext

from fortalece.impact.core.messages import Message
from fortalece.impact.core.reading import REASONS

_TRANSLATED_PARAMS = set(REASONS.values())


def translate(message: Message | dict[str, Any] | str) -> str:
    """``Message``, its ``as_dict()`` form (stored in a result) or plain text, translated."""
    if isinstance(message, str):
        return gettext(message) if message else ""
    if isinstance(message, dict):
        text, params = message.get("text", ""), message.get("params") or {}
    else:
        text, params = message.text, message.params
    params = {
        k: translate(v)
        if isinstance(v, Message)
        or (isinstance(v, dict) and "text" in v)
        or (isinstance(v, str) and v in _TRANSLATED_PARAMS)
        else v
        for k, v in params.items()
    }
    translated = gettext(text)
    try:
        return translated % params if params else translated
    except (KeyError, TypeError, ValueError):  # a wrong translation must not hide the message
        return text % params if params else text
