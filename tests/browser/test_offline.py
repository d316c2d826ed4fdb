"""Issue 8's offline journey on a 390×844 phone: a learner opens a lesson, saves it, loses the
signal (Playwright's offline mode), reads the saved lesson, answers a quiz and writes an
assignment offline; when the signal returns the outbox sends them and the server holds exactly
one attempt submission and one submission. The same when the request is lost and retried
three times, and with two tabs."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest
from playwright.sync_api import Page, expect

from fortalece.assignments.models import Submission
from fortalece.assignments.tests.factories import AssignmentFactory
from fortalece.core.testing import PASSWORD
from fortalece.learning.models import CourseItem
from fortalece.learning.tests.factories import CourseItemFactory, CourseModuleFactory
from fortalece.quizzes.core.gift import read_gift
from fortalece.quizzes.models import Attempt, Quiz
from fortalece.quizzes.services import bank
from tests.browser.conftest import go, shot, sign_in
from tests.browser.test_learning import no_horizontal_scroll, online_cohort, warm_up

pytestmark = pytest.mark.django_db(transaction=True)

GIFT = r"""
::Seguridad::¿Qué es lo primero al atender a una víctima?{
  ~Pedir pruebas
  =Garantizar su seguridad
  ~Llamar a su familia
}

::Privado::La violencia familiar es un asunto privado.{F}
"""
LESSON_TEXT = "Escuche sin juzgar y anote los hechos con las palabras de la persona."
OFFLINE_TEXT = "Escrito en el patrullaje, sin señal: valoré el riesgo como alto."


def offline_course() -> SimpleNamespace:
    course, enrolment = online_cohort()
    module = CourseModuleFactory(course=course, title="Primer contacto")
    lesson = CourseItemFactory(
        module=module, title="Escucha activa", body=f"<p>{LESSON_TEXT}</p>", required=False
    )
    quiz_item = CourseItemFactory(module=module, kind=CourseItem.Kind.QUIZ, title="Evaluación")
    bank.questions_import(course=course, questions=read_gift(GIFT))
    quiz = Quiz.objects.create(
        item=quiz_item, allow_offline=True, shuffle_questions=False, shuffle_options=False
    )
    assignment = AssignmentFactory(item__module=module, item__title="Análisis de un caso")
    return SimpleNamespace(
        course=course, enrolment=enrolment, lesson=lesson, quiz=quiz, assignment=assignment
    )


def ready(page: Page) -> None:
    """The service worker is installed and controls the page."""
    page.wait_for_function("() => Boolean(navigator.serviceWorker.controller)")


def waiting(page: Page) -> int:
    return page.evaluate(
        """() => new Promise((resolve) => {
            const open = indexedDB.open("fortalece-outbox", 1);
            open.onsuccess = () => {
                const r = open.result.transaction("items").objectStore("items").count();
                r.onsuccess = () => resolve(r.result);
            };
        })"""
    )


def expect_waiting(page: Page, count: int) -> None:
    """The outbox holds ``count`` items, once the tabs' last writes to it have landed."""
    deadline = time.monotonic() + 10
    while waiting(page) != count and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    assert waiting(page) == count


def idle(page: Page) -> None:
    """The outbox has nothing left to send and is not sending."""
    page.wait_for_function("() => window.fortaleceOutbox && !window.fortaleceOutbox.busy")
    page.wait_for_function("() => document.querySelector('[data-outbox-count]').hidden")


def offline_shot(page: Page, name: str) -> None:
    """A screenshot of an offline page: the browser logs the failed requests it tried (and
    htmx's refused autosaves) as console errors; those are expected, others are not."""
    errors = getattr(page, "console_errors", [])
    expected = ("ERR_INTERNET_DISCONNECTED", "Failed to load resource", "Failed to fetch")
    page.console_errors = [e for e in errors if not any(x in e for x in expected)]  # type: ignore[attr-defined]
    shot(page, name)


