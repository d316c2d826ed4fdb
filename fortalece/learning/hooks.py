"""Extension points other apps fill (quizzes, assignments) so that copying, exporting and
importing a course carries their part too (question bank, quizzes, assignments).

An app registers in its ``AppConfig.ready``::

    from fortalece.learning import hooks
    hooks.register(hooks.CourseExtension(key="quizzes", export=..., import_=..., copy=...))

* ``export(course, item_refs)`` → JSON-able data; ``item_refs`` maps item id → its reference
  in the package ("m1.i2"). Files it needs go into the returned ``files`` dict
  (package path → bytes) under ``extensions/<key>/``.
* ``import_(course, data, items, files)`` creates its rows; ``items`` maps reference →
  the new ``CourseItem``; raise ``ValidationError`` with a clear message on bad data (the
  whole import is then rolled back).
* ``copy(source, target, items)`` copies its rows; ``items`` maps old item id → new item.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class CourseExtension:
    key: str
    export: Callable[[Any, dict[int, str]], tuple[dict[str, Any], dict[str, bytes]]]
    import_: Callable[[Any, dict[str, Any], dict[str, Any], dict[str, bytes]], None]
    copy: Callable[[Any, Any, dict[int, Any]], None]
    version: int = 1
    meta: dict[str, Any] = field(default_factory=dict)


_registry: dict[str, CourseExtension] = {}


def register(extension: CourseExtension) -> None:
    _registry[extension.key] = extension


def extensions() -> list[CourseExtension]:
    return [_registry[k] for k in sorted(_registry)]


def get(key: str) -> CourseExtension | None:
    return _registry.get(key)


# Work handed in (waiting for a grade or graded) is no longer "due" on My learning. The apps
# that take work in (assignments) register a reader: enrolment ids → {(enrolment id, item id)}.
HandedIn = Callable[[list[int]], set[tuple[int, int]]]
_handed_in: list[HandedIn] = []


def register_handed_in(reader: HandedIn) -> None:
    if reader not in _handed_in:
        _handed_in.append(reader)


def handed_in(enrolment_ids: list[int]) -> set[tuple[int, int]]:
    found: set[tuple[int, int]] = set()
    for reader in _handed_in:
        found |= reader(enrolment_ids)
    return found


# After adding a quiz or an assignment the author sets it up on its own app's page. That app
# registers, per item kind, the page's label, its address and who may open it, so that the
# item pages show the link only to those who can follow it and never import the app.
@dataclass(frozen=True)
class ItemSetup:
    kind: str
    label: Callable[[], str]
    url: Callable[[Any], str]  # item -> address of its setup page
    allowed: Callable[[Any, Any], bool]  # (user, course) -> may open it


_item_setups: dict[str, ItemSetup] = {}


def register_item_setup(setup: ItemSetup) -> None:
    _item_setups[setup.kind] = setup


def item_setup_link(user: Any, item: Any) -> tuple[str, str] | None:
    """(label, address) of the item's setup page when its kind has one the user may open."""
    setup = _item_setups.get(item.kind)
    if setup is None or not setup.allowed(user, item.module.course):
        return None
    return setup.label(), setup.url(item)
