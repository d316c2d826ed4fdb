"""Learners: the quiz page, taking an attempt (one page or paged, answers saved with htmx),
the result and the review. Every answer is decoded and scored on the server."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fortalece.core.query import query_int
from fortalece.learning.selectors import learner_enrolment
from fortalece.learning.services.progress import item_is_open
from fortalece.quizzes import review as review_lib
from fortalece.quizzes import selectors
from fortalece.quizzes.core.presentation import decode, present, selected
from fortalece.quizzes.models import Attempt, Question, Quiz
from fortalece.quizzes.policies import attempt_policy, quiz_policy
from fortalece.quizzes.services import attempts as services


def _quiz(request: HttpRequest, item_id: int, action: str = "view") -> Quiz:
    quiz = get_object_or_404(Quiz.objects.only("pk"), item_id=item_id)
    return quiz_policy.get_for_user(user=request.user, pk=quiz.pk, action=action)


@login_required
def quiz(request: HttpRequest, item_id: int) -> HttpResponse:
    quiz = _quiz(request, item_id)
    course = quiz.item.module.course
    enrolment = learner_enrolment(request.user, course)
    attempts = selectors.learner_attempts(quiz, enrolment.pk if enrolment else None)
    used = len(attempts)
    left = None if not quiz.attempts_allowed else max(quiz.attempts_allowed - used, 0)
    open_attempt = next((a for a in attempts if a.is_open), None)
    closed = bool(quiz.closes_at and timezone.now() > quiz.closes_at)
    best = max((a.score for a in attempts if a.score is not None), default=None)
    released = enrolment is None or item_is_open(enrolment=enrolment, item=quiz.item).open
    return render(
        request,
        "quizzes/quiz.html",
        {
            "quiz": quiz,
            "item": quiz.item,
            "course": course,
            "enrolment": enrolment,
            "attempts": attempts,
            "left": left,
            "open_attempt": open_attempt,
            "closed": closed,
            "best": best,
            "released": released,
            "start_key": uuid.uuid4(),
            "can_start": enrolment is not None
            and released
            and not closed
            and (left is None or left > 0),
            "can_author": quiz_policy.user_has_permission_for_instance(
                request.user, "change", quiz
            ),
            "can_see_results": quiz_policy.user_has_permission_for_instance(
                request.user, "results", quiz
            ),
        },
    )


@login_required
@require_POST
def start(request: HttpRequest, item_id: int) -> HttpResponse:
    quiz = _quiz(request, item_id, action="take")
    enrolment = learner_enrolment(request.user, quiz.item.module.course)
    if enrolment is None:
        raise Http404
    try:
        attempt = services.attempt_start(
            quiz=quiz,
            enrolment=enrolment,
            idempotency_key=(request.POST.get("key") or "")[:64] or None,
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("quizzes:quiz", item_id=item_id)
    return redirect("quizzes:attempt", pk=attempt.pk)


def _attempt(request: HttpRequest, pk: int, action: str = "answer") -> Attempt:
    return attempt_policy.get_for_user(user=request.user, pk=pk, action=action)


def _questions(attempt: Attempt) -> list[Question]:
    rows = Question.objects.select_related("category").in_bulk(attempt.question_ids)
    return [rows[i] for i in attempt.question_ids if i in rows]


def _blocks(
    attempt: Attempt, questions: list[Question], answers: dict[int, Any] | None = None
) -> list[dict[str, Any]]:
    """The questions as shown, each with its saved answer (or with ``answers``: the ones a
    refused submission carried, so the learner still sees them)."""
    if answers is None:
        responses = {r.question_id: r.answer for r in attempt.responses.all()}
    else:
        responses = {pk: answer for pk, answer in answers.items() if answer is not None}
    shuffle = attempt.quiz.shuffle_options
    blocks = []
    for number, question in enumerate(questions, 1):
        core = question.as_core()
        shown = present(core, seed=attempt.seed, key=question.pk, shuffle=shuffle)
        values = selected(
            core, responses.get(question.pk), seed=attempt.seed, key=question.pk, shuffle=shuffle
        )
        chosen = values.get("", [])
        blocks.append(
            {
                "number": number,
                "id": question.pk,
                "qtype": str(shown.qtype),
                "text": shown.text,
                "options": [
                    {"value": v, "label": label, "checked": v in chosen}
                    for v, label in shown.options
                ],
                "value": chosen if isinstance(chosen, str) else "",
                "rows": [
                    {"key": key, "text": text, "current": values.get(f"-{key}", "")}
                    for key, text in shown.rows
                ],
                "choices": shown.choices,
                "saved": question.pk in responses,
            }
        )
    return blocks


def _decode(request: HttpRequest, attempt: Attempt, question: Question) -> Any:
    return decode(
        question.as_core(),
        request.POST.get,
        request.POST.getlist,
        prefix=f"q{question.pk}",
        seed=attempt.seed,
        key=question.pk,
        shuffle=attempt.quiz.shuffle_options,
    )


@login_required
def attempt(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = _attempt(request, pk)
    if attempt.is_open and services.attempt_close_if_expired(attempt=attempt):
        messages.warning(request, _("Time was up: the attempt was closed with the answers saved."))
        attempt.refresh_from_db()
    if not attempt.is_open:
        return redirect("quizzes:result", pk=attempt.pk)
    questions = _questions(attempt)
    blocks = _blocks(attempt, questions)
    quiz = attempt.quiz
    page = None
    if quiz.one_per_page and not quiz.allow_offline and blocks:  # offline: one page to send
        page = min(max(query_int(request.GET.get("page")) or 1, 1), len(blocks))
        shown_blocks = [blocks[page - 1]]
    else:
        shown_blocks = blocks
    return render(
        request,
        "quizzes/attempt.html",
        {
            "attempt": attempt,
            "quiz": quiz,
            "item": quiz.item,
            "blocks": shown_blocks,
            "total": len(blocks),
            "page": page,
            "answered": sum(1 for b in blocks if b["saved"]),
            # A new key for each page shown; a retry or the offline outbox sends it again.
            "submit_key": uuid.uuid4(),
        },
    )


@login_required
@require_POST
def save(request: HttpRequest, pk: int) -> HttpResponse:
    """Save one question's answer (htmx on every change, or the paged form's Next)."""
    attempt = _attempt(request, pk)
    question_id = query_int(request.POST.get("question"))
    if question_id is None or question_id not in attempt.question_ids:
        raise Http404
    question = get_object_or_404(Question, pk=question_id)
    status, ok = _("Saved"), True
    try:
        services.attempt_answer(
            attempt=attempt, question_id=question_id, answer=_decode(request, attempt, question)
        )
    except ValidationError as error:
        status, ok = error.messages[0], False
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "quizzes/_saved.html", {"status": status, "ok": ok})
    if not ok:
        messages.error(request, status)
        return redirect("quizzes:attempt", pk=attempt.pk)
    go = request.POST.get("go", "")
    if go == "submit":
        return redirect("quizzes:submit_confirm", pk=attempt.pk)
    page = query_int(go)
    if page is not None:
        return redirect(f"{attempt.get_absolute_url()}?page={page}")
    return redirect("quizzes:attempt", pk=attempt.pk)


@login_required
def submit_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = _attempt(request, pk)
    if not attempt.is_open:
        return redirect("quizzes:result", pk=attempt.pk)
    answered = attempt.responses.count()
    return render(
        request,
        "quizzes/submit_confirm.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "answered": answered,
            "total": len(attempt.question_ids),
        },
    )


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = _attempt(request, pk)
    answers = {}
    questions = _questions(attempt)
    if request.POST.get("all") == "1":  # the one-page form carries every answer
        answers = {q.pk: _decode(request, attempt, q) for q in questions}
    was_open = attempt.is_open
    key = (request.POST.get("key") or "")[:64] or None
    try:
        attempt = services.attempt_submit(attempt=attempt, answers=answers, key=key)
    except services.SubmitConflict as conflict:
        # Keep what the learner sent in sight: the answers as they chose them, not recorded.
        return render(
            request,
            "quizzes/conflict.html",
            {
                "attempt": conflict.attempt,
                "quiz": conflict.attempt.quiz,
                "item": conflict.attempt.quiz.item,
                "message": conflict.message,
                "blocks": _blocks(attempt, questions, answers=answers) if answers else [],
            },
            status=409,
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("quizzes:attempt", pk=attempt.pk)
    if was_open and attempt.closed_by_time:
        messages.warning(
            request,
            _("Time was up: answers sent after the time limit were not accepted."),
        )
    return redirect("quizzes:result", pk=attempt.pk)


@login_required
def result(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = _attempt(request, pk, action="view")
    if attempt.is_open:
        return redirect("quizzes:attempt", pk=attempt.pk)
    quiz = attempt.quiz
    own = attempt_policy.user_has_permission_for_instance(request.user, "answer", attempt)
    used = Attempt.objects.filter(quiz=quiz, enrolment_id=attempt.enrolment_id).count()
    left = None if not quiz.attempts_allowed else max(quiz.attempts_allowed - used, 0)
    show_review = review_lib.may_review(quiz, left=left, staff=not own)
    items = review_lib.review(attempt, _questions(attempt)) if show_review else []
    return render(
        request,
        "quizzes/result.html",
        {
            "attempt": attempt,
            "quiz": quiz,
            "item": quiz.item,
            "own": own,
            "left": left,
            "show_review": show_review,
            "items": items,
            "can_retry": own and attempt.passed is not True and (left is None or left > 0),
        },
    )