def open_everything_online(page: Page, w: SimpleNamespace) -> None:
    """Signed in with a signal: My learning, the lesson (saved for offline), the quiz started,
    the assignment page; every one of them is now on the phone."""
    sign_in(page, "itzel@example.org", PASSWORD)
    assert "/learning/mine/" in page.url  # a learner lands on My learning
    ready(page)
    go(page, "/learning/mine/")  # now through the worker: kept
    go(page, f"/learning/take/items/{w.lesson.pk}/")
    page.get_by_role("button", name="Guardar para usar sin conexión").click()
    save = page.locator("[data-save-offline] button")
    expect(page.locator("[data-save-offline-status]")).to_contain_text("Guardada")
    expect(save).to_have_attribute("aria-pressed", "true")
    shot(page, "offline-lesson-saved-phone-es")
    go(page, f"/learning/quizzes/item/{w.quiz.item.pk}/")
    page.locator(f"form[action='/learning/quizzes/item/{w.quiz.item.pk}/start/'] button").click()
    page.wait_for_load_state("networkidle")
    assert "/attempt/" in page.url
    w.attempt_url = page.url
    go(page, f"/learning/assignments/{w.assignment.pk}/")


def answer_quiz(page: Page) -> None:
    page.get_by_label("Garantizar su seguridad").check()
    page.get_by_label("Falso").check()
    page.get_by_role("button", name="Enviar respuestas").click()


def write_assignment(page: Page, text: str = OFFLINE_TEXT) -> None:
    page.locator("textarea[name=text]").fill(text)
    page.get_by_role("button", name="Entregar").click()


def test_a_learner_answers_offline_and_everything_arrives_exactly_once(phone):
    w = offline_course()
    warm_up(phone)
    open_everything_online(phone, w)

    phone.context.set_offline(True)
    # The saved lesson reads without a signal.
    go(phone, f"/learning/take/items/{w.lesson.pk}/")
    assert LESSON_TEXT in phone.content()
    no_horizontal_scroll(phone)
    offline_shot(phone, "offline-lesson-read-offline-phone-es")
    # What needs the server says so on the page, instead of the browser's error page.
    phone.get_by_role("button", name="Marcar como hecha y continuar").click()
    expect(phone.locator(".sticky-actions [data-outbox-status]")).to_contain_text("Sin conexión")
    assert f"/learning/take/items/{w.lesson.pk}/" in phone.url
    # A page never opened: the offline page, listing the saved lesson.
    go(phone, f"/learning/take/{w.course.pk}/?never=opened")
    expect(phone.get_by_role("heading", name="Sin conexión")).to_be_visible()
    expect(phone.locator("[data-offline-saved-list]")).to_contain_text("Escucha activa")

    phone.goto(w.attempt_url)
    answer_quiz(phone)
    expect(phone.locator("[data-outbox-count]")).to_have_text("1 respuesta en espera de envío")
    offline_shot(phone, "offline-quiz-kept-phone-es")
    go(phone, f"/learning/assignments/{w.assignment.pk}/")
    write_assignment(phone)
    expect(phone.locator("[data-outbox-count]")).to_have_text("2 respuestas en espera de envío")
    offline_shot(phone, "offline-assignment-kept-phone-es")
    assert waiting(phone) == 2
    assert Attempt.objects.get().submitted_at is None and not Submission.objects.exists()

    phone.context.set_offline(False)
    phone.wait_for_function("() => document.querySelector('[data-outbox-banner]').hidden")
    assert waiting(phone) == 0
    attempt = Attempt.objects.get()
    assert attempt.submitted_at is not None and attempt.submit_key
    submission = Submission.objects.get()
    assert submission.text == OFFLINE_TEXT
    offline_shot(phone, "offline-everything-sent-phone-es")


