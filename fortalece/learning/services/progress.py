"""Learners' progress: opening items, results, course and diploma completion."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fortalece.credentials.services import certificate_issue
from fortalece.learning import completion
from fortalece.learning.models import CourseItem, ItemProgress
from fortalece.learning.services.diplomas import diplomas_check_for_person
from fortalece.training.models import Attendance, Enrolment, Session
from fortalece.training.services.enrolments import enrolment_complete_online


def _check_same_course(enrolment: Enrolment, item: CourseItem) -> None:
    if item.module.course_id != enrolment.workshop.course_id:
        raise ValidationError(_("This item is not part of the learner's course."))


def item_is_open(*, enrolment: Enrolment, item: CourseItem) -> completion.Availability:
    """Release conditions, checked on the server for every learner request."""
    done: set[int] = set()
    if item.release_after_id:
        done = set(
            ItemProgress.objects.filter(
                enrolment=enrolment, item_id=item.release_after_id, completed_at__isnull=False
            ).values_list("item_id", flat=True)
        )
    return completion.item_availability(
        completion.ItemRule(item.pk, item.required, item.release_on, item.release_after_id),
        today=timezone.localdate(),
        done=done,
    )


def _require_open(enrolment: Enrolment, item: CourseItem) -> None:
    if not item_is_open(enrolment=enrolment, item=item).open:
        raise ValidationError(_("This item is not available yet."))


@transaction.atomic
def item_open(*, enrolment: Enrolment, item: CourseItem) -> ItemProgress:
    """Record that the learner opened an item (started it, and where to resume)."""
    _check_same_course(enrolment, item)
    _require_open(enrolment, item)
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

    ``completed`` marks the item done (a passed quiz, a passing grade, a lesson read); a
    completed item stays completed: a later failed attempt never undoes it. ``score``
    (0–100) is kept as the best seen. When the course's rule is met the enrolment is
    completed, reach refreshed and the certificate issued (``course_check_completion``).
    Release conditions are checked: nothing is recorded on an item not yet open.
    """
    _check_same_course(enrolment, item)
    _require_open(enrolment, item)
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
def lesson_complete(*, enrolment: Enrolment, item: CourseItem) -> ItemProgress:
    """A learner marks a lesson as read. Quizzes and assignments complete through their apps."""
    if item.kind != CourseItem.Kind.LESSON:
        raise ValidationError(_("Only a lesson is completed by reading it."))
    return item_record_result(enrolment=enrolment, item=item, completed=True)


SESSION_ORDER = ("date", "start_time", "id")


def cohort_sessions(*, enrolment: Enrolment, items: list[CourseItem]) -> dict[int, Session | None]:
    """For each session item, the session the learner attends for it (two queries).

    A session item names a session of one cohort. A learner of that cohort attends it; a
    learner of another cohort of the course attends the session of their own cohort in the
    same place of its schedule (the second session for the second, and so on), so every
    cohort can complete the course. None when their cohort has no such session."""
    named = {item.pk: item.session_id for item in items if item.session_id}
    workshops = set(
        Session.objects.filter(pk__in=named.values()).values_list("workshop_id", flat=True)
    )
    schedules: dict[int, list[Session]] = {}
    for session in Session.objects.filter(
        workshop_id__in=workshops | {enrolment.workshop_id}
    ).order_by("workshop_id", *SESSION_ORDER):
        schedules.setdefault(session.workshop_id, []).append(session)
    mine = schedules.get(enrolment.workshop_id, [])
    place = {
        s.pk: (workshop, n) for workshop, rows in schedules.items() for n, s in enumerate(rows)
    }
    result: dict[int, Session | None] = {}
    for item in items:
        if item.session_id not in place:
            result[item.pk] = None
            continue
        workshop, n = place[item.session_id]
        if workshop == enrolment.workshop_id:
            result[item.pk] = schedules[workshop][n]
        else:
            result[item.pk] = mine[n] if n < len(mine) else None
    return result


@transaction.atomic
def session_items_sync(*, enrolment: Enrolment, by: Any = None) -> int:
    """Complete the in-person session items whose session the learner attended (blended
    courses; a learner of another cohort attends their own cohort's session in the same
    place, ``cohort_sessions``); returns how many were newly completed. Attendance is taken
    in the training app; this records it on the course, then checks completion."""

    open_items = list(
        CourseItem.objects.filter(
            module__course_id=enrolment.workshop.course_id,
            kind=CourseItem.Kind.SESSION,
            session__isnull=False,
        ).exclude(progress__enrolment=enrolment, progress__completed_at__isnull=False)
    )
    if not open_items:
        return 0
    attended = set(
        Attendance.objects.filter(enrolment=enrolment, present=True).values_list(
            "session_id", flat=True
        )
    )
    theirs = cohort_sessions(enrolment=enrolment, items=open_items)
    pending = [
        item
        for item in open_items
        if (session := theirs[item.pk]) is not None and session.pk in attended
    ]
    now = timezone.now()
    for item in pending:
        ItemProgress.objects.update_or_create(
            enrolment=enrolment,
            item=item,
            defaults={"completed_at": now, "last_seen_at": now},
            create_defaults={"started_at": now, "completed_at": now, "last_seen_at": now},
        )
    if pending:
        course_check_completion(enrolment=enrolment, by=by)
    return len(pending)


@transaction.atomic
def course_check_completion(*, enrolment: Enrolment, by: Any = None) -> bool:
    """Complete the enrolment when every required item of its course is completed.

    Returns whether the enrolment is completed. Issues the certificate (and with it the Open
    Badge) and any diploma the course finishes.
    """
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
    if enrolment.status != Enrolment.Status.COMPLETED:
        enrolment_complete_online(enrolment=enrolment, completed_on=timezone.localdate(), by=by)
    certificate_issue(enrolment=enrolment, by=by)
    diplomas_check_for_person(person=enrolment.person, course_id=course_id, by=by)
    return True
