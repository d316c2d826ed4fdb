"""Reads: an assignment's attempts, the grading queue and the gradebook.

The gradebook is items × learners for one course: quiz scores come from
``quizzes.selectors.best_scores`` (one query), assignment scores from each learner's latest
graded attempt (one query), overrides from their history (one query). Whatever the number of
learners a page runs the same number of queries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db.models import Prefetch, Q, QuerySet

from fortalece.assignments.core import grading
from fortalece.assignments.models import (
    Assignment,
    GradeOverride,
    GradeSelection,
    Submission,
    SubmissionFile,
)
from fortalece.learning.models import CourseItem, ItemProgress
from fortalece.quizzes.selectors import best_scores
from fortalece.training.models import Enrolment

GRADED_KINDS = (CourseItem.Kind.QUIZ, CourseItem.Kind.ASSIGNMENT)


def learner_attempts(*, assignment: Assignment, enrolment: Enrolment) -> list[Submission]:
    """The learner's attempts, newest first, with files, grade and rubric choices."""
    return list(
        Submission.objects.filter(assignment=assignment, enrolment=enrolment)
        .select_related("grade")
        .prefetch_related(
            Prefetch("files", queryset=SubmissionFile.objects.order_by("id")),
            Prefetch(
                "grade__selections",
                queryset=GradeSelection.objects.select_related("criterion", "level").order_by(
                    "criterion__position", "criterion_id"
                ),
            ),
        )
        .order_by("-attempt")
    )


def grading_queue(submissions: QuerySet[Submission], *, course_id: int | None = None) -> Any:
    """Submissions awaiting a grade, oldest first (``submissions`` comes from the policy)."""
    qs = submissions.filter(status=Submission.Status.SUBMITTED)
    if course_id:
        qs = qs.filter(assignment__item__module__course_id=course_id)
    return (
        qs.select_related(
            "assignment__item__module__course", "enrolment__person", "enrolment__workshop"
        )
        .prefetch_related("files")
        .order_by("submitted_at", "id")
    )


# --- gradebook -----------------------------------------------------------------------------


@dataclass
class Column:
    item: CourseItem
    weight: Decimal
    assignment_id: int | None


@dataclass(slots=True)
class Cell:
    item_id: int
    score: Decimal | None  # what counts: the override when there is one
    computed: Decimal | None
    overridden: bool = False
    awaiting: bool = False  # an attempt is waiting for a grade


@dataclass
class Row:
    enrolment: Enrolment
    cells: list[Cell] = field(default_factory=list)
    total: Decimal | None = None
    html: str = ""  # the cells rendered, filled by the gradebook view


def gradebook_columns(course: Any) -> list[Column]:
    """The course's graded items (quizzes and assignments) in course order, one query."""
    items = (
        CourseItem.objects.filter(module__course=course, kind__in=GRADED_KINDS)
        .select_related("module", "assignment", "gradebook_weight")
        .order_by("module__position", "module_id", "position", "id")
    )
    columns = []
    for item in items:
        weight_row = getattr(item, "gradebook_weight", None)
        assignment = getattr(item, "assignment", None)
        columns.append(
            Column(
                item=item,
                weight=weight_row.weight if weight_row is not None else Decimal(1),
                assignment_id=assignment.pk if assignment is not None else None,
            )
        )
    return columns


def quiz_best_scores(course: Any, enrolment_ids: Sequence[int]) -> dict[tuple[int, int], Any]:
    """{(enrolment id, item id): best score 0–100} for the course's quizzes, one query.

    Read from the quiz engine (``quizzes.selectors.best_scores``); without it installed, from
    the best score the course engine keeps per item."""
    if apps.is_installed("fortalece.quizzes"):
        return best_scores(course, list(enrolment_ids))
    rows = ItemProgress.objects.filter(
        enrolment_id__in=enrolment_ids,
        item__module__course=course,
        item__kind=CourseItem.Kind.QUIZ,
        score__isnull=False,
    ).values_list("enrolment_id", "item_id", "score")
    return {(e, i): s for e, i, s in rows}


