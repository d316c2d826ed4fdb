"""Quiz settings, attempts, answers and scoring — all on the server.

Time limits are the server's: an attempt has a deadline; answers saved or submitted after the
deadline plus a small grace (``QUIZ_GRACE_SECONDS``, 30 s: the network, not the learner) are
refused, and the attempt is closed with what was saved in time. Opening an expired attempt
closes it the same way.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fortalece.impact.models import SurveyLink
from fortalece.impact.services.surveys import link_create, response_save
from fortalece.learning.models import CourseItem
from fortalece.learning.services import item_record_result
from fortalece.learning.services.progress import item_is_open
from fortalece.quizzes.core.draws import DrawError, Rule, draw
from fortalece.quizzes.core.presentation import for_scoring
from fortalece.quizzes.core.questions import QType
from fortalece.quizzes.core.questions import Question as CoreQuestion
from fortalece.quizzes.core.scoring import normalise, score, total_percent
from fortalece.quizzes.models import Attempt, Question, QuestionCategory, Quiz, QuizDraw, Response
from fortalece.training.models import Enrolment


def grace() -> datetime.timedelta:
    return datetime.timedelta(seconds=getattr(settings, "QUIZ_GRACE_SECONDS", 30))


@transaction.atomic
def quiz_for_item(*, item: CourseItem) -> Quiz:
    if item.kind != CourseItem.Kind.QUIZ:
        raise ValidationError(_("This item is not a quiz."))
    quiz, _created = Quiz.objects.get_or_create(item=item)
    return quiz


@transaction.atomic
def quiz_set_draws(*, quiz: Quiz, draws: list[tuple[QuestionCategory, int]]) -> None:
    """Replace the quiz's draws; no draws means every question of the bank."""
    course_id = quiz.item.module.course_id
    if any(category.course_id != course_id for category, _count in draws):
        raise ValidationError(_("A category belongs to another course."))
    QuizDraw.objects.filter(quiz=quiz).delete()
    QuizDraw.objects.bulk_create(
        QuizDraw(quiz=quiz, category=category, count=count, position=position)
        for position, (category, count) in enumerate(draws)
    )


@transaction.atomic
def quiz_settings_save(*, form: Any, draws: list[tuple[QuestionCategory, int]]) -> Quiz:
    """A valid ``QuizSettingsForm``'s quiz and its draws, together or not at all."""
    quiz: Quiz = form.save()
    quiz_set_draws(quiz=quiz, draws=draws)
    return quiz


def quiz_rules(quiz: Quiz) -> tuple[list[Rule], dict[str, list[int]]]:
    """The draw rules and the pool of question ids per category (two queries)."""
    course_id = quiz.item.module.course_id
    pool: dict[str, list[int]] = {}
    for question_id, category_id in (
        Question.objects.current()
        .filter(course_id=course_id)
        .order_by("id")
        .values_list("id", "category_id")
    ):
        pool.setdefault(str(category_id), []).append(question_id)
    draws = list(quiz.draws.all())
    if draws:
        rules = [Rule(str(d.category_id), d.count) for d in draws]
    else:
        rules = [Rule(category, 0) for category in sorted(pool, key=int)]
    return rules, pool


def _check_open(quiz: Quiz, now: datetime.datetime) -> None:
    if quiz.closes_at and now > quiz.closes_at:
        raise ValidationError(_("This quiz is closed."))


