"""Name normalisation for duplicate detection. Pure Python, no Django."""

import re

from unidecode import unidecode

_SPACES = re.compile(r"[^a-z0-9]+")


def normalise(text: str) -> str:
    """Lower case, accents removed, punctuation collapsed: "Ruíz  Ortiz" -> "ruiz ortiz"."""
    return _SPACES.sub(" ", unidecode(text or "").lower()).strip()


def family_key(family_names: str) -> str:
    """First family name, normalised: the blocking key that candidate duplicates share."""
    parts = normalise(family_names).split()
    return parts[0] if parts else ""


def normalise_phone(phone: str) -> str:
    digits = re.sub(r"\D", "", phone or "")
    return digits[-10:] if len(digits) > 10 else digits
