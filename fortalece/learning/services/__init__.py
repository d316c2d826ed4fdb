"""Writes of the course engine: progress (the one entry point ``item_record_result``),
content authoring, diplomas, copy and packages."""

from fortalece.learning.services.progress import (
    course_check_completion,
    item_open,
    item_record_result,
    lesson_complete,
    session_items_sync,
)

__all__ = [
    "course_check_completion",
    "item_open",
    "item_record_result",
    "lesson_complete",
    "session_items_sync",
]
