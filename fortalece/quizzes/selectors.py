"""Reads of the quizzes app; each runs a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Q, QuerySet

from fortalece.quizzes.models import Attempt, Question, QuestionCategory, Quiz
from fortalece.training.models import Course


def best_scores(
    course: Course | int, enrolment_ids: Iterable[int]
) -> dict[tuple[int, int], Decimal]:
    """The best submitted score (0–100) of each enrolment on each quiz item of the course:
    ``{(enrolment_id, item_id): score}`` in one query (for the gradebook)."""
    course_id = course if isinstance(course, int) else course.pk
    rows = (
        Attempt.objects.filter(
            quiz__item__module__course_id=course_id,
            enrolment_id__in=list(enrolment_ids),
            submitted_at__isnull=False,
        )
        .values("enrolment_id", "quiz__item_id")
        .annotate(best=Max("score"))
        .order_by()
    )
    return {(r["enrolment_id"], r["quiz__item_id"]): r["best"] for r in rows}


def bank(course: Course) -> tuple[list[Any], QuerySet[Question]]:
    """Categories with their question counts, and the questions (two queries)."""
    categories = list(
        QuestionCategory.objects.filter(course=course)
        .annotate(size=Count("questions", filter=Q(questions__superseded_by__isnull=True)))
        .order_by("name")
    )
    questions = (
        Question.objects.current()
        .filter(course=course)
        .select_related("category")
        .order_by("category__name", "id")
    )
    return categories, questions


def learner_attempts(quiz: Quiz, enrolment_id: int | None) -> list[Attempt]:
    if enrolment_id is None:
        return []
    return list(Attempt.objects.filter(quiz=quiz, enrolment_id=enrolment_id).order_by("number"))


def quiz_results(quiz: Quiz, attempts: QuerySet[Attempt]) -> list[dict[str, Any]]:
    """One row per learner in ``attempts`` (already limited by the policy): attempts, best
    score, passed — aggregated in SQL."""
    rows = (
        attempts.filter(quiz=quiz)
        .values(
            "enrolment_id",
            "enrolment__person__given_names",
            "enrolment__person__family_names",
            "enrolment__workshop__title",
        )
        .annotate(
            tries=Count("id"),
            best=Max("score"),
            passed_any=Count("id", filter=Q(passed=True)),
        )
        .order_by("enrolment__workshop__title", "enrolment__person__family_names")
    )
    return [dict(row) for row in rows]
