"""What cascade adds to the pages of the apps below it (core/pages.py), registered in
``CascadeConfig.ready``: the awards card of a person's page, and the links from a workshop's
trainers to their cascade."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fortalece.cascade.models import Award
from fortalece.cascade.policies import trainer_cascade_policy
from fortalece.core import pages
from fortalece.people.models import Person


def person_awards(request: Any, person: Person) -> dict[str, Any]:
    return {"awards": Award.objects.filter(person=person)}


def cascades_shown(user: Any, person_ids: Iterable[int]) -> set[int]:
    """The trainers among ``person_ids`` whose cascade the user may open, in one query."""
    return set(
        trainer_cascade_policy.instances_user_has_permission_for(user, "view")
        .filter(pk__in=person_ids)
        .values_list("pk", flat=True)
    )


def register() -> None:
    pages.register_panel(
        "people.person_detail", pages.Panel("cascade/_person_awards.html", person_awards)
    )
    pages.register_link_set("cascade:trainer", cascades_shown)
