"""Messages of the pure core: English templates with ``%(name)s`` parameters.

Templates are marked with ``gettext_noop`` so that ``makemessages`` extracts them; this package
imports nothing from Django, so the Django layer translates them (``_(m.text) % m.params``).
``str(message)`` is the English text, as the command line prints it. A parameter may be a
``Number`` (written with a decimal point in English, a comma in Spanish) or a ``Label`` (an
instrument's words in each language), both rendered in the reader's language.
"""

import gettext as stdlib_gettext
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The project's catalogue, read without Django (the command line, the texts a result stores).
LOCALE = Path(__file__).resolve().parents[2] / "locale"
LANGUAGES = ("en", "es")


def gettext_noop(message: str) -> str:
    """Marks a message for translation without translating it."""
    return message


@dataclass(frozen=True)
class Number:
    """A number shown with ``places`` decimals (``None``: as few as it needs, ``%g``)."""

    value: float
    places: int | None = 1

    def __str__(self) -> str:
        return f"{self.value:g}" if self.places is None else f"{self.value:.{self.places}f}"

    def as_dict(self) -> dict[str, Any]:
        return {"number": self.value, "places": self.places}

    def rendered(self, language: str) -> str:
        """Spanish writes a decimal comma, like the tables' ``floatformat``."""
        return str(self).replace(".", ",") if language == "es" else str(self)


@dataclass(frozen=True)
class Label:
    """Words given in each reader language (an index's or a covariate's label)."""

    en: str
    es: str

    def __str__(self) -> str:
        return self.en

    def as_dict(self) -> dict[str, Any]:
        return {"label": {"en": self.en, "es": self.es}}

    def lower(self) -> "Label":
        return Label(self.en.lower(), self.es.lower())


@dataclass(frozen=True)
class Message:
    text: str
    params: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.text % self.params if self.params else self.text

    def as_dict(self) -> dict[str, Any]:
        """JSON form (stored in a result); a parameter that is itself a message nests."""
        params = {
            k: v.as_dict() if isinstance(v, Message | Number | Label) else v
            for k, v in self.params.items()
        }
        return {"text": self.text, "params": params, "en": str(self)}


def as_message(value: "Message | str") -> Message:
    return value if isinstance(value, Message) else Message(str(value))


class MessageError(ValueError):
    """Raised with a ``Message`` (English template + parameters) or plain English text;
    ``str(error)`` is the English text, ``error.message`` the message to translate."""

    def __init__(self, message: Message | str) -> None:
        self.message = as_message(message)
        super().__init__(str(self.message))


def from_dict(value: Any) -> Any:
    """A stored parameter (``as_dict()`` form) as the object it was: ``Message``, ``Number``,
    ``Label``; anything else as it is."""
    if isinstance(value, dict) and "text" in value:
        params = value.get("params") or {}
        return Message(value["text"], {k: from_dict(v) for k, v in params.items()})
    if isinstance(value, dict) and "number" in value:
        number = value["number"]  # None: a NaN stored as JSON null
        return Number(float("nan") if number is None else number, value.get("places", 1))
    if isinstance(value, dict) and "label" in value:
        return Label(value["label"].get("en", ""), value["label"].get("es", ""))
    return value


def _param(
    value: Any, gettext: Callable[[str], str], translated: Collection[str], language: str
) -> Any:
    """A parameter in the reader's language."""
    if isinstance(value, Number):
        return value.rendered(language)
    if isinstance(value, Label):
        return (value.es or value.en) if language == "es" else value.en
    if isinstance(value, Message) or (isinstance(value, str) and value in translated):
        return translate_with(value, gettext, translated, language=language)
    return value


def translate_with(
    message: "Message | dict[str, Any] | str",
    gettext: Callable[[str], str],
    translated_params: Collection[str] = (),
    *,
    language: str = "en",
) -> str:
    """``Message``, its ``as_dict()`` form (stored in a result) or plain text in ``language``,
    the language of ``gettext`` (Django's, or the command line's catalogue). Parameters that
    are messages, or one of ``translated_params``, are translated too, numbers and labels
    written for ``language``; a broken translation falls back to the English text rather than
    hiding the message."""
    if isinstance(message, str):
        return gettext(message) if message else ""
    revived: Message = from_dict({"text": "", **message}) if isinstance(message, dict) else message
    text, params = revived.text, revived.params
    params = {k: _param(v, gettext, translated_params, language) for k, v in params.items()}
    translated = gettext(text)
    try:
        return translated % params if params else translated
    except (KeyError, TypeError, ValueError):
        return text % params if params else text


def catalogue(language: str) -> Callable[[str], str]:
    """The project catalogue's gettext for ``language`` (English: the templates as they are)."""
    if language == "en":
        return lambda text: text
    return stdlib_gettext.translation("django", LOCALE, languages=[language], fallback=True).gettext


def in_languages(messages: Iterable["Message | dict[str, Any]"]) -> dict[str, list[str]]:
    """The texts of ``messages`` in every reader language, from the project's catalogue: what
    a result stores beside the messages, for readers of its JSON (the pages render the
    messages themselves)."""
    messages = list(messages)
    texts = {}
    for lang in LANGUAGES:
        gettext = catalogue(lang)  # looked up once per language, not once per message
        texts[lang] = [translate_with(m, gettext, language=lang) for m in messages]
    return texts


# Where a result keeps the messages of the texts it also stores in both languages.
MESSAGES_OF = {"headlines": "headline_messages", "method": "method_messages"}


def result_texts(
    result: dict[str, Any], name: str, language: str, render: Callable[[Any], str]
) -> list[str]:
    """A result's ``"headlines"`` or ``"method"`` notes in ``language``: its messages through
    ``render``, else (a result stored before the messages) the texts it stored."""
    messages = result.get(MESSAGES_OF[name])
    if messages is not None:
        return [render(m) for m in messages]
    return list((result.get(name) or {}).get(language, []))