@transaction.atomic
def attempt_start(
    *,
    quiz: Quiz,
    enrolment: Enrolment,
    now: datetime.datetime | None = None,
    idempotency_key: str | None = None,
) -> Attempt:
    """The learner's open attempt, or a new one when the quiz allows it."""
    now = now or timezone.now()
    existing = _keyed_start(idempotency_key, quiz, enrolment)
    if existing is not None:
        return existing
    if enrolment.workshop.course_id != quiz.item.module.course_id:
        raise ValidationError(_("This quiz is not part of the learner's course."))
    if enrolment.status == Enrolment.Status.DROPPED:
        raise ValidationError(_("The learner has left this course."))
    if not item_is_open(enrolment=enrolment, item=quiz.item).open:
        raise ValidationError(_("This quiz is not available yet."))
    # One at a time per learner: numbering and the attempts limit must not race.
    Enrolment.objects.select_for_update().filter(pk=enrolment.pk).first()
    # Looked up again under the lock: a simultaneous request with this key may have won.
    existing = _keyed_start(idempotency_key, quiz, enrolment)
    if existing is not None:
        return existing
    current = Attempt.objects.filter(quiz=quiz, enrolment=enrolment, submitted_at__isnull=True)
    for attempt in current:
        if not attempt_close_if_expired(attempt=attempt, now=now):
            return attempt
    _check_open(quiz, now)
    used = Attempt.objects.filter(quiz=quiz, enrolment=enrolment).count()
    if quiz.attempts_allowed and used >= quiz.attempts_allowed:
        raise ValidationError(_("You have used every attempt this quiz allows."))
    seed = secrets.randbelow(2**31)
    rules, pool = quiz_rules(quiz)
    try:
        question_ids = draw(pool, rules, seed=seed, shuffle=quiz.shuffle_questions)
    except DrawError as error:
        raise ValidationError(_(error.message) % error.params) from error
    if not question_ids:
        raise ValidationError(_("This quiz has no questions yet."))
    deadline = None
    if quiz.time_limit_minutes:
        deadline = now + datetime.timedelta(minutes=quiz.time_limit_minutes)
    if quiz.closes_at and (deadline is None or deadline > quiz.closes_at):
        deadline = quiz.closes_at
    try:
        with transaction.atomic():
            return Attempt.objects.create(
                quiz=quiz,
                enrolment=enrolment,
                number=used + 1,
                seed=seed,
                question_ids=question_ids,
                started_at=now,
                deadline=deadline,
                idempotency_key=idempotency_key or None,
            )
    except IntegrityError as error:
        # The same key committed by another request in between: answer with its attempt.
        existing = _keyed_start(idempotency_key, quiz, enrolment)
        if existing is not None:
            return existing
        raise ValidationError(_("This attempt was already started; open it again.")) from error


def _keyed_start(key: str | None, quiz: Quiz, enrolment: Enrolment) -> Attempt | None:
    if not key:
        return None
    existing = Attempt.objects.filter(idempotency_key=key).first()
    if existing is not None and (
        existing.quiz_id != quiz.pk or existing.enrolment_id != enrolment.pk
    ):
        raise ValidationError(_("This key belongs to another attempt."))
    return existing


def _late(attempt: Attempt, now: datetime.datetime) -> bool:
    return attempt.deadline is not None and now > attempt.deadline + grace()


def _locked(attempt: Attempt) -> Attempt:
    return Attempt.objects.select_for_update().select_related("quiz__item").get(pk=attempt.pk)


def attempt_close_if_expired(*, attempt: Attempt, now: datetime.datetime | None = None) -> bool:
    """Close (and score) an open attempt whose time is up. Returns whether it is closed."""
    now = now or timezone.now()
    if attempt.is_open and not _late(attempt, now):
        # Still in time: nothing to close, so no lock (every view of the attempt page asks;
        # a submission takes the lock itself).
        return False
    with transaction.atomic():
        attempt = _locked(attempt)
        if not attempt.is_open:
            return True
        if not _late(attempt, now):
            return False
        _finish(attempt, now=now, by_time=True)
        return True


def attempt_answer(
    *, attempt: Attempt, question_id: int, answer: Any, now: datetime.datetime | None = None
) -> Response:
    """Save one answer while the attempt is open and in time. A late answer closes the
    attempt (kept) and is refused."""
    now = now or timezone.now()
    with transaction.atomic():
        attempt = _locked(attempt)
        if not attempt.is_open:
            raise ValidationError(_("This attempt is already submitted."))
        late = _late(attempt, now)
        if late:
            _finish(attempt, now=now, by_time=True)
        else:
            if question_id not in attempt.question_ids:
                raise ValidationError(_("This question is not part of the attempt."))
            response, _created = Response.objects.update_or_create(
                attempt=attempt,
                question_id=question_id,
                defaults={"answer": answer, "saved_at": now},
            )
    if late:
        raise ValidationError(_("Time is up: answers after the time limit are not accepted."))
    return response


class SubmitConflict(Exception):
    """Answers that arrived too late or for an attempt already handed in: the attempt is
    kept as it was (closed with the answers saved in time) and the learner is told why."""

    def __init__(self, message: str, attempt: Attempt):
        super().__init__(message)
        self.message = message
        self.attempt = attempt


