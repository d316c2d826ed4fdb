"""The question bank: categories, questions, GIFT/Aiken import (all-or-nothing) and export."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fortalece.quizzes.core import aiken, gift
from fortalece.quizzes.core.errors import Skipped
from fortalece.quizzes.core.questions import Question as CoreQuestion
from fortalece.quizzes.core.questions import validate
from fortalece.quizzes.models import Question, QuestionCategory
from fortalece.training.models import Course

FORMATS = ("gift", "aiken")
DEFAULT_CATEGORY = "General"


@transaction.atomic
def category_get_or_create(*, course: Course, name: str) -> QuestionCategory:
    name = " ".join(name.split())[:200] or DEFAULT_CATEGORY
    category, _created = QuestionCategory.objects.get_or_create(course=course, name=name)
    return category


@transaction.atomic
def category_rename(*, category: QuestionCategory, name: str) -> QuestionCategory:
    name = " ".join(name.split())[:200]
    if not name:
        raise ValidationError(_("A category needs a name."))
    clash = QuestionCategory.objects.filter(course_id=category.course_id, name=name)
    if clash.exclude(pk=category.pk).exists():
        raise ValidationError(_("This course already has a category with that name."))
    category.name = name
    category.save(update_fields=["name"])
    return category


def _content(question: CoreQuestion) -> dict:
    data = question.to_dict()
    for key in ("qtype", "text", "title", "category", "general_feedback"):
        data.pop(key, None)
    return data


@transaction.atomic
def question_save(
    *,
    course: Course,
    category: QuestionCategory,
    question: CoreQuestion,
    mark: int = 1,
    impact_item: str = "",
    instance: Question | None = None,
) -> Question:
    """Create or update a bank question from its pure form (checked with ``validate``)."""
    problems = validate(question)
    if problems:
        raise ValidationError([p.render(_) for p in problems])
    if category.course_id != course.pk:
        raise ValidationError(_("The category belongs to another course."))
    earlier = None
    if instance is not None and instance.responses.exists():
        # Learners answered this version: it stays as it is for their attempts' review and
        # scores; the edit becomes a new version that banks and new attempts use.
        earlier, instance = instance, None
    row = instance or Question(course=course)
    row.category = category
    row.qtype = str(question.qtype)
    row.title = question.title[:200]
    row.text = question.text
    row.general_feedback = question.general_feedback
    row.content = _content(question)
    row.mark = mark
    row.impact_item = impact_item[:100]
    row.save()
    if earlier is not None:
        Question.objects.filter(pk=earlier.pk).update(superseded_by=row)
        # A version edited before points to the newest one.
        Question.objects.filter(superseded_by=earlier).update(superseded_by=row)
    return row


@transaction.atomic
def question_delete(*, question: Question) -> bool:
    """Delete a question; one that learners answered is retired instead (gone from the bank
    and new attempts, kept for their attempts' review). True when it was retired."""
    if question.responses.exists():
        Question.objects.filter(pk=question.pk).update(superseded_by=question)
        return True
    question.delete()
    return False


def read_bank(text: str, fmt: str) -> list[CoreQuestion]:
    """Parse an upload (raises ``FormatError`` with every line error)."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    return gift.read_gift(text) if fmt == "gift" else aiken.read_aiken(text)


@transaction.atomic
def questions_import(
    *, course: Course, questions: list[CoreQuestion], default_category: str = ""
) -> list[Question]:
    """Store parsed questions, every one or none (the caller parsed them first)."""
    categories: dict[str, QuestionCategory] = {}
    saved = []
    for question in questions:
        name = question.category or default_category or DEFAULT_CATEGORY
        if name not in categories:
            categories[name] = category_get_or_create(course=course, name=name)
        saved.append(question_save(course=course, category=categories[name], question=question))
    return saved


def questions_export(
    *, course: Course, fmt: str, category: QuestionCategory | None = None
) -> tuple[str, list[Skipped]]:
    rows = (
        Question.objects.current()
        .filter(course=course)
        .select_related("category")
        .order_by("category__name", "id")
    )
    if category is not None:
        rows = rows.filter(category=category)
    questions = [row.as_core() for row in rows]
    writer = gift.write_gift if fmt == "gift" else aiken.write_aiken
    return writer(questions)
