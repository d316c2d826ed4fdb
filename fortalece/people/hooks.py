"""Extension points the apps above ``people`` fill in their ``AppConfig.ready``, so that people
need not import them (docs/architecture.md, layers). ``training`` registers all three::

    from fortalece.people import hooks
    hooks.register_people_changed(refresh)        # refresh(person_ids=[…]), inside the write
    hooks.register_programme_people(enrolled)     # programme id → Q over Person
    hooks.register_trainer_people(trained)        # trainer's person id → Q over Person

* ``people_changed`` runs after a person's sex, profession or institution, or an institution's
  place or kind, changed (the reach rows copy them), in the same transaction.
* A role scoped to a programme sees the people of the programme's countries and, through
  ``programme_people``, those enrolled in its workshops; a trainer sees themself and, through
  ``trainer_people``, the people of the workshops they train.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol

from django.db.models import Q


class PeopleChanged(Protocol):
    def __call__(self, *, person_ids: Iterable[int]) -> None: ...


PeopleOf = Callable[[int], Q]

_people_changed: list[PeopleChanged] = []
_programme_people: list[PeopleOf] = []
_trainer_people: list[PeopleOf] = []


def _add(registry: list, hook: Callable) -> None:  # type: ignore[type-arg]
    if hook not in registry:
        registry.append(hook)


def register_people_changed(hook: PeopleChanged) -> None:
    _add(_people_changed, hook)


def register_programme_people(hook: PeopleOf) -> None:
    _add(_programme_people, hook)


def register_trainer_people(hook: PeopleOf) -> None:
    _add(_trainer_people, hook)


def people_changed(person_ids: Iterable[int]) -> None:
    ids = list(person_ids)
    for hook in _people_changed:
        hook(person_ids=ids)


def programme_people(programme_id: int) -> list[Q]:
    return [hook(programme_id) for hook in _programme_people]


def trainer_people(person_id: int) -> list[Q]:
    return [hook(person_id) for hook in _trainer_people]
