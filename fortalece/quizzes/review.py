"""What a review shows once answers may be seen: the learner's answer, the right answer and
the feedback, per question (built on the server, after submission only)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from fortalece.quizzes.core.presentation import for_scoring
from fortalece.quizzes.core.questions import QType
from fortalece.quizzes.core.questions import Question as CoreQuestion
from fortalece.quizzes.core.scoring import score
from fortalece.quizzes.models import Attempt, Question, Quiz


def may_review(quiz: Quiz, *, left: int | None, staff: bool) -> bool:
    """Staff always; learners right after an attempt, or once the quiz is closed for them
    (its closing date passed or no attempts left), as the quiz says."""
    if staff:
        return True
    if quiz.review == Quiz.Review.AFTER_ATTEMPT:
        return True
    if quiz.review == Quiz.Review.AFTER_CLOSE:
        closed = bool(quiz.closes_at and timezone.now() > quiz.closes_at)
        return closed or left == 0
    return False


def _number(value: float) -> str:
    return f"{value:g}"


def right_answer(core: CoreQuestion) -> list[str]:
    q = core.qtype
    if q in (QType.SINGLE, QType.MULTIPLE):
        return [c.text for c in core.choices if c.weight > 0]
    if q == QType.TRUE_FALSE:
        return [_("True") if core.correct else _("False")]
    if q == QType.SHORT:
        return [c.text for c in core.choices if c.weight == 100]
    if q == QType.NUMERIC:
        out = []
        for n in core.numbers:
            if n.weight != 100:
                continue
            if n.high is not None:
                out.append(f"{_number(n.value)} – {_number(n.high)}")
            elif n.tolerance:
                out.append(f"{_number(n.value)} ± {_number(n.tolerance)}")
            else:
                out.append(_number(n.value))
        return out
    if q == QType.MATCHING:
        return [f"{p.left} → {p.right}" for p in core.pairs if p.left]
    return [f"{i}. {text}" for i, text in enumerate(core.items, 1)]


def given_answer(core: CoreQuestion, stored: Any) -> list[str]:
    q = core.qtype
    if stored is None or stored == "" or stored == [] or stored == {}:
        return []
    if q == QType.SINGLE and isinstance(stored, int) and 0 <= stored < len(core.choices):
        return [core.choices[stored].text]
    if q == QType.MULTIPLE and isinstance(stored, list):
        return [
            core.choices[i].text
            for i in stored
            if isinstance(i, int) and 0 <= i < len(core.choices)
        ]
    if q == QType.TRUE_FALSE and isinstance(stored, bool):
        return [_("True") if stored else _("False")]
    if q in (QType.SHORT, QType.NUMERIC):
        return [str(stored)]
    if q == QType.MATCHING and isinstance(stored, dict):
        return [
            f"{core.pairs[int(k)].left} → {v}"
            for k, v in stored.items()
            if str(k).isdigit() and int(k) < len(core.pairs)
        ]
    if q == QType.ORDERING and isinstance(stored, dict):
        order = sorted(
            (p, int(i)) for i, p in stored.items() if str(i).isdigit() and int(i) < len(core.items)
        )
        return [f"{p}. {core.items[i]}" for p, i in order]
    return []


def review(attempt: Attempt, questions: list[Question]) -> list[dict[str, Any]]:
    responses = {r.question_id: r for r in attempt.responses.all()}
    items = []
    for number, question in enumerate(questions, 1):
        core = question.as_core()
        response = responses.get(question.pk)
        stored = response.answer if response else None
        marked = score(core, for_scoring(core, stored))
        items.append(
            {
                "number": number,
                "text": core.text,
                "given": given_answer(core, stored),
                "right": right_answer(core),
                "state": marked.state,
                "percent": round(marked.fraction * 100),
                "feedback": list(marked.feedback),
                "general": core.general_feedback,
            }
        )
    return items
