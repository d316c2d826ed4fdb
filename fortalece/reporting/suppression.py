"""Small-cell suppression for published tables. Pure Python.

A count below ``minimum`` (but above zero) is suppressed. When a table has exactly one
suppressed cell, the smallest other non-zero cell is suppressed too (complementary
suppression), so the published total cannot reveal the hidden one.
"""

from collections.abc import Sequence


def suppress(counts: Sequence[int], minimum: int) -> list[int | None]:
    result: list[int | None] = [None if 0 < c < minimum else c for c in counts]
    hidden = [i for i, v in enumerate(result) if v is None]
    if len(hidden) == 1:
        candidates = [(c, i) for i, c in enumerate(counts) if i != hidden[0] and c > 0]
        if candidates:
            _, index = min(candidates)
            result[index] = None
    return result
