"""Writes: assignment set-up, submissions, grades and gradebook overrides (keyword-only,
atomic). The arithmetic is in ``core/grading.py``; the file checks in ``core/files.py``."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fortalece.assignments import richtext
from fortalece.assignments.core import files as filecheck
from fortalece.assignments.core import grading
from fortalece.assignments.models import (
    Assignment,
    Criterion,
    Grade,
    GradeOverride,
    GradeSelection,
    ItemWeight,
    Level,
    Rubric,
    Submission,
    SubmissionFile,
)
from fortalece.assignments.selectors import gradebook_cell
from fortalece.learning.services import item_record_result
from fortalece.learning.services.progress import item_is_open
from fortalece.training.models import Enrolment


def _problem(error: filecheck.UploadProblem | grading.GradingError) -> ValidationError:
    return ValidationError(_(error.message) % error.params if error.params else _(error.message))


def late_policy_of(assignment: Assignment) -> grading.LatePolicy:
    return grading.LatePolicy(
        kind=assignment.late_policy,
        penalty_per_day=assignment.late_penalty_per_day,
        refuse_after_days=assignment.late_refuse_after_days,
    )


def rubric_of(rubric: Rubric) -> grading.Rubric:
    """The pure rubric (criteria and levels must be prefetched to keep queries fixed)."""
    return grading.Rubric(
        tuple(
            grading.Criterion(c.pk, tuple(grading.Level(lv.pk, lv.points) for lv in c.levels.all()))
            for c in rubric.criteria.all()
        )
    )


def max_points_of(assignment: Assignment) -> Decimal:
    if assignment.grading == Assignment.Grading.RUBRIC and assignment.rubric is not None:
        return rubric_of(assignment.rubric).max_points
    return assignment.max_points


# --- set-up --------------------------------------------------------------------------------


@transaction.atomic
def assignment_save(*, assignment: Assignment) -> Assignment:
    """Save an assignment's settings with its instructions sanitised."""
    assignment.instructions = richtext.sanitise(assignment.instructions)
    unknown = [t for t in assignment.file_types if t not in filecheck.TYPES]
    if unknown:
        raise ValidationError(_("Unknown file type: %(types)s") % {"types": ", ".join(unknown)})
    if assignment.late_policy == Assignment.LatePolicy.REFUSE:
        if assignment.late_refuse_after_days is None:
            raise ValidationError(_("Say after how many days late work is refused."))
    if assignment.grading == Assignment.Grading.RUBRIC:
        if assignment.rubric is None:
            raise ValidationError(_("Choose the rubric to grade with."))
        if assignment.rubric.course_id != assignment.item.module.course_id:
            raise ValidationError(_("The rubric belongs to another course."))
    assignment.full_clean(exclude=["item"])
    assignment.save()
    return assignment


@transaction.atomic
def rubric_save(
    *, course: Any, rubric: Rubric | None, title: str, criteria: Sequence[Any]
) -> Rubric:
    """Create or replace a rubric from parsed criteria (``core.rubric_text``). A rubric that
    has graded work keeps its criteria and levels (grades point at them): refused."""
    if rubric is None:
        rubric = Rubric.objects.create(course=course, title=title)
    else:
        if GradeSelection.objects.filter(criterion__rubric=rubric).exists():
            raise ValidationError(
                _("Work has been graded with this rubric: copy it to change its criteria.")
            )
        rubric.title = title
        rubric.save(update_fields=["title"])
        rubric.criteria.all().delete()
    for position, parsed in enumerate(criteria):
        criterion = Criterion.objects.create(
            rubric=rubric, title=parsed.title, description=parsed.description, position=position
        )
        Level.objects.bulk_create(
            Level(criterion=criterion, title=lv.title, points=lv.points, position=i)
            for i, lv in enumerate(parsed.levels)
        )
    return rubric


@transaction.atomic
def weights_save(*, weights: dict[Any, Decimal]) -> None:
    """Set gradebook weights (course item → weight)."""
    for item, weight in weights.items():
        if weight < 0:
            raise ValidationError(_("Weights cannot be negative."))
        ItemWeight.objects.update_or_create(item=item, defaults={"weight": weight})


