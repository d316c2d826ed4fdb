"""Attempts on the server: draws by seed, attempts limit, time limit with grace, pass mark,
item progress, idempotency, best scores for the gradebook and the impact pre/post link."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from fortalece.impact.models import SurveyInstrument, SurveyResponse
from fortalece.learning.models import ItemProgress
from fortalece.people.tests.factories import PersonFactory
from fortalece.quizzes import selectors
from fortalece.quizzes.models import Attempt, Question, QuestionCategory, QuizDraw
from fortalece.quizzes.services import attempts as services
from fortalece.quizzes.services import bank
from fortalece.quizzes.tests.factories import RIGHT, make_quiz
from fortalece.training.models import Enrolment
from fortalece.training.tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages are matched in English whatever language an earlier test left active."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def q(world):
    return make_quiz(world)


def _answers(questions, right=True):
    out = {}
    for question in questions:
        answer = RIGHT[question.title]
        if not right:
            answer = {"Seguridad": 0, "Privado": True}.get(question.title, None)
        out[question.pk] = answer
    return out


def test_a_right_attempt_scores_100_passes_and_completes_the_item(world, q):
    attempt = services.attempt_start(quiz=q.quiz, enrolment=world.enrolment)
    assert attempt.number == 1
    assert len(attempt.question_ids) == 6
    services.attempt_submit(attempt=attempt, answers=_answers(q.questions))
    attempt.refresh_from_db()
    assert attempt.score == Decimal("100.00")
    assert attempt.passed is True
    progress = ItemProgress.objects.get(enrolment=world.enrolment, item=q.item)
    assert progress.completed_at is not None
    assert progress.score == Decimal("100.00")


def test_a_failed_attempt_records_the_score_without_completing(world, q):
    attempt = services.attempt_start(quiz=q.quiz, enrolment=world.enrolment)
    services.attempt_submit(attempt=attempt, answers=_answers(q.questions, right=False))
    attempt.refresh_from_db()
    assert attempt.score == Decimal("0.00")
    assert attempt.passed is False
    progress = ItemProgress.objects.get(enrolment=world.enrolment, item=q.item)
    assert progress.completed_at is None


def test_partial_credit_and_marks_weigh_the_total(world, q):
    medidas = next(x for x in q.questions if x.title == "Medidas")
    medidas.mark = 4
    medidas.save()
    attempt = services.attempt_start(quiz=q.quiz, enrolment=world.enrolment)
    services.attempt_submit(attempt=attempt, answers={medidas.pk: [0]})  # half of 4 marks
    attempt.refresh_from_db()
    assert attempt.score == Decimal("22.22")  # 2 of 9 marks
    assert attempt.responses.count() == 6  # unanswered questions are stored as blanks


def test_the_attempts_limit_is_enforced(world, q):
    q.quiz.attempts_allowed = 2
    q.quiz.save()
    for _ in range(2):
        attempt = services.attempt_start(quiz=q.quiz, enrolment=world.enrolment)
        services.attempt_submit(attempt=attempt, answers={})
    with pytest.raises(ValidationError, match="every attempt"):
        services.attempt_start(quiz=q.quiz, enrolment=world.enrolment)


def test_starting_again_returns_the_open_attempt(world, q):
    first = services.attempt_start(quiz=q.quiz, enrolment=world.enrolment)
    assert services.attempt_start(quiz=q.quiz, enrolment=world.enrolment) == first


def test_the_idempotency_key_gives_back_the_same_attempt(world, q):
    first = services.attempt_start(quiz=q.quiz, enrolment=world.enrolment, idempotency_key="k1")
    services.attempt_submit(attempt=first, answers={})
    again = services.attempt_start(quiz=q.quiz, enrolment=world.enrolment, idempotency_key="k1")
    assert again == first
    assert Attempt.objects.count() == 1
    other = EnrolmentFactory(workshop=world.workshop, person=PersonFactory())
    with pytest.raises(ValidationError):
        services.attempt_start(quiz=q.quiz, enrolment=other, idempotency_key="k1")


def test_answers_after_the_deadline_and_grace_are_refused_and_the_attempt_closes(world, q):
    q.quiz.time_limit_minutes = 10
    q.quiz.save()
    start = timezone.now()
    attempt = services.attempt_start(quiz=q.quiz, enrolment=world.enrolment, now=start)
    assert attempt.deadline == start + datetime.timedelta(minutes=10)
    seguridad = next(x for x in q.questions if x.title == "Seguridad")
    ley = next(x for x in q.questions if x.title == "Ley")
    in_grace = start + datetime.timedelta(minutes=10, seconds=20)
    services.attempt_answer(attempt=attempt, question_id=seguridad.pk, answer=1, now=in_grace)
    late = start + datetime.timedelta(minutes=10, seconds=31)
    with pytest.raises(ValidationError, match="Time is up"):
        services.attempt_answer(attempt=attempt, question_id=ley.pk, answer="LGAMVLV", now=late)
    attempt.refresh_from_db()
    assert not attempt.is_open
    assert attempt.closed_by_time
    assert attempt.score == Decimal("16.67")  # only the answer saved in time counts


def test_a_late_submission_keeps_only_answers_saved_in_time(world, q):
    q.quiz.time_limit_minutes = 5
    q.quiz.save()
    start = timezone.now()
    attempt = services.attempt_start(quiz=q.quiz, enrolment=world.enrolment, now=start)
    late = start + datetime.timedelta(minutes=6)
    services.attempt_submit(attempt=attempt, answers=_answers(q.questions), now=late)
    attempt.refresh_from_db()
    assert attempt.closed_by_time
    assert attempt.score == Decimal("0.00")


def test_an_expired_attempt_closes_when_the_learner_comes_back(world, q):
    q.quiz.time_limit_minutes = 1
    q.quiz.save()
    start = timezone.now() - datetime.timedelta(minutes=5)
    attempt = services.attempt_start(quiz=q.quiz, enrolment=world.enrolment, now=start)
    new = services.attempt_start(quiz=q.quiz, enrolment=world.enrolment)
    attempt.refresh_from_db()
    assert not attempt.is_open and attempt.closed_by_time
    assert new.number == 2


def test_a_closed_quiz_refuses_new_attempts_and_caps_deadlines(world, q):
    now = timezone.now()
    q.quiz.closes_at = now + datetime.timedelta(minutes=3)
    q.quiz.time_limit_minutes = 30
    q.quiz.save()
    attempt = services.attempt_start(quiz=q.quiz, enrolment=world.enrolment, now=now)
    assert attempt.deadline == q.quiz.closes_at
    services.attempt_submit(attempt=attempt, answers={}, now=now)
    with pytest.raises(ValidationError, match="closed"):
        services.attempt_start(
            quiz=q.quiz, enrolment=world.enrolment, now=now + datetime.timedelta(minutes=4)
        )


def test_draws_per_category_are_reproducible_from_the_stored_seed(world, q):
    categories = {c.name: c for c in QuestionCategory.objects.filter(course=world.course)}
    services.quiz_set_draws(
        quiz=q.quiz, draws=[(categories["Primer contacto"], 2), (categories["Marco legal"], 1)]
    )
    q.quiz.shuffle_questions = True
    q.quiz.save()
    attempt = services.attempt_start(quiz=q.quiz, enrolment=world.enrolment)
    assert len(attempt.question_ids) == 3
    rules, pool = services.quiz_rules(q.quiz)
    from fortalece.quizzes.core.draws import draw

    assert draw(pool, rules, seed=attempt.seed, shuffle=True) == attempt.question_ids
    assert QuizDraw.objects.filter(quiz=q.quiz).count() == 2


def test_a_draw_larger_than_its_category_is_refused(world, q):
    category = Question.objects.filter(course=world.course).first().category
    services.quiz_set_draws(quiz=q.quiz, draws=[(category, 50)])
    with pytest.raises(ValidationError, match="has only"):
        services.attempt_start(quiz=q.quiz, enrolment=world.enrolment)


def test_a_dropped_learner_cannot_start(world, q):
    world.enrolment.status = Enrolment.Status.DROPPED
    world.enrolment.save()
    with pytest.raises(ValidationError):
        services.attempt_start(quiz=q.quiz, enrolment=world.enrolment)


def test_best_scores_for_the_gradebook_in_one_query(world, q, django_assert_num_queries):
    others = [EnrolmentFactory(workshop=world.workshop, person=PersonFactory()) for _ in range(3)]
    for enrolment, right in [(world.enrolment, False), (world.enrolment, True), (others[0], False)]:
        attempt = services.attempt_start(quiz=q.quiz, enrolment=enrolment)
        services.attempt_submit(attempt=attempt, answers=_answers(q.questions, right=right))
    services.attempt_start(quiz=q.quiz, enrolment=others[1])  # open: no score yet
    ids = [world.enrolment.pk] + [o.pk for o in others]
    with django_assert_num_queries(1):
        scores = selectors.best_scores(world.course, ids)
    assert scores == {
        (world.enrolment.pk, q.item.pk): Decimal("100.00"),
        (others[0].pk, q.item.pk): Decimal("0.00"),
    }


def test_a_pre_test_flows_into_its_impact_instrument(world, q):
    instrument = SurveyInstrument.objects.create(
        programme=world.programme,
        title="Conocimientos",
        version="1",
        definition={
            "items": [
                {
                    "name": "k_primero",
                    "kind": "knowledge",
                    "correct": "seguridad",
                    "choices": [
                        ["pruebas", "Pedir pruebas"],
                        ["seguridad", "Garantizar su seguridad"],
                        ["familia", "Llamar a su familia"],
                    ],
                },
                {
                    "name": "k_privado",
                    "kind": "knowledge",
                    "correct": "falso",
                    "choices": [["verdadero", "Verdadero"], ["falso", "Falso"]],
                },
            ]
        },
    )
    q.quiz.impact_instrument = instrument
    q.quiz.impact_wave = "pre"
    q.quiz.save()
    for question in q.questions:
        if question.title == "Seguridad":
            question.impact_item = "k_primero"
        elif question.title == "Privado":
            question.impact_item = "k_privado"
        question.save()
    assert services.evaluation_problems(q.quiz) == []
    seguridad = next(x for x in q.questions if x.title == "Seguridad")
    privado = next(x for x in q.questions if x.title == "Privado")
    attempt = services.attempt_start(quiz=q.quiz, enrolment=world.enrolment)
    services.attempt_submit(attempt=attempt, answers={seguridad.pk: 0, privado.pk: False})
    response = SurveyResponse.objects.get()
    assert response.link.wave == "pre"
    assert response.link.workshop == world.workshop
    assert response.answers == {"k_primero": "pruebas", "k_privado": "falso"}
    assert world.person.given_names not in response.code
    # A second attempt keeps the first measurement.
    again = services.attempt_start(quiz=q.quiz, enrolment=world.enrolment)
    services.attempt_submit(attempt=again, answers={seguridad.pk: 1})
    assert SurveyResponse.objects.get().answers["k_primero"] == "pruebas"


def test_evaluation_problems_name_unlinkable_questions(world, q):
    instrument = SurveyInstrument.objects.create(
        programme=world.programme, title="x", version="1", definition={"items": []}
    )
    q.quiz.impact_instrument = instrument
    q.quiz.impact_wave = "post"
    q.quiz.save()
    ley = next(x for x in q.questions if x.title == "Ley")
    ley.impact_item = "nope"
    ley.save()
    problems = services.evaluation_problems(q.quiz)
    assert len(problems) == 1 and "nope" in problems[0]


def test_a_question_with_answers_is_retired_not_deleted(world, q):
    """Its attempts keep it for review; the bank and new attempts no longer have it."""
    attempt = services.attempt_start(quiz=q.quiz, enrolment=world.enrolment)
    services.attempt_submit(attempt=attempt, answers={})
    answered = Question.objects.get(pk=attempt.question_ids[0])
    assert bank.question_delete(question=answered) is True
    assert Question.objects.filter(pk=answered.pk).exists()
    assert not Question.objects.current().filter(pk=answered.pk).exists()
    again = services.attempt_start(quiz=q.quiz, enrolment=world.enrolment)
    assert answered.pk not in again.question_ids and len(again.question_ids) == 5
    # An unanswered question is simply deleted.
    fresh = bank.question_save(
        course=world.course, category=answered.category, question=bank_core("¿Sí?")
    )
    assert bank.question_delete(question=fresh) is False
    assert not Question.objects.filter(pk=fresh.pk).exists()


def test_editing_an_answered_question_keeps_the_attempts_version(world, q):
    """A learner's reviewed attempt shows the question and key it was scored on; the edit is a
    new version for the bank and for new attempts."""
    attempt = services.attempt_start(quiz=q.quiz, enrolment=world.enrolment)
    services.attempt_submit(attempt=attempt, answers=_answers(q.questions))
    attempt.refresh_from_db()
    assert attempt.score == Decimal("100.00")
    original = next(x for x in q.questions if x.title == "Ley")
    core = original_core = bank_core_of(original)
    core = type(core).from_dict({**core.to_dict(), "text": "Texto corregido"})
    edited = bank.question_save(
        course=world.course, category=original.category, question=core, instance=original
    )
    assert edited.pk != original.pk
    original.refresh_from_db()
    assert original.superseded_by_id == edited.pk and original.text == original_core.text
    assert attempt.responses.filter(question=original).exists()
    bank_ids = set(selectors.bank(world.course)[1].values_list("pk", flat=True))
    assert edited.pk in bank_ids and original.pk not in bank_ids
    # Edited again: every earlier version points to the newest.
    newest = bank.question_save(
        course=world.course, category=original.category, question=core, instance=edited
    )
    assert newest.pk == edited.pk  # nobody answered the second version: edited in place
    # The attempt still scores 100 with its own versions.
    attempt.refresh_from_db()
    assert attempt.score == Decimal("100.00")


def bank_core(text):
    from fortalece.quizzes.core.questions import Question as CoreQuestion

    return CoreQuestion.from_dict({"qtype": "true_false", "text": text, "correct": True})


def bank_core_of(question):
    from fortalece.quizzes.core.questions import Question as CoreQuestion

    return CoreQuestion.from_dict(
        {
            **question.content,
            "qtype": question.qtype,
            "text": question.text,
            "title": question.title,
            "general_feedback": question.general_feedback,
        }
    )


def test_a_course_package_and_a_copy_carry_the_bank_and_the_quizzes(world, q):
    from fortalece.learning.services.portability import course_copy, course_export, course_import
    from fortalece.quizzes.models import Quiz

    services.quiz_set_draws(
        quiz=q.quiz,
        draws=[(QuestionCategory.objects.get(course=world.course, name="Marco legal"), 2)],
    )
    q.quiz.attempts_allowed = 5
    q.quiz.save()
    package = course_export(course=world.course)
    imported = course_import(package=package, programme=world.programme)
    copied = course_copy(course=world.course, programme=world.programme, title="Copia")
    for course in (imported, copied):
        assert sorted(Question.objects.filter(course=course).values_list("title", flat=True)) == (
            sorted(x.title for x in q.questions)
        )
        quiz = Quiz.objects.get(item__module__course=course)
        assert quiz.attempts_allowed == 5
        assert [(d.category.name, d.count) for d in quiz.draws.all()] == [("Marco legal", 2)]
        original = Question.objects.get(course=world.course, title="Medidas")
        same = Question.objects.get(course=course, title="Medidas")
        assert same.as_core().choices == original.as_core().choices
