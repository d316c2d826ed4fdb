"""Numbers from query strings and form fields, read one way everywhere (pure: no Django).

``str.isdigit`` is true for "²" or "٣", which ``int`` then refuses or reads as another digit,
and a 30-digit id overflows the database's integer: both were 500s. ``query_int`` accepts
only ASCII digits within a 64-bit id and answers ``None`` for anything else, which every view
treats as "no filter" (or "not found").
"""

from __future__ import annotations

from collections.abc import Iterable

# The largest value of a database id (BigAutoField; PostgreSQL bigint, SQLite integer).
MAX_ID = 2**63 - 1


def query_int(value: object, *, maximum: int = MAX_ID) -> int | None:
    """The non-negative integer ``value`` spells in ASCII digits, or ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value <= maximum else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > len(str(maximum)) or not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if number <= maximum else None


def query_ints(values: Iterable[object], *, limit: int = 50, maximum: int = MAX_ID) -> list[int]:
    """The valid integers among the first ``limit`` values (repeated query parameters)."""
    found = []
    for value in list(values)[:limit]:
        number = query_int(value, maximum=maximum)
        if number is not None:
            found.append(number)
    return found
