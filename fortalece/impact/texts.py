"""Messages of the pure core (English templates with parameters) in the user's language."""

from typing import Any

from django.utils.translation import gettext

from fortalece.impact.core.messages import Message, translate_with
from fortalece.impact.core.reading import REASONS

TRANSLATED_PARAMS = frozenset(REASONS.values())


def translate(message: Message | dict[str, Any] | str) -> str:
    """``Message``, its ``as_dict()`` form (stored in a result) or plain text, translated."""
    return translate_with(message, gettext, TRANSLATED_PARAMS)