# --- submissions ---------------------------------------------------------------------------


def may_submit(assignment: Assignment, latest: Submission | None) -> bool:
    """May the learner hand in (again)? ``latest`` must come with its grade if it has one."""
    if latest is None:
        return True
    if latest.status == Submission.Status.GRADED:
        grade = getattr(latest, "grade", None)
        return bool(grade and grade.resubmission_allowed)
    return assignment.allow_resubmission


@transaction.atomic
def submission_create(
    *,
    assignment: Assignment,
    enrolment: Enrolment,
    text: str,
    files: Sequence[Any],
    by: Any,
    idempotency_key: uuid.UUID | None = None,
    now: Any = None,
) -> Submission:
    """Hand in work. The same ``idempotency_key`` twice returns the first submission, also
    when both arrive at once (a retry, a double tap, two tabs, the offline outbox)."""
    existing = _keyed_submission(idempotency_key, assignment, enrolment)
    if existing is not None:
        return existing
    if assignment.item.module.course_id != enrolment.workshop.course_id:
        raise ValidationError(_("This assignment is not part of the learner's course."))
    if enrolment.status == Enrolment.Status.DROPPED:
        raise ValidationError(_("You have left this course."))

    if not item_is_open(enrolment=enrolment, item=assignment.item).open:
        raise ValidationError(_("This assignment is not open yet."))
    now = now or timezone.now()
    # Lock the learner's enrolment so two submissions at once get different attempt numbers.
    Enrolment.objects.select_for_update().filter(pk=enrolment.pk).first()
    # Looked up again under the lock: a simultaneous request with this key may have won.
    existing = _keyed_submission(idempotency_key, assignment, enrolment)
    if existing is not None:
        return existing
    latest = (
        Submission.objects.filter(assignment=assignment, enrolment=enrolment)
        .exclude(status=Submission.Status.SUPERSEDED)
        .select_related("grade")
        .order_by("-attempt")
        .first()
    )
    if not may_submit(assignment, latest):
        raise ValidationError(_("You cannot hand in this assignment again."))
    late = grading.lateness(late_policy_of(assignment), assignment.due_at, now)
    if not late.accepted:
        raise ValidationError(_("The deadline has passed: late work is no longer accepted."))
    text = (text or "").strip()
    if text and not assignment.accept_text:
        raise ValidationError(_("This assignment takes files only."))
    if not text and not files:
        raise ValidationError(_("Write an answer or attach a file."))
    if files and assignment.max_files == 0:
        raise ValidationError(_("This assignment takes a written answer only."))
    max_bytes = min(
        assignment.max_file_mb * 1024 * 1024, settings.FORTALECE_ASSIGNMENT_MAX_FILE_BYTES
    )
    try:
        filecheck.check_count(len(files), max_files=assignment.max_files)
        checked = [
            filecheck.check_upload(
                name=upload.name,
                size=upload.size,
                handle=upload,
                allowed=assignment.file_types,
                max_bytes=max_bytes,
            )
            for upload in files
        ]
    except filecheck.UploadProblem as error:
        raise _problem(error) from error
    last_attempt = (
        Submission.objects.filter(assignment=assignment, enrolment=enrolment)
        .order_by("-attempt")
        .values_list("attempt", flat=True)
        .first()
    ) or 0
    try:
        with transaction.atomic():
            submission = Submission.objects.create(
                assignment=assignment,
                enrolment=enrolment,
                attempt=last_attempt + 1,
                text=text,
                submitted_at=now,
                days_late=late.days_late,
                late_penalty_percent=late.penalty_percent,
                submitted_by=by,
                idempotency_key=idempotency_key or uuid.uuid4(),
            )
    except IntegrityError as error:
        # Nothing else was written yet: answer with the submission that holds the key.
        existing = _keyed_submission(idempotency_key, assignment, enrolment)
        if existing is not None:
            return existing
        raise ValidationError(_("This work was already handed in.")) from error
    if latest is not None and latest.status == Submission.Status.SUBMITTED:
        latest.status = Submission.Status.SUPERSEDED
        latest.save(update_fields=["status"])
    for upload, ok in zip(files, checked, strict=True):
        upload.seek(0)
        record = SubmissionFile(
            submission=submission, filename=ok.name, size=ok.size, content_type=ok.type.content_type
        )
        record.file.save(ok.name, upload, save=False)
        record.save()
    return submission


