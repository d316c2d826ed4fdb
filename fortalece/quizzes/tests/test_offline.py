"""Offline answers exactly once: the start and submit forms carry keys; the same key again
(a retry, the offline outbox, a double tap) is the same attempt and the same outcome; two
requests at once never make a second row; conflicts answer 409 with the answers in sight."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from fortalece.core.testing import client_for, run_at_once
from fortalece.quizzes.models import Attempt
from fortalece.quizzes.services import attempts as services
from fortalece.quizzes.tests.factories import RIGHT, make_quiz


@pytest.fixture(autouse=True)
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


def _answers(questions):
    return {q.pk: RIGHT[q.title] for q in questions}


def _form(q, attempt, key):
    """The one-page form as the browser (or the outbox) sends it, all answers right."""
    data = {"all": "1", "key": key, f"q{_pk(q, 'Seguridad')}": "1"}
    data[f"q{_pk(q, 'Privado')}"] = "false"
    data[f"q{_pk(q, 'Ley')}"] = "LGAMVLV"
    data[f"q{_pk(q, 'Horas')}"] = "72"
    return data


def _pk(q, title):
    return next(question.pk for question in q.questions if question.title == title)


@pytest.mark.django_db
def test_the_quiz_settings_offer_offline_work_and_the_attempt_page_carries_a_key(world):
    q = make_quiz(world, allow_offline=True, one_per_page=True)
    learner = client_for(world.users["learner"])
    page = learner.get(reverse("quizzes:quiz", args=[q.item.pk])).content.decode()
    assert 'name="key"' in page  # the start form's key, for no-JS forms too
    attempt = services.attempt_start(quiz=q.quiz, enrolment=world.enrolment)
    page = learner.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()
    # Offline work needs every question on one page and the outbox marker.
    assert 'data-outbox="quiz"' in page and 'name="key"' in page
    assert page.count('class="quiz-q"') == len(q.questions)
    author = client_for(world.users["manager"])
    settings_page = author.get(reverse("quizzes:settings", args=[q.item.pk])).content.decode()
    assert 'name="allow_offline"' in settings_page


@pytest.mark.django_db
def test_a_quiz_without_offline_work_has_no_outbox_marker(world):
    q = make_quiz(world)
    attempt = services.attempt_start(quiz=q.quiz, enrolment=world.enrolment)
    page = client_for(world.users["learner"]).get(reverse("quizzes:attempt", args=[attempt.pk]))
    assert "data-outbox=" not in page.content.decode()


@pytest.mark.django_db
def test_the_same_submit_sent_three_times_is_one_result(world):
    q = make_quiz(world, allow_offline=True)
    attempt = services.attempt_start(quiz=q.quiz, enrolment=world.enrolment)
    learner = client_for(world.users["learner"])
    key = str(uuid.uuid4())
    url = reverse("quizzes:submit", args=[attempt.pk])
    answers = []
    for _ in range(3):
        response = learner.post(url, _form(q, attempt, key))
        answers.append((response.status_code, response["Location"]))
    assert answers == [(302, reverse("quizzes:result", args=[attempt.pk]))] * 3
    assert Attempt.objects.count() == 1
    attempt.refresh_from_db()
    assert attempt.submit_key == key and attempt.score is not None


@pytest.mark.django_db
def test_a_second_tab_with_its_own_key_gets_a_conflict_with_its_answers_shown(world):
    q = make_quiz(world, allow_offline=True)
    attempt = services.attempt_start(quiz=q.quiz, enrolment=world.enrolment)
    learner = client_for(world.users["learner"])
    url = reverse("quizzes:submit", args=[attempt.pk])
    assert learner.post(url, _form(q, attempt, str(uuid.uuid4()))).status_code == 302
    response = learner.post(url, _form(q, attempt, str(uuid.uuid4())))
    assert response.status_code == 409
    page = response.content.decode()
    assert "ya se envió" in page  # "already submitted", in the learner's Spanish
    assert "Garantizar su seguridad" in page  # the answer the second tab carried
    assert Attempt.objects.count() == 1


@pytest.mark.django_db
def test_answers_arriving_after_the_time_limit_are_a_clear_conflict_also_on_retry(world):
    q = make_quiz(world, allow_offline=True, time_limit_minutes=5)
    started = timezone.now() - datetime.timedelta(minutes=30)
    attempt = services.attempt_start(quiz=q.quiz, enrolment=world.enrolment, now=started)
    key = str(uuid.uuid4())
    for _ in range(2):  # the outbox's retry hears the same answer
        with pytest.raises(services.SubmitConflict, match="Time was up"):
            services.attempt_submit(attempt=attempt, answers=_answers(q.questions), key=key)
    attempt.refresh_from_db()
    assert attempt.closed_by_time and attempt.submitted_at is not None
    assert not attempt.responses.exclude(answer=None).exists()  # late answers not taken
    learner = client_for(world.users["learner"])
    response = learner.post(
        reverse("quizzes:submit", args=[attempt.pk]), _form(q, attempt, str(uuid.uuid4()))
    )
    assert response.status_code == 409 and "Garantizar su seguridad" in response.content.decode()


@pytest.mark.django_db
def test_a_quiz_closed_meanwhile_is_a_conflict(world):
    q = make_quiz(world, allow_offline=True)
    attempt = services.attempt_start(quiz=q.quiz, enrolment=world.enrolment)
    q.quiz.closes_at = timezone.now() - datetime.timedelta(hours=1)
    q.quiz.save()
    with pytest.raises(services.SubmitConflict, match="quiz closed"):
        services.attempt_submit(
            attempt=attempt, answers=_answers(q.questions), key=str(uuid.uuid4())
        )
    assert Attempt.objects.get().submitted_at is not None


@pytest.mark.django_db
def test_a_submit_key_of_another_attempt_is_refused(world):
    q = make_quiz(world, allow_offline=True, attempts_allowed=0)
    first = services.attempt_start(quiz=q.quiz, enrolment=world.enrolment)
    key = str(uuid.uuid4())
    services.attempt_submit(attempt=first, answers={}, key=key)
    second = services.attempt_start(quiz=q.quiz, enrolment=world.enrolment)
    with pytest.raises(ValidationError):
        services.attempt_submit(attempt=second, answers={}, key=key)
    second.refresh_from_db()
    assert second.is_open


@pytest.mark.django_db
def test_the_same_start_key_twice_is_one_attempt_even_after_it_was_submitted(world):
    q = make_quiz(world, allow_offline=True, attempts_allowed=0)
    key = str(uuid.uuid4())
    first = services.attempt_start(quiz=q.quiz, enrolment=world.enrolment, idempotency_key=key)
    services.attempt_submit(attempt=first, answers={})
    again = services.attempt_start(quiz=q.quiz, enrolment=world.enrolment, idempotency_key=key)
    assert again.pk == first.pk and Attempt.objects.count() == 1


@pytest.mark.django_db
def test_attempts_used_up_answer_with_a_message(world):
    q = make_quiz(world, allow_offline=True, attempts_allowed=1)
    attempt = services.attempt_start(quiz=q.quiz, enrolment=world.enrolment)
    services.attempt_submit(attempt=attempt, answers={})
    learner = client_for(world.users["learner"])
    response = learner.post(
        reverse("quizzes:start", args=[q.item.pk]),
        {"key": str(uuid.uuid4())},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "used every attempt" in response.content.decode()
    assert Attempt.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_posts_with_one_key_make_one_attempt_and_one_submission(world):
    """Two tabs or a retry racing the first request: on PostgreSQL in threads (row locks and
    the unique keys meet for real); SQLite serialises writes, so there the service is called
    twice in a row instead."""
    q = make_quiz(world, allow_offline=True, attempts_allowed=0)
    start_key, submit_key = str(uuid.uuid4()), str(uuid.uuid4())

    def go(wait) -> tuple[int, int, object]:
        wait()
        attempt = services.attempt_start(
            quiz=q.quiz, enrolment=world.enrolment, idempotency_key=start_key
        )
        wait()
        done = services.attempt_submit(
            attempt=attempt, answers=_answers(q.questions), key=submit_key
        )
        return (attempt.pk, done.pk, done.score)

    results = run_at_once(go)
    assert len(results) == 2 and results[0] == results[1]
    assert Attempt.objects.count() == 1
    assert Attempt.objects.get().submit_key == submit_key
