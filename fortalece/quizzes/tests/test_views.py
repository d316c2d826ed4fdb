"""The pages: importing with line errors on the page, exporting, authoring each type, taking
a quiz (one page and paged, htmx saves), results and review, with fixed query counts."""

import re

import pytest
from django.urls import reverse

from fortalece.core.testing import client_for, query_count
from fortalece.people.tests.factories import PersonFactory
from fortalece.quizzes.core.gift import read_gift
from fortalece.quizzes.models import Attempt, Question, Quiz
from fortalece.quizzes.services import attempts as services
from fortalece.quizzes.tests.factories import make_quiz
from fortalece.training.tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db

SECRETS = ("SECRETO", "weight", "fraction", "correct", "feedback")


@pytest.fixture
def q(world):
    return make_quiz(world)


@pytest.fixture
def author(world):
    return client_for(world.users["manager"])


@pytest.fixture
def learner(world):
    return client_for(world.users["learner"])


def test_import_shows_every_bad_line_and_saves_nothing(world, author):
    url = reverse("quizzes:import", args=[world.course.pk])
    text = "::a:: Bien {T}\n\n::b:: Mal {~x ~y}\n\n::c:: Sin respuestas\n"
    response = author.post(url, {"fmt": "gift", "text": text})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Línea 3" in page or "Line 3" in page
    assert "Línea 5" in page or "Line 5" in page
    assert Question.objects.filter(course=world.course).count() == 0


def test_import_gift_file_then_export_it_back(world, author):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from fortalece.quizzes.tests.factories import BANK

    url = reverse("quizzes:import", args=[world.course.pk])
    upload = SimpleUploadedFile("banco.txt", BANK.encode("utf-8"), content_type="text/plain")
    response = author.post(url, {"fmt": "gift", "file": upload})
    assert response.status_code == 302
    assert Question.objects.filter(course=world.course).count() == 6
    export = author.get(reverse("quizzes:export", args=[world.course.pk, "gift"]) + "?download=1")
    assert export["Content-Disposition"].startswith("attachment")
    exported = read_gift(export.content.decode())
    assert [x.title for x in exported] == sorted(
        [x.title for x in read_gift(BANK)], key=lambda t: t not in ("Ley", "Horas", "Números")
    )
    aiken = author.get(reverse("quizzes:export", args=[world.course.pk, "aiken"]))
    assert "left out" in aiken.content.decode() or "quedan fuera" in aiken.content.decode()


def test_import_aiken(world, author):
    url = reverse("quizzes:import", args=[world.course.pk])
    text = "¿Primero?\nA. Pruebas\nB. Seguridad\nANSWER: B\n"
    response = author.post(url, {"fmt": "aiken", "text": text, "category": "Aiken"})
    assert response.status_code == 302
    question = Question.objects.get(course=world.course)
    assert question.category.name == "Aiken"


def test_import_refuses_non_utf8_files(world, author):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("b.txt", "¿Qué? {T}".encode("latin-1"))
    response = author.post(
        reverse("quizzes:import", args=[world.course.pk]), {"fmt": "gift", "file": upload}
    )
    assert "UTF-8" in response.content.decode()


FORMS = {
    "single": {"opt-0-text": "Sí", "opt-0-weight": "100", "opt-1-text": "No", "opt-1-weight": "0"},
    "multiple": {
        "opt-0-text": "A",
        "opt-0-weight": "50",
        "opt-1-text": "B",
        "opt-1-weight": "50",
        "opt-2-text": "C",
        "opt-2-weight": "-100",
    },
    "true_false": {"correct": "false", "feedback_true": "No."},
    "short_answer": {"opt-0-text": "CDMX", "wrong_feedback": "No"},
    "numeric": {
        "num-0-value": "72",
        "num-0-tolerance": "1",
        "num-1-value": "1",
        "num-1-high": "5",
        "num-1-weight": "50",
    },
    "matching": {
        "pair-0-left": "911",
        "pair-0-right": "Emergencias",
        "pair-1-left": "089",
        "pair-1-right": "Denuncia",
    },
    "ordering": {"item-0": "Escuchar", "item-1": "Proteger", "item-2": "Canalizar"},
}


