from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fortalece.training.models import Course, Enrolment
from fortalece.training.services.enrolments import enrolment_recompute
from fortalece.training.services.reach_rollups import reach_year_refresh


@transaction.atomic
def course_create(**fields: Any) -> Course:
    course = Course(**fields)
    course.full_clean()
    course.save()
    return course


@transaction.atomic
def course_update(*, course: Course, **fields: Any) -> Course:
    programme = fields.get("programme")
    if programme is not None and programme.pk != course.programme_id and course.workshops.exists():
        # Its workshops (and their reach) belong to the programme: moving them is not an edit.
        raise ValidationError(
            {"programme": _("This course has workshops: its programme cannot change.")}
        )
    threshold_changed = fields.get(
        "completion_min_attendance", course.completion_min_attendance
    ) != (course.completion_min_attendance)
    # Hours, modality and train-the-trainer are counted in the indicators' year rollup.
    rollup_changed = any(
        name in fields and fields[name] != getattr(course, name)
        for name in ("hours", "modality", "is_train_the_trainer")
    )
    for name, value in fields.items():
        setattr(course, name, value)
    course.full_clean()
    course.save()
    if threshold_changed:
        enrolment_recompute(enrolments=Enrolment.objects.filter(workshop__course=course))
    if rollup_changed:
        reach_year_refresh(
            programme_id=course.programme_id,
            person_ids=Enrolment.objects.filter(workshop__course=course).values_list(
                "person_id", flat=True
            ),
        )
    return course


@transaction.atomic
def course_delete(*, course: Course) -> None:
    if course.workshops.exists():
        raise ValidationError(
            _("This course has workshops. Delete them first, or keep the course.")
        )
    course.delete()
