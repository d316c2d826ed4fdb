"""Certificate codes: 12 random Crockford base-32 characters plus a check character.

Shown as ``XXXX-XXXX-XXXX-C``. Crockford's alphabet has no I, L, O or U, so a code read aloud
or typed from paper is hard to get wrong, and the check character catches most typos before
the database is asked. Pure Python.
"""

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CHECK_ALPHABET = ALPHABET + "*~$=U"  # Crockford's check symbols (mod 37)
BODY_LENGTH = 12
_CLEAN = re.compile(r"[\s\-]+")
_TRANSLATE = str.maketrans({"I": "1", "L": "1", "O": "0"})


def _check(body: str) -> str:
    value = 0
    for char in body:
        value = value * 32 + ALPHABET.index(char)
    return CHECK_ALPHABET[value % 37]


def with_check(body: str) -> str:
    """``body`` (12 characters of the alphabet) followed by its check character."""
    if len(body) != BODY_LENGTH or any(c not in ALPHABET for c in body):
        raise ValueError("A code body is 12 characters of the Crockford alphabet.")
    return body + _check(body)


def new_code() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(BODY_LENGTH))
    return body + _check(body)


def normalise(text: str) -> str | None:
    """The canonical code for what a person typed, or ``None`` when it cannot be a code."""
    cleaned = _CLEAN.sub("", (text or "").upper()).translate(_TRANSLATE)
    if len(cleaned) != BODY_LENGTH + 1:
        return None
    body, check = cleaned[:-1], cleaned[-1]
    if any(c not in ALPHABET for c in body) or check not in CHECK_ALPHABET:
        return None
    return cleaned if _check(body) == check else None


def display(code: str) -> str:
    return "-".join([code[0:4], code[4:8], code[8:12], code[12:]])