def attempt_submit(
    *,
    attempt: Attempt,
    answers: dict[int, Any] | None = None,
    now: datetime.datetime | None = None,
    key: str | None = None,
) -> Attempt:
    """Save the last answers and score the attempt. Submitting twice changes nothing; a
    submission past the deadline (plus grace) is refused and the attempt closes with the
    answers saved in time.

    With a ``key`` (the submit form's, kept by a retry and by the offline outbox) the same key
    again answers with the same attempt and the same outcome, however often and however
    simultaneously it is sent. A keyed submission that cannot be accepted raises
    :class:`SubmitConflict` once the attempt is closed and committed: the quiz closed, the time
    limit passed, or the attempt was already handed in from another tab or device."""
    attempt, conflict = _submit(
        attempt=attempt, answers=answers, now=now or timezone.now(), key=key
    )
    if conflict:
        raise SubmitConflict(conflict, attempt)
    return attempt


@transaction.atomic
def _submit(
    *, attempt: Attempt, answers: dict[int, Any] | None, now: datetime.datetime, key: str | None
) -> tuple[Attempt, str]:
    attempt = _locked(attempt)
    if key:
        # Under the attempt's lock, so two requests with one key see each other.
        if Attempt.objects.filter(submit_key=key).exclude(pk=attempt.pk).exists():
            raise ValidationError(_("This form was already used for another attempt."))
        if attempt.submit_key == key:  # a retry: the same outcome as the first time
            return attempt, (_late_message() if attempt.closed_by_time else "")
    if not attempt.is_open:
        if key:
            return attempt, _(
                "This attempt was already submitted (from another tab or device); the answers "
                "below were not recorded."
            )
        return attempt, ""
    late = _late(attempt, now) or bool(
        attempt.quiz.closes_at and now > attempt.quiz.closes_at + grace()
    )
    if not late:
        for question_id, answer in (answers or {}).items():
            if question_id in attempt.question_ids:
                Response.objects.update_or_create(
                    attempt=attempt,
                    question_id=question_id,
                    defaults={"answer": answer, "saved_at": now},
                )
    _finish(attempt, now=now, by_time=late)
    if key:
        try:
            with transaction.atomic():
                Attempt.objects.filter(pk=attempt.pk).update(submit_key=key)
        except IntegrityError as error:  # the key was taken by another attempt meanwhile
            raise ValidationError(_("This form was already used for another attempt.")) from error
        attempt.submit_key = key
        if late:
            return attempt, _late_message()
    return attempt, ""


def _late_message() -> str:
    return _(
        "Time was up or the quiz closed before your answers arrived; the attempt was closed "
        "with the answers saved in time. The answers below were not recorded."
    )


def _finish(attempt: Attempt, *, now: datetime.datetime, by_time: bool) -> None:
    quiz = attempt.quiz
    questions = Question.objects.select_related("category").in_bulk(attempt.question_ids)
    responses = {r.question_id: r for r in attempt.responses.all()}
    fractions, marks = [], []
    changed, missing = [], []
    for question_id in attempt.question_ids:
        question = questions.get(question_id)
        if question is None:  # removed from the bank before anyone answered it
            continue
        core = question.as_core()
        response = responses.get(question_id)
        stored = response.answer if response else None
        fraction = score(core, for_scoring(core, stored)).fraction
        value = Decimal(str(round(fraction, 5)))
        if response is None:
            missing.append(
                Response(
                    attempt=attempt, question=question, answer=None, fraction=value, saved_at=now
                )
            )
        else:
            response.fraction = value
            changed.append(response)
        fractions.append(fraction)
        marks.append(float(question.mark))
    Response.objects.bulk_update(changed, ["fraction"])
    Response.objects.bulk_create(missing)
    attempt.score = Decimal(str(total_percent(fractions, marks)))
    attempt.passed = attempt.score >= quiz.pass_mark
    attempt.submitted_at = now
    attempt.closed_by_time = by_time
    attempt.save(update_fields=["score", "passed", "submitted_at", "closed_by_time"])
    enrolment = Enrolment.objects.select_related("workshop").get(pk=attempt.enrolment_id)
    item_record_result(
        enrolment=enrolment, item=quiz.item, completed=bool(attempt.passed), score=attempt.score
    )
    _record_for_evaluation(attempt, enrolment, questions, responses)