def test_a_request_lost_twice_is_sent_the_third_time_and_counts_once(phone):
    w = offline_course()
    warm_up(phone)
    open_everything_online(phone, w)
    calls: list[str] = []

    def flaky(route):
        calls.append(route.request.url)
        if len(calls) % 3 == 1:
            route.abort("internetdisconnected")  # never reached the server
        elif len(calls) % 3 == 2:
            route.fetch()  # reached the server, but the answer was lost on the way back
            route.abort("connectionreset")
        else:
            route.continue_()

    def tries(n: int) -> None:
        for _ in range(100):
            if len(calls) >= n:
                break
            phone.wait_for_timeout(100)
        phone.wait_for_function("() => !document.querySelector('[data-outbox-retry]').disabled")
        assert len(calls) == n

    phone.route("**/submit/", flaky)
    phone.goto(w.attempt_url)
    answer_quiz(phone)  # first try: the request never arrives
    tries(1)
    expect(phone.locator("[data-outbox-count]")).to_have_text("1 respuesta en espera de envío")
    phone.get_by_role("button", name="Enviar ahora").click()  # second try: the answer is lost
    tries(2)
    expect(phone.locator("[data-outbox-count]")).to_have_text("1 respuesta en espera de envío")
    assert Attempt.objects.get().submitted_at is not None  # the server did record it
    phone.get_by_role("button", name="Enviar ahora").click()  # third try: the same outcome
    tries(3)
    phone.wait_for_function("() => document.querySelector('[data-outbox-banner]').hidden")
    assert Attempt.objects.count() == 1

    go(phone, f"/learning/assignments/{w.assignment.pk}/")
    write_assignment(phone)
    tries(4)
    expect(phone.locator("[data-outbox-count]")).to_have_text("1 respuesta en espera de envío")
    phone.get_by_role("button", name="Enviar ahora").click()
    tries(5)
    assert Submission.objects.count() == 1  # recorded, though the phone did not hear it
    phone.get_by_role("button", name="Enviar ahora").click()
    tries(6)
    phone.wait_for_function("() => document.querySelector('[data-outbox-banner]').hidden")
    assert Submission.objects.count() == 1 and Attempt.objects.count() == 1


def test_two_tabs_offline_make_one_attempt_and_one_submission(phone):
    w = offline_course()
    w.assignment.allow_resubmission = False  # the second text is refused, visibly
    w.assignment.save()
    warm_up(phone)
    open_everything_online(phone, w)
    second = phone.context.new_page()
    second.base_url = phone.base_url  # type: ignore[attr-defined]
    second.console_errors = []  # type: ignore[attr-defined]
    second.goto(w.attempt_url)
    go(second, f"/learning/assignments/{w.assignment.pk}/")

    phone.context.set_offline(True)
    for page in (phone, second):
        page.goto(w.attempt_url)
        answer_quiz(page)
        expect(page.locator("form[data-outbox] [data-outbox-status]")).to_contain_text("Guardada")
        go(page, f"/learning/assignments/{w.assignment.pk}/")
        write_assignment(page, OFFLINE_TEXT + (" (2)" if page is second else ""))
        expect(page.locator("form[data-outbox] [data-outbox-status]")).to_contain_text("Guardada")
    # Both tabs show the copy of each page kept last: the quiz's answers share its key (one
    # item); the second text is other work, with a key of its own.
    expect_waiting(phone, 3)
    phone.context.set_offline(False)  # both tabs hear "online" and send, one at a time
    for page in (phone, second):
        idle(page)
    assert waiting(phone) == 0
    phone.reload()
    idle(phone)
    assert Attempt.objects.filter(submitted_at__isnull=False).count() == 1
    assert Attempt.objects.count() == 1
    assert Submission.objects.count() == 1
    # The tab whose work was not taken is told so, with its text in sight.
    expect(phone.locator("[data-outbox-notices]")).to_contain_text("No se registró")
    offline_shot(phone, "offline-two-tabs-conflict-phone-es")