def _keyed_submission(
    key: uuid.UUID | None, assignment: Assignment, enrolment: Enrolment
) -> Submission | None:
    if key is None:
        return None
    existing = Submission.objects.filter(idempotency_key=key).first()
    if existing is not None and (
        existing.enrolment_id != enrolment.pk or existing.assignment_id != assignment.pk
    ):
        raise ValidationError(_("This form was already used for other work."))
    return existing


# --- grading -------------------------------------------------------------------------------


@transaction.atomic
def submission_grade(
    *,
    submission: Submission,
    by: Any,
    points: Decimal | None = None,
    selections: dict[int, int] | None = None,
    feedback: str = "",
    allow_resubmission: bool = False,
) -> Grade:
    """Grade (or regrade) a submission with points or a rubric; a passing grade completes the
    item through ``learning.services.item_record_result``."""

    submission = (
        Submission.objects.select_for_update()
        .select_related("assignment__item__module", "enrolment__workshop")
        .get(pk=submission.pk)
    )
    if submission.status == Submission.Status.SUPERSEDED:
        raise ValidationError(_("A later attempt replaced this one: grade that instead."))
    assignment = submission.assignment
    try:
        if assignment.grading == Assignment.Grading.RUBRIC:
            rubric = Rubric.objects.prefetch_related("criteria__levels").get(assignments=assignment)
            pure = rubric_of(rubric)
            earned = grading.rubric_score(pure, selections or {})
            max_points = pure.max_points
        else:
            if points is None:
                raise ValidationError(_("Give the points."))
            earned, max_points = Decimal(points), assignment.max_points
        grading.percent(earned, max_points)  # range check
        kept = grading.apply_penalty(earned, submission.late_penalty_percent)
        score = grading.percent(kept, max_points)
    except grading.GradingError as error:
        raise _problem(error) from error
    passed = score >= assignment.pass_percent
    grade, _created = Grade.objects.update_or_create(
        submission=submission,
        defaults={
            "points": kept,
            "max_points": max_points,
            "score": score,
            "passed": passed,
            "feedback": (feedback or "").strip(),
            "resubmission_allowed": allow_resubmission,
            "graded_by": by,
            "graded_at": timezone.now(),
        },
    )
    grade.selections.all().delete()
    if assignment.grading == Assignment.Grading.RUBRIC:
        GradeSelection.objects.bulk_create(
            GradeSelection(grade=grade, criterion_id=c, level_id=lv)
            for c, lv in (selections or {}).items()
        )
    submission.status = Submission.Status.GRADED
    submission.save(update_fields=["status"])
    item_record_result(
        enrolment=submission.enrolment, item=assignment.item, completed=passed, score=score, by=by
    )
    return grade


# --- gradebook -----------------------------------------------------------------------------


@transaction.atomic
def grade_override(
    *,
    enrolment: Enrolment,
    item: Any,
    new_score: Decimal | None,
    reason: str,
    by: Any,
) -> GradeOverride:
    """Override the gradebook's score for one learner and item (``None`` removes the override).
    The score shown before is kept with who, when and why."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the grade is changed."))
    if new_score is not None and not Decimal(0) <= new_score <= Decimal(100):
        raise ValidationError(_("A score is between 0 and 100."))
    if item.module.course_id != enrolment.workshop.course_id:
        raise ValidationError(_("This item is not part of the learner's course."))
    Enrolment.objects.select_for_update().filter(pk=enrolment.pk).first()
    old = gradebook_cell(enrolment=enrolment, item=item)
    return GradeOverride.objects.create(
        enrolment=enrolment,
        item=item,
        old_score=old,
        new_score=new_score,
        reason=reason,
        changed_by=by,
        changed_at=timezone.now(),
    )
