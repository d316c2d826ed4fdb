"""Append-only history of personal data (SECURITY.md: Audit).

django-pghistory installs PostgreSQL triggers on each tracked table: every insert, update and
delete, including ``QuerySet.update()`` and raw SQL that signals never see, writes a snapshot
row here, in the same transaction. The event tables are append-only (a trigger refuses UPDATE
and DELETE); only the retention job and an erasure may remove rows, through
``privacy.services``, which lift that trigger for their own statement.

On SQLite (laptops, the demo) there are no triggers, so no history is written: production
runs on PostgreSQL (docs/security.md). To track a new model holding personal data, add one
line to ``TRACKED`` below and run makemigrations for ``privacy``.
"""

from __future__ import annotations

from typing import Any

import pghistory
from django.db import models

from fortalece.accounts.models import RoleAssignment, User
from fortalece.impact.models import SurveyResponse
from fortalece.people.models import Person
from fortalece.training.models import Attendance, Enrolment


def _track(model: type[models.Model], name: str, **options: object) -> Any:
    return pghistory.create_event_model(
        model,
        pghistory.InsertEvent(),
        pghistory.UpdateEvent(),
        pghistory.DeleteEvent(),
        model_name=name,
        app_label="privacy",
        abstract=False,
        append_only=True,
        obj_field=pghistory.ObjForeignKey(related_name="+", db_constraint=False),
        **options,  # type: ignore[arg-type]
    )


PersonEvent = _track(Person, "PersonEvent", exclude=["search_name", "family_key"])
EnrolmentEvent = _track(Enrolment, "EnrolmentEvent")
AttendanceEvent = _track(Attendance, "AttendanceEvent")
RoleAssignmentEvent = _track(RoleAssignment, "RoleAssignmentEvent")
UserEvent = _track(
    User,
    "UserEvent",
    fields=["id", "email", "first_name", "last_name", "is_active", "is_staff", "is_superuser"],
)
SurveyResponseEvent = _track(SurveyResponse, "SurveyResponseEvent")

TRACKED: dict[type[models.Model], Any] = {
    Person: PersonEvent,
    Enrolment: EnrolmentEvent,
    Attendance: AttendanceEvent,
    RoleAssignment: RoleAssignmentEvent,
    User: UserEvent,
    SurveyResponse: SurveyResponseEvent,
}