@pytest.mark.parametrize("qtype", list(FORMS))
def test_authors_add_and_edit_each_type(world, author, qtype):
    url = reverse("quizzes:question_add", args=[world.course.pk, qtype])
    assert author.get(url).status_code == 200
    data = {"new_category": "Nueva", "text": "¿Pregunta?", "mark": "1", "rows": "6"} | FORMS[qtype]
    response = author.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    question = Question.objects.get(course=world.course)
    assert question.qtype == qtype
    edit = reverse("quizzes:question_edit", args=[question.pk])
    page = author.get(edit)
    assert page.status_code == 200
    response = author.post(edit, data | {"text": "¿Otra?", "category": question.category_id})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.text == "¿Otra?"


def test_an_incomplete_question_is_refused_with_the_reason(world, author):
    url = reverse("quizzes:question_add", args=[world.course.pk, "single"])
    response = author.post(
        url,
        {"new_category": "X", "text": "¿?", "mark": "1", "opt-0-text": "a", "opt-0-weight": "50"},
    )
    assert response.status_code == 200
    assert Question.objects.count() == 0


def test_quiz_settings_save_draws_and_rules(world, author, q):
    url = reverse("quizzes:settings", args=[q.item.pk])
    categories = {c.name: c for c in world.course.question_categories.all()}
    data = {
        "attempts_allowed": "2",
        "time_limit_minutes": "15",
        "pass_mark": "80",
        "review": "close",
        f"draw-{categories['Primer contacto'].pk}": "2",
        f"draw-{categories['Marco legal'].pk}": "0",
    }
    response = author.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    q.quiz.refresh_from_db()
    assert (q.quiz.attempts_allowed, q.quiz.time_limit_minutes, q.quiz.pass_mark) == (2, 15, 80)
    assert q.quiz.draws.count() == 2
    too_many = data | {f"draw-{categories['Marco legal'].pk}": "9"}
    assert author.post(url, too_many).status_code == 200


def test_the_quiz_pages_never_carry_the_answer_key(world, learner, q):
    page = learner.get(reverse("quizzes:quiz", args=[q.item.pk]))
    assert page.status_code == 200
    start = learner.post(reverse("quizzes:start", args=[q.item.pk]))
    attempt = Attempt.objects.get()
    assert start["Location"] == attempt.get_absolute_url()
    html = learner.get(attempt.get_absolute_url()).content.decode()
    for marker in SECRETS:
        assert marker not in html, marker
    assert "Garantizar su seguridad" in html  # options are there, their weights are not
    assert "LGAMVLV" not in html and "Emergencias" in html  # matching answers are choices


def _form_for(html, answers):
    """Post data a learner's browser would send: the options chosen by their text."""
    data = {"all": "1"}
    for name, label in answers.items():
        pattern = rf'name="{name}" value="(\d+)"[^>]*>\s*<span>{re.escape(label)}</span>'
        match = re.search(pattern, html)
        assert match, (name, label)
        data[name] = match.group(1)
    return data


