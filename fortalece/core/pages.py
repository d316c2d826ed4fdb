"""What a higher app adds to a lower app's page, so that the lower app need not import it
(docs/architecture.md, layers). The higher app registers in its ``AppConfig.ready``:

* **links** — ``register_link("credentials:workshop", rule)``: ``rule(user, obj)`` says whether
  the reader may follow the link to that page. The lower page keeps its markup and asks
  ``may_follow("credentials:workshop", user, obj)``; a link no app registered is not shown.
  ``register_link_set(name, rule)`` does the same for many objects in one query:
  ``rule(user, ids)`` → the ids whose page the reader may open (``links_shown``).
* **panels** — ``register_panel("people.person_detail", template, context)``: the lower page
  renders ``{% load pages %}{% page_panels "people.person_detail" person %}`` and each panel's
  template gets the page's context plus ``context(request, obj)``; ``None`` hides the panel.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

LinkRule = Callable[[Any, Any], bool]
LinkSetRule = Callable[[Any, Iterable[int]], set[int]]

_links: dict[str, LinkRule] = {}
_link_sets: dict[str, LinkSetRule] = {}


@dataclass(frozen=True)
class Panel:
    template: str
    context: Callable[[Any, Any], dict[str, Any] | None]


_panels: dict[str, list[Panel]] = {}


def register_link(name: str, rule: LinkRule) -> None:
    _links[name] = rule


def register_link_set(name: str, rule: LinkSetRule) -> None:
    _link_sets[name] = rule


def register_panel(slot: str, panel: Panel) -> None:
    panels = _panels.setdefault(slot, [])
    if panel not in panels:
        panels.append(panel)


def may_follow(name: str, user: Any, obj: Any = None) -> bool:
    rule = _links.get(name)
    return bool(rule and rule(user, obj))


def links_shown(name: str, user: Any, ids: Iterable[int]) -> set[int]:
    rule = _link_sets.get(name)
    return rule(user, ids) if rule else set()


def panels(slot: str) -> list[Panel]:
    return list(_panels.get(slot, ()))
