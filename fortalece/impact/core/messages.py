"""Messages of the pure core: English templates with ``%(name)s`` parameters.

Templates are marked with ``gettext_noop`` so that ``makemessages`` extracts them; this package
imports nothing from Django, so the Django layer translates them (``_(m.text) % m.params``).
``str(message)`` is the English text, as the command line prints it.
"""

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any


def gettext_noop(message: str) -> str:
    """Marks a message for translation without translating it."""
    return message


@dataclass(frozen=True)
class Message:
    text: str
    params: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.text % self.params if self.params else self.text

    def as_dict(self) -> dict[str, Any]:
        """JSON form (stored in a result); a parameter that is itself a message nests."""
        params = {k: v.as_dict() if isinstance(v, Message) else v for k, v in self.params.items()}
        return {"text": self.text, "params": params, "en": str(self)}


def as_message(value: "Message | str") -> Message:
    return value if isinstance(value, Message) else Message(str(value))


def es_decimal(value: Any, places: int = 1) -> str:
    """A number as Spanish pages write it (decimal comma, like the tables' ``floatformat``)."""
    return f"{float(value):.{places}f}".replace(".", ",")


def translate_with(
    message: "Message | dict[str, Any] | str",
    gettext: Callable[[str], str],
    translated_params: Collection[str] = (),
) -> str:
    """``Message``, its ``as_dict()`` form (stored in a result) or plain text in the language
    of ``gettext`` (Django's, or the command line's catalogue). Parameters that are messages,
    or one of ``translated_params``, are translated too; a broken translation falls back to
    the English text rather than hiding the message."""
    if isinstance(message, str):
        return gettext(message) if message else ""
    if isinstance(message, dict):
        text, params = message.get("text", ""), message.get("params") or {}
    else:
        text, params = message.text, message.params
    params = {
        k: translate_with(v, gettext, translated_params)
        if isinstance(v, Message)
        or (isinstance(v, dict) and "text" in v)
        or (isinstance(v, str) and v in translated_params)
        else v
        for k, v in params.items()
    }
    translated = gettext(text)
    try:
        return translated % params if params else translated
    except (KeyError, TypeError, ValueError):
        return text % params if params else text
