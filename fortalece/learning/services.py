"""Writes of the course engine (keyword-only, atomic)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fortalece.learning.models import CourseItem, ItemProgress
from fortalece.training.models import Enrolment


def _check_same_course(enrolment: Enrolment, item: CourseItem) -> None:
    if item.module.course_id != enrolment.workshop.course_id:
        raise ValidationError(_("This item is not part of the learner's course."))


@transaction.atomic
def item_open(*, enrolment: Enrolment, item: CourseItem) -> ItemProgress:
    """Record that the learner opened an item (started it, and where to resume)."""
    _check_same_course(enrolment, item)
    now = timezone.now()
    progress, created = ItemProgress.objects.get_or_create(
        enrolment=enrolment, item=item, defaults={"started_at": now, "last_seen_at": now}
    )
    if not created:
        progress.last_seen_at = now
        progress.save(update_fields=["last_seen_at"])
    return progress


@transaction.atomic
def item_record_result(
    *,
    enrolment: Enrolment,
    item: CourseItem,
    completed: bool,
    score: Decimal | float | int | None = None,
    by: Any = None,
) -> ItemProgress:
    """The one entry point for a learner's result on an item (lessons, quizzes, assignments).

    ``completed`` marks the item done (a passed quiz, a passing grade, a lesson read);
    a completed item stays completed: a later failed attempt never undoes it. ``score``
    (0–100) is kept as the best seen. When the course's rule is met the enrolment is
    completed, reach refreshed and the certificate issued (``course_check_completion``).
    """
    _check_same_course(enrolment, item)
    if score is not None:
        score = Decimal(str(score))
        if not Decimal(0) <= score <= Decimal(100):
            raise ValidationError(_("A score is between 0 and 100."))
    now = timezone.now()
    progress = (
        ItemProgress.objects.select_for_update().filter(enrolment=enrolment, item=item).first()
    )
    if progress is None:
        progress = ItemProgress(enrolment=enrolment, item=item, started_at=now)
    progress.last_seen_at = now
    if completed and progress.completed_at is None:
        progress.completed_at = now
    if score is not None and (progress.score is None or score > progress.score):
        progress.score = score
    progress.save()
    if completed:
        course_check_completion(enrolment=enrolment, by=by)
    return progress


@transaction.atomic
def course_check_completion(*, enrolment: Enrolment, by: Any = None) -> bool:
    """Complete the enrolment when every required item of its course is completed.

    Returns whether the enrolment is completed. Issues the certificate (and so the Open Badge)
    and any diploma the course finishes.
    """
    from fortalece.learning import completion

    course_id = enrolment.workshop.course_id
    required = set(
        CourseItem.objects.filter(module__course_id=course_id, required=True).values_list(
            "pk", flat=True
        )
    )
    done = set(
        ItemProgress.objects.filter(
            enrolment=enrolment, item_id__in=required, completed_at__isnull=False
        ).values_list("item_id", flat=True)
    )
    if not completion.course_complete(required=required, done=done):
        return enrolment.status == Enrolment.Status.COMPLETED
    if enrolment.status == Enrolment.Status.DROPPED:
        return False
    from fortalece.credentials.services import certificate_issue
    from fortalece.training.services.enrolments import enrolment_complete_online

    if enrolment.status != Enrolment.Status.COMPLETED:
        enrolment_complete_online(enrolment=enrolment, completed_on=timezone.localdate(), by=by)
    certificate_issue(enrolment=enrolment, by=by)
    return True
