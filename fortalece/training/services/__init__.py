"""Writes for courses, workshops, enrolments and attendance (split by entity)."""

from fortalece.training.services.attendance import attendance_bulk_record, attendance_record
from fortalece.training.services.courses import course_create, course_delete, course_update
from fortalece.training.services.enrolments import (
    enrolment_complete_online,
    enrolment_create,
    enrolment_delete,
    enrolment_recompute,
    enrolment_set_status,
    enrolments_bulk_create,
)
from fortalece.training.services.workshops import (
    session_create,
    session_delete,
    session_update,
    trainer_add,
    trainer_remove,
    workshop_create,
    workshop_delete,
    workshop_record,
    workshop_reject,
    workshop_update,
    workshop_validate,
)

__all__ = [
    "attendance_bulk_record",
    "attendance_record",
    "course_create",
    "course_delete",
    "course_update",
    "enrolment_complete_online",
    "enrolment_create",
    "enrolment_delete",
    "enrolment_recompute",
    "enrolment_set_status",
    "enrolments_bulk_create",
    "session_create",
    "session_delete",
    "session_update",
    "trainer_add",
    "trainer_remove",
    "workshop_create",
    "workshop_record",
    "workshop_reject",
    "workshop_delete",
    "workshop_update",
    "workshop_validate",
]