def _assignment_scores(
    course: Any, enrolment_ids: Sequence[int]
) -> tuple[dict[tuple[int, int], Decimal], set[tuple[int, int]]]:
    """Latest graded score and whether an attempt awaits a grade, per (enrolment, item)."""
    rows = (
        Submission.objects.filter(
            enrolment_id__in=enrolment_ids, assignment__item__module__course=course
        )
        .exclude(status=Submission.Status.SUPERSEDED)
        .order_by("attempt")
        .values_list("enrolment_id", "assignment__item_id", "status", "grade__score")
    )
    scores: dict[tuple[int, int], Decimal] = {}
    awaiting: set[tuple[int, int]] = set()
    for enrolment_id, item_id, status, score in rows:
        key = (enrolment_id, item_id)
        if status == Submission.Status.GRADED and score is not None:
            scores[key] = score
            awaiting.discard(key)
        elif status == Submission.Status.SUBMITTED:
            awaiting.add(key)
    return scores, awaiting


def _overrides(
    enrolment_ids: Sequence[int], item_ids: Sequence[int]
) -> dict[tuple[int, int], GradeOverride]:
    """The override in force (the latest) per (enrolment, item)."""
    rows = GradeOverride.objects.filter(
        enrolment_id__in=enrolment_ids, item_id__in=item_ids
    ).order_by("changed_at", "id")
    return {(o.enrolment_id, o.item_id): o for o in rows}


def gradebook_rows(
    *, course: Any, enrolments: Sequence[Enrolment], columns: Sequence[Column]
) -> list[Row]:
    """Cells and weighted totals for ``enrolments`` (three queries, whatever their number).

    The totals are ``core.grading.weighted_total`` with missing results as zero, written out
    for speed (a cohort of 600 × 40 items is 24,000 cells); a test holds the two equal."""
    ids = [e.pk for e in enrolments]
    if not ids or not columns:
        return [Row(enrolment=e) for e in enrolments]
    quiz = {
        key: value if isinstance(value, Decimal) else Decimal(str(value))
        for key, value in quiz_best_scores(course, ids).items()
        if value is not None
    }
    scores, awaiting = _assignment_scores(course, ids)
    overrides = {
        key: o.new_score
        for key, o in _overrides(ids, [c.item.pk for c in columns]).items()
        if o.new_score is not None
    }
    plan = [
        (c.item.pk, quiz if c.item.kind == CourseItem.Kind.QUIZ else scores, c.weight)
        for c in columns
    ]
    total_weight = sum((c.weight for c in columns), Decimal(0))
    rows = []
    for enrolment in enrolments:
        e = enrolment.pk
        cells = []
        earned = Decimal(0)
        for item_id, source, weight in plan:
            key = (e, item_id)
            computed = source.get(key)
            cell = Cell(item_id, computed, computed, False, key in awaiting)
            overridden = overrides.get(key)
            if overridden is not None:
                cell.score, cell.overridden = overridden, True
            if cell.score is not None:
                earned += weight * cell.score
            cells.append(cell)
        total = grading.q2(earned / total_weight) if total_weight else None
        rows.append(Row(enrolment=enrolment, cells=cells, total=total))
    return rows


def gradebook_cell(*, enrolment: Enrolment, item: CourseItem) -> Decimal | None:
    """The score the gradebook shows for one learner and item now."""
    course = enrolment.workshop.course
    column = Column(item=item, weight=Decimal(1), assignment_id=None)
    return gradebook_rows(course=course, enrolments=[enrolment], columns=[column])[0].cells[0].score


def gradebook_enrolments(
    *,
    course: Any,
    cohorts: QuerySet[Any],
    cohort_id: int | None = None,
    status: str = "",
    search: str = "",
) -> QuerySet[Enrolment]:
    qs = Enrolment.objects.filter(workshop__course=course, workshop__in=cohorts)
    if cohort_id:
        qs = qs.filter(workshop_id=cohort_id)
    if status:
        qs = qs.filter(status=status)
    for word in search.split()[:5]:
        qs = qs.filter(
            Q(person__given_names__icontains=word) | Q(person__family_names__icontains=word)
        )
    return qs.select_related("person", "workshop").order_by(
        "person__family_names", "person__given_names", "id"
    )


def override_history(*, enrolment: Enrolment, item: CourseItem) -> QuerySet[GradeOverride]:
    return GradeOverride.objects.filter(enrolment=enrolment, item=item).select_related("changed_by")


def handed_in_items(enrolment_ids: list[int]) -> set[tuple[int, int]]:
    """(enrolment, item) pairs with work handed in and not superseded: one query (My learning
    no longer lists them as due; registered in ``learning.hooks``)."""
    rows = (
        Submission.objects.filter(enrolment_id__in=enrolment_ids)
        .exclude(status=Submission.Status.SUPERSEDED)
        .values_list("enrolment_id", "assignment__item_id")
    )
    return set(rows)
