"""The quizzes' part of a course package, copy and import (``learning.hooks``): the question
bank (categories, every question with its answer key and feedback) and each quiz item's
settings and draws. A link to an impact instrument stays behind: instruments belong to one
installation's programme and are linked again there."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fortalece.learning import hooks
from fortalece.quizzes.core.questions import Question as CoreQuestion
from fortalece.quizzes.core.questions import validate
from fortalece.quizzes.models import Question, Quiz, QuizDraw
from fortalece.quizzes.services import bank

SETTINGS = (
    "intro",
    "shuffle_questions",
    "shuffle_options",
    "one_per_page",
    "allow_offline",
    "attempts_allowed",
    "time_limit_minutes",
    "review",
    "feedback_pass",
    "feedback_fail",
)


def export(course: Any, item_refs: dict[int, str]) -> tuple[dict[str, Any], dict[str, bytes]]:
    questions = (
        Question.objects.current().filter(course=course).select_related("category").order_by("id")
    )
    quizzes = Quiz.objects.filter(item__module__course=course).prefetch_related("draws__category")
    data = {
        "questions": [
            {**q.as_core().to_dict(), "mark": q.mark, "impact_item": q.impact_item}
            for q in questions
        ],
        "quizzes": [
            {
                "item": item_refs[quiz.item_id],
                **{name: getattr(quiz, name) for name in SETTINGS},
                "pass_mark": str(quiz.pass_mark),
                "draws": [
                    {"category": d.category.name, "count": d.count} for d in quiz.draws.all()
                ],
            }
            for quiz in quizzes
            if quiz.item_id in item_refs
        ],
    }
    return data, {}


def _damaged(where: str) -> ValidationError:
    return ValidationError(
        _("The quiz part of the package is damaged (%(where)s).") % {"where": where}
    )


@transaction.atomic
def import_(
    course: Any, data: dict[str, Any], items: dict[str, Any], files: dict[str, bytes]
) -> None:
    rows = data.get("questions", [])
    quizzes = data.get("quizzes", [])
    if not isinstance(rows, list) or not isinstance(quizzes, list):
        raise _damaged("questions/quizzes")
    categories: dict[str, Any] = {}
    for index, row in enumerate(rows):
        try:
            core = CoreQuestion.from_dict(row)
            mark = int(row.get("mark", 1))
            impact_item = str(row.get("impact_item", ""))
        except (AttributeError, KeyError, TypeError, ValueError) as error:
            raise _damaged(f"questions[{index}]") from error
        if validate(core) or not 1 <= mark <= 100:
            raise _damaged(f"questions[{index}]")
        name = core.category or bank.DEFAULT_CATEGORY
        if name not in categories:
            categories[name] = bank.category_get_or_create(course=course, name=name)
        bank.question_save(
            course=course,
            category=categories[name],
            question=core,
            mark=mark,
            impact_item=impact_item,
        )
    for index, row in enumerate(quizzes):
        where = f"quizzes[{index}]"
        item = items.get(str(row.get("item"))) if isinstance(row, dict) else None
        if item is None or item.kind != "quiz":
            raise _damaged(where)
        quiz = Quiz(item=item)
        try:
            for name in SETTINGS:
                if name in row:
                    setattr(quiz, name, row[name])
            quiz.pass_mark = Decimal(str(row.get("pass_mark", "70")))
            quiz.full_clean(exclude=["item"])
        except (InvalidOperation, ValidationError, TypeError, ValueError) as error:
            raise _damaged(where) from error
        quiz.save()
        for position, draw in enumerate(row.get("draws", [])):
            name = str(draw.get("category")) if isinstance(draw, dict) else ""
            category = categories.get(name)
            count = draw.get("count") if isinstance(draw, dict) else None
            if category is None or not isinstance(count, int) or count < 0:
                raise _damaged(f"{where}.draws[{position}]")
            QuizDraw.objects.create(quiz=quiz, category=category, count=count, position=position)


def copy(source: Any, target: Any, items: dict[int, Any]) -> None:
    data, files = export(source, {old: str(old) for old in items})
    import_(target, data, {str(old): new for old, new in items.items()}, files)


def register() -> None:

    hooks.register(hooks.CourseExtension(key="quizzes", export=export, import_=import_, copy=copy))