# The impact evaluation link: a pre-/post-test quiz's answers become survey answers.


def evaluation_code(*, instrument_id: int, person_id: int) -> str:
    """The pseudonymous code a learner's quiz answers carry in the evaluation: the same for
    the pre- and post-test of one instrument (so they pair), meaningless outside it."""
    key = settings.SECRET_KEY.encode()
    digest = hmac.new(key, f"quiz:{instrument_id}:{person_id}".encode(), hashlib.sha256)
    return "Q" + digest.hexdigest()[:15].upper()


TRUE_WORDS = {"true", "verdadero", "cierto", "si", "yes", "v", "t", "1"}
FALSE_WORDS = {"false", "falso", "no", "f", "0"}


def _instrument_choice(item: dict[str, Any], question: CoreQuestion, answer: Any) -> str | None:
    choices = [(str(name), str(label)) for name, label in item.get("choices", [])]
    if question.qtype == QType.SINGLE and isinstance(answer, int):
        if not 0 <= answer < len(question.choices):
            return None
        wanted = {normalise(question.choices[answer].text)}
    elif question.qtype == QType.TRUE_FALSE and isinstance(answer, bool):
        wanted = TRUE_WORDS if answer else FALSE_WORDS
    else:
        return None
    for name, label in choices:
        if normalise(name) in wanted or normalise(label) in wanted:
            return name
    return None


def evaluation_problems(quiz: Quiz) -> list[str]:
    """Why some answers of this quiz could not flow into its instrument (empty when fine)."""
    instrument = quiz.impact_instrument
    if instrument is None:
        return []
    items = {i["name"]: i for i in instrument.definition.get("items", [])}
    problems = []
    linked = (
        Question.objects.current()
        .filter(course_id=quiz.item.module.course_id)
        .exclude(impact_item="")
    )
    for question in linked.select_related("category"):
        label = question.title or question.text[:40]
        item = items.get(question.impact_item)
        if item is None:
            problems.append(
                _("'%(question)s': the instrument has no question named '%(item)s'.")
                % {"question": label, "item": question.impact_item}
            )
            continue
        core = question.as_core()
        if core.qtype == QType.SINGLE:
            answers: list[Any] = list(range(len(core.choices)))
        elif core.qtype == QType.TRUE_FALSE:
            answers = [True, False]
        else:
            problems.append(
                _("'%(question)s': only single-choice and true/false questions can be linked.")
                % {"question": label}
            )
            continue
        for answer in answers:
            if _instrument_choice(item, core, answer) is None:
                problems.append(
                    _("'%(question)s': an option matches no answer of '%(item)s'.")
                    % {"question": label, "item": question.impact_item}
                )
                break
    return problems


def _record_for_evaluation(
    attempt: Attempt,
    enrolment: Enrolment,
    questions: dict[int, Question],
    responses: dict[int, Response],
) -> None:
    quiz = attempt.quiz
    instrument = quiz.impact_instrument
    if instrument is None or not quiz.impact_wave:
        return

    items = {i["name"]: i for i in instrument.definition.get("items", [])}
    answers: dict[str, str] = {}
    for question_id in attempt.question_ids:
        question = questions.get(question_id)
        if question is None or question.impact_item not in items:
            continue
        response = responses.get(question_id)
        core = question.as_core()
        choice = _instrument_choice(
            items[question.impact_item], core, response.answer if response else None
        )
        if choice is not None:
            answers[question.impact_item] = choice
    if not answers:
        return
    link = SurveyLink.objects.filter(
        instrument=instrument,
        workshop=enrolment.workshop,
        wave=quiz.impact_wave,
        audience=SurveyLink.Audience.TRAINED,
    ).first() or link_create(
        instrument=instrument,
        wave=quiz.impact_wave,
        audience=SurveyLink.Audience.TRAINED,
        workshop=enrolment.workshop,
        by=None,
    )
    # The first attempt is the measurement; later attempts keep it (response_save).
    response_save(
        link=link,
        code=evaluation_code(instrument_id=instrument.pk, person_id=enrolment.person_id),
        answers=answers,
    )
