"""Messages of the pure core (English templates with parameters) in the user's language."""

from typing import Any

from django.utils.translation import get_language, gettext

from fortalece.impact.core.labels import reader_language
from fortalece.impact.core.messages import Message, result_texts, translate_with
from fortalece.impact.core.reading import REASONS

TRANSLATED_PARAMS = frozenset(REASONS.values())


def translate(message: Message | dict[str, Any] | str) -> str:
    """``Message``, its ``as_dict()`` form (stored in a result) or plain text, translated;
    numbers and labels among its parameters are written for the active language."""
    return translate_with(
        message, gettext, TRANSLATED_PARAMS, language=reader_language(get_language())
    )


def headlines(result: dict[str, Any]) -> list[str]:
    """A study's headlines in the active language (stored text for results made before the
    headlines were messages)."""
    return result_texts(result, "headlines", reader_language(get_language()), translate)


def method_notes(result: dict[str, Any]) -> list[str]:
    """How the headline was estimated, in the active language (stored text as above)."""
    return result_texts(result, "method", reader_language(get_language()), translate)
