"""Small-cell suppression for published tables. Pure Python.

A count below ``minimum`` (but above zero) is suppressed. When a table has exactly one
suppressed cell, the smallest other non-zero cell is suppressed too (complementary
suppression), so the published total cannot reveal the hidden one.
"""

from collections.abc import Sequence

SMALL = "small"  # hidden because it is below the minimum
COMPLEMENTARY = "complementary"  # hidden so that a small cell cannot be worked out


def hide(counts: Sequence[int], minimum: int) -> list[int | str]:
    """Each count, or why it is hidden (``SMALL`` or ``COMPLEMENTARY``)."""
    result: list[int | str] = [SMALL if 0 < c < minimum else c for c in counts]
    hidden = [i for i, v in enumerate(result) if v == SMALL]
    if len(hidden) == 1:
        candidates = [(c, i) for i, c in enumerate(counts) if i != hidden[0] and c > 0]
        if candidates:
            _, index = min(candidates)
            result[index] = COMPLEMENTARY
    return result


def suppress(counts: Sequence[int], minimum: int) -> list[int | None]:
    """Each count, or ``None`` when it is hidden for either reason."""
    return [v if isinstance(v, int) else None for v in hide(counts, minimum)]
