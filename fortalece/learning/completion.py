"""Pure rules of progress, release and completion (no Django imports)."""

from __future__ import annotations

from collections.abc import Collection


def course_complete(*, required: Collection[int], done: Collection[int]) -> bool:
    """A course is complete when it has required items and every one of them is done."""
    return bool(required) and set(required) <= set(done)
