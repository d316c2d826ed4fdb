"""Name normalisation for duplicate detection. Pure Python, no Django."""

import re

from unidecode import unidecode

_SPACES = re.compile(r"[^a-z0-9]+")


class _Ascii(dict[int, str]):
    """Transliteration of each character met so far (unidecode works character by character,
    so translating with this table gives the same text, and a million-row import pays for
    each accented letter once instead of once per name). ``str.translate`` asks the table
    for every character, in C; an unknown one is looked up once."""

    def __missing__(self, code: int) -> str:
        value = self[code] = chr(code) if code < 128 else unidecode(chr(code))
        return value


_ASCII = _Ascii()


def _transliterate(text: str) -> str:
    return text if text.isascii() else text.translate(_ASCII)


def normalise(text: str) -> str:
    """Lower case, accents removed, punctuation collapsed: "Ruíz  Ortiz" -> "ruiz ortiz"."""
    return _SPACES.sub(" ", _transliterate(text or "").lower()).strip()


def family_key(family_names: str) -> str:
    """First family name, normalised: the blocking key that candidate duplicates share."""
    parts = normalise(family_names).split()
    return parts[0] if parts else ""


def normalise_phone(phone: str) -> str:
    digits = re.sub(r"\D", "", phone or "")
    return digits[-10:] if len(digits) > 10 else digits