def test_a_learner_fails_then_passes_and_sees_feedback_once_closed(world, learner, q):
    q.quiz.attempts_allowed = 2
    q.quiz.save()
    ids = {x.title: x.pk for x in q.questions}
    learner.post(reverse("quizzes:start", args=[q.item.pk]))
    attempt = Attempt.objects.get()
    html = learner.get(attempt.get_absolute_url()).content.decode()
    wrong = _form_for(html, {f"q{ids['Seguridad']}": "Pedir pruebas"})
    result = learner.post(reverse("quizzes:submit", args=[attempt.pk]), wrong, follow=True)
    page = result.content.decode()
    assert "0%" in page
    assert "SECRETO-FEEDBACK-1" not in page  # review after close: one attempt is left
    assert reverse("learning:take", args=[q.item.module.course_id]) in page  # back to the course

    learner.post(reverse("quizzes:start", args=[q.item.pk]))
    second = Attempt.objects.get(number=2)
    html = learner.get(second.get_absolute_url()).content.decode()
    right = _form_for(
        html,
        {
            f"q{ids['Seguridad']}": "Garantizar su seguridad",
            f"q{ids['Medidas']}": "Orden de alejamiento",
        },
    )
    right[f"q{ids['Medidas']}"] = [
        right[f"q{ids['Medidas']}"],
        _form_for(html, {f"q{ids['Medidas']}": "Rondines de vigilancia"})[f"q{ids['Medidas']}"],
    ]
    right |= {f"q{ids['Privado']}": "false", f"q{ids['Ley']}": "lgamvlv", f"q{ids['Horas']}": "72"}
    numeros = Question.objects.get(pk=ids["Números"])
    for key in ("0", "1"):
        label = re.search(rf'<label for="a-{numeros.pk}-{key}">([^<]+)</label>', html).group(1)
        wanted = {"911": "Emergencias", "089": "Denuncia anónima"}[label]
        select = re.search(rf'name="q{numeros.pk}-{key}">(.*?)</select>', html, re.S).group(1)
        right[f"q{numeros.pk}-{key}"] = re.search(rf'value="(\d+)"[^>]*>{wanted}<', select).group(1)
    result = learner.post(reverse("quizzes:submit", args=[second.pk]), right, follow=True)
    page = result.content.decode()
    second.refresh_from_db()
    assert second.score == 100 and second.passed
    assert "SECRETO-FEEDBACK-2" in page  # no attempts left: the review shows feedback
    assert "SECRETO-GENERAL" in page


