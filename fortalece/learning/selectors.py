"""Reads of the course engine. Each list runs a fixed number of queries."""

from __future__ import annotations

from typing import Any

from fortalece.accounts.scope import get_user_scope
from fortalece.training.models import Enrolment


def learner_enrolment(user: Any, course: Any) -> Enrolment | None:
    """The signed-in learner's enrolment in a cohort of ``course`` (the latest), or None.

    Dropped enrolments do not count: a learner who left a cohort no longer takes the course.
    """
    scope = get_user_scope(user)
    if scope.person_id is None:
        return None
    return (
        Enrolment.objects.filter(person_id=scope.person_id, workshop__course=course)
        .exclude(status=Enrolment.Status.DROPPED)
        .select_related("workshop", "workshop__course", "person")
        .order_by("-workshop__start_date", "-id")
        .first()
    )
