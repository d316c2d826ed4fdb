"""Pure rules of release, progress and completion (no Django imports).

Items are plain records; the Django layer loads them and asks these functions.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class ItemRule:
    id: int
    required: bool
    release_on: date | None = None
    release_after_id: int | None = None


@dataclass(frozen=True)
class Availability:
    open: bool
    # Why it is closed: "date" (not yet), "after" (an earlier item first); empty when open.
    reason: str = ""
    release_on: date | None = None
    release_after_id: int | None = None


def item_availability(item: ItemRule, *, today: date, done: Collection[int]) -> Availability:
    """An item opens on its release date and once the item it follows is completed."""
    if item.release_on is not None and today < item.release_on:
        return Availability(False, "date", release_on=item.release_on)
    if item.release_after_id is not None and item.release_after_id not in done:
        return Availability(False, "after", release_after_id=item.release_after_id)
    return Availability(True)


def course_complete(*, required: Collection[int], done: Collection[int]) -> bool:
    """A course is complete when it has required items and every one of them is done.

    A course with no required item is never completed by progress: nothing would prove it.
    """
    return bool(required) and set(required) <= set(done)


@dataclass(frozen=True)
class Progress:
    done: int
    required: int

    @property
    def percent(self) -> int:
        if not self.required:
            return 0
        return min(100, (100 * self.done) // self.required)


def progress(*, items: Iterable[ItemRule], done: Collection[int]) -> Progress:
    """Items done out of required items (optional items never count)."""
    required = [i.id for i in items if i.required]
    done_set = set(done)
    return Progress(done=sum(1 for i in required if i in done_set), required=len(required))


def resume_item(
    *,
    order: Sequence[ItemRule],
    done: Collection[int],
    last_seen: Mapping[int, datetime],
    today: date,
) -> int | None:
    """Where a learner picks up: the item they last opened if not yet done, else the first
    open item not done, in course order; None when everything open is done."""
    done_set = set(done)
    open_ids = [i.id for i in order if item_availability(i, today=today, done=done_set).open]
    unfinished_seen = [(seen, i) for i, seen in last_seen.items() if i not in done_set]
    if unfinished_seen:
        candidate = max(unfinished_seen)[1]
        if candidate in open_ids:
            return candidate
    for item_id in open_ids:
        if item_id not in done_set:
            return item_id
    return None


def diploma_complete(
    *,
    rule: str,
    entries: Sequence[tuple[int, bool]],
    completed_courses: Collection[int],
    courses_needed: int | None = None,
) -> bool:
    """Whether a person's completed courses meet a diploma's rule.

    ``entries``: (course id, required) in diploma order. Rules: "all" courses, every
    "required" course (at least one must be required), or a "count" of courses. Unknown
    rules raise ``ValueError``: never guess.
    """
    completed = set(completed_courses)
    course_ids = [c for c, _ in entries]
    if not course_ids:
        return False
    if rule == "all":
        return set(course_ids) <= completed
    if rule == "required":
        required = [c for c, req in entries if req]
        return bool(required) and set(required) <= completed
    if rule == "count":
        if not courses_needed or courses_needed < 1:
            raise ValueError("A 'count' rule needs a number of courses of at least 1")
        return len(set(course_ids) & completed) >= courses_needed
    raise ValueError(f"Unknown diploma rule {rule!r}")


def diploma_progress(
    *,
    rule: str,
    entries: Sequence[tuple[int, bool]],
    completed_courses: Collection[int],
    courses_needed: int | None = None,
) -> Progress:
    """How far a person is on a diploma: courses that count done, out of courses needed.

    Mirrors ``diploma_complete``: "all" counts every course, "required" the required ones,
    "count" any course up to the number needed."""
    completed = set(completed_courses)
    if rule == "all":
        counted = [c for c, _ in entries]
        return Progress(done=len(set(counted) & completed), required=len(set(counted)))
    if rule == "required":
        counted = [c for c, req in entries if req]
        return Progress(done=len(set(counted) & completed), required=len(set(counted)))
    if rule == "count":
        needed = courses_needed or 0
        done = len({c for c, _ in entries} & completed)
        return Progress(done=min(done, needed), required=needed)
    raise ValueError(f"Unknown diploma rule {rule!r}")