def test_htmx_saves_one_answer_and_the_page_shows_it_again(world, learner, q):
    learner.post(reverse("quizzes:start", args=[q.item.pk]))
    attempt = Attempt.objects.get()
    ley = next(x for x in q.questions if x.title == "Ley")
    response = learner.post(
        reverse("quizzes:save", args=[attempt.pk]),
        {"question": str(ley.pk), f"q{ley.pk}": "Ley General de Acceso"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert attempt.responses.get(question=ley).answer == "Ley General de Acceso"
    html = learner.get(attempt.get_absolute_url()).content.decode()
    assert 'value="Ley General de Acceso"' in html


def test_paged_quiz_moves_question_by_question(world, learner, q):
    q.quiz.one_per_page = True
    q.quiz.save()
    learner.post(reverse("quizzes:start", args=[q.item.pk]))
    attempt = Attempt.objects.get()
    first = Question.objects.get(pk=attempt.question_ids[0])
    page = learner.get(attempt.get_absolute_url()).content.decode()
    assert page.count('class="quiz-q"') == 1
    response = learner.post(
        reverse("quizzes:save", args=[attempt.pk]),
        {"question": str(first.pk), f"q{first.pk}": "0", "go": "2"},
    )
    assert response["Location"].endswith("?page=2")
    assert attempt.responses.count() == 1
    last = learner.post(
        reverse("quizzes:save", args=[attempt.pk]),
        {"question": str(attempt.question_ids[-1]), "go": "submit"},
    )
    assert last["Location"] == reverse("quizzes:submit_confirm", args=[attempt.pk])
    assert learner.get(last["Location"]).status_code == 200


def test_bank_and_results_pages_run_a_fixed_number_of_queries(world, author, q):
    staff = client_for(world.users["admin"])
    bank_url = reverse("quizzes:bank", args=[world.course.pk])
    results_url = reverse("quizzes:results", args=[q.item.pk])
    quiz_url = reverse("quizzes:quiz", args=[q.item.pk])
    before = [query_count(author, bank_url), query_count(staff, results_url)]
    before_quiz = query_count(client_for(world.users["learner"]), quiz_url)
    for _ in range(8):
        person = PersonFactory(institution=world.institution)
        enrolment = EnrolmentFactory(workshop=world.workshop, person=person)
        attempt = services.attempt_start(quiz=q.quiz, enrolment=enrolment)
        services.attempt_submit(attempt=attempt, answers={})
    from fortalece.quizzes.services import bank

    bank.questions_import(course=world.course, questions=read_gift("::n:: Nueva {T}"))
    after = [query_count(author, bank_url), query_count(staff, results_url)]
    assert before == after
    assert query_count(client_for(world.users["learner"]), quiz_url) == before_quiz


def test_every_page_has_a_way_in(world, author, q):
    page = author.get(reverse("training:course_detail", args=[world.course.pk])).content.decode()
    assert reverse("quizzes:bank", args=[world.course.pk]) in page
    bank_page = author.get(reverse("quizzes:bank", args=[world.course.pk])).content.decode()
    assert reverse("quizzes:settings", args=[q.item.pk]) in bank_page
    assert reverse("quizzes:import", args=[world.course.pk]) in bank_page
    assert (
        Quiz.objects.get().get_absolute_url()
        in author.get(reverse("quizzes:settings", args=[q.item.pk])).content.decode()
    )


@pytest.mark.parametrize("odd", ["²", "٣", "9" * 30, "x"])
def test_odd_numbers_in_an_attempt_never_give_a_server_error(world, learner, q, odd):
    """``str.isdigit`` is true for "²", which ``int`` refuses: those were 500s (query_int)."""
    q.quiz.one_per_page = True
    q.quiz.save()
    learner.post(reverse("quizzes:start", args=[q.item.pk]))
    attempt = Attempt.objects.get()
    assert learner.get(attempt.get_absolute_url(), {"page": odd}).status_code == 200
    save = reverse("quizzes:save", args=[attempt.pk])
    assert learner.post(save, {"question": odd}).status_code == 404
    first = attempt.question_ids[0]
    moved = learner.post(save, {"question": str(first), f"q{first}": "0", "go": odd})
    assert moved.status_code == 302
    assert moved["Location"] == attempt.get_absolute_url()


@pytest.mark.parametrize("odd", ["²", "x", "9" * 30])
def test_an_odd_row_count_never_gives_a_server_error(world, author, odd):
    url = reverse("quizzes:question_add", args=[world.course.pk, "matching"])
    data = {"new_category": "Nueva", "text": "¿Pregunta?", "mark": "1", "rows": odd}
    assert author.post(url, data | FORMS["matching"] | {"more": "1"}).status_code == 200
    assert author.post(url, data | FORMS["matching"]).status_code == 302


# Starting (the POST that draws the questions): session, user, scope, the quiz and its
# policy (two), the enrolment, the key looked up before and under the enrolment's lock, the open
# attempts, their count, the pool and the draw rules, the new attempt. The attempt page:
# session, user, scope, the attempt and its policy, its questions, its answers, the bell; an
# attempt still in time is not locked to be checked. Neither writes the session (saved at most
# once a minute, SessionRefreshMiddleware).
START_QUERIES = 20
ATTEMPT_QUERIES = 9


@pytest.mark.parametrize("copies", [1, 4])
def test_quiz_start_and_attempt_page_run_a_fixed_number_of_queries(
    world, learner, copies, django_assert_num_queries
):
    from fortalece.quizzes.services import bank
    from fortalece.quizzes.tests.factories import BANK

    q = make_quiz(world, time_limit_minutes=30)
    for _ in range(copies - 1):
        bank.questions_import(course=world.course, questions=read_gift(BANK))
    start = reverse("quizzes:start", args=[q.item.pk])
    learner.get(reverse("quizzes:quiz", args=[q.item.pk]))
    with django_assert_num_queries(START_QUERIES):
        assert learner.post(start, {"key": f"start-{copies}"}).status_code == 302
    attempt = Attempt.objects.get()
    assert len(attempt.question_ids) == 6 * copies
    with django_assert_num_queries(ATTEMPT_QUERIES):
        assert learner.get(attempt.get_absolute_url()).status_code == 200
