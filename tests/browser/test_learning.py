"""Issue 7's journeys: an author builds an online course on a desktop; a learner takes it on a
390×844 phone and gets the certificate. The short one is a single lesson; the whole one adds a
quiz imported from GIFT (failed, then passed) and an assignment graded by the cohort's trainer
before the certificate comes."""

import datetime

import pytest
from playwright.sync_api import expect

from fortalece.accounts.models import Role
from fortalece.core.testing import PASSWORD, make_user
from fortalece.credentials.models import Certificate
from fortalece.learning.models import CourseItem
from fortalece.people.tests.factories import PersonFactory
from fortalece.training.models import Course, Enrolment
from fortalece.training.tests.factories import CourseFactory, EnrolmentFactory, WorkshopFactory
from tests.browser.conftest import go, shot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def online_cohort():
    """An online course with one cohort, its manager (author) and one enrolled learner."""
    course = CourseFactory(title="Primer contacto en línea", modality=Course.Modality.ONLINE)
    programme = course.programme
    cohort = WorkshopFactory(
        course=course,
        title="Cohorte 2026",
        start_date=datetime.date(2026, 10, 5),
        end_date=datetime.date(2026, 12, 20),
    )
    person = PersonFactory(
        given_names="Itzel", family_names="Ramírez Soto", email="itzel@example.org"
    )
    enrolment = EnrolmentFactory(workshop=cohort, person=person, status=Enrolment.Status.ENROLLED)
    make_user(Role.PROGRAMME_MANAGER, email="author@example.org", programme=programme)
    make_user(Role.LEARNER, email="itzel@example.org", person=person)
    return course, enrolment


def author_builds_a_lesson(page, course, *, title="Escucha activa"):
    """On a desktop: add a module and a lesson written in the editor; return the lesson."""
    sign_in(page, "author@example.org", PASSWORD)
    go(page, f"/learning/courses/{course.pk}/")
    shot(page, "learning-course-empty-desktop-en")
    page.fill("input[name=title]", "El primer contacto")
    page.get_by_role("button", name="Add module").click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="Add: Lesson").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("[name=session]")).to_have_count(0)  # a lesson picks no session
    page.fill("input[name=title]", title)
    page.fill("input[name=title_en]", "Active listening")
    page.fill("input[name=duration_minutes]", "20")
    editor = page.locator("[contenteditable=true].ProseMirror")
    editor.click()
    page.keyboard.type("Deje que la persona cuente los hechos a su ritmo.")
    shot(page, "learning-lesson-editor-desktop-en")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("networkidle")
    lesson = CourseItem.objects.get(title=title)
    assert "Deje que la persona cuente" in lesson.body
    page.get_by_role("link", name="Preview as a learner").first.click()
    page.wait_for_load_state("networkidle")
    assert "Deje que la persona cuente" in page.content()
    shot(page, "learning-lesson-preview-desktop-en")
    return lesson


def warm_up(page):
    """The first request imports the whole URL conf (statsmodels and all: ~20 s on a loaded
    machine), longer than the page timeout: make it before the browser does."""
    import urllib.request

    urllib.request.urlopen(page.base_url + "/accounts/login/", timeout=120).read()  # noqa: S310


def no_horizontal_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_author_builds_a_lesson_and_a_learner_completes_it_on_a_phone(desktop, phone):
    course, enrolment = online_cohort()
    warm_up(desktop)
    author_builds_a_lesson(desktop, course)

    sign_in(phone, "itzel@example.org", PASSWORD)
    go(phone, "/learning/mine/")
    no_horizontal_scroll(phone)
    shot(phone, "learning-mine-phone-es")
    phone.get_by_role("link", name=course.title).click()
    phone.wait_for_load_state("networkidle")
    assert "0 de 1" in phone.content()
    shot(phone, "learning-course-phone-es")
    phone.get_by_role("link", name="Empezar").click()
    phone.wait_for_load_state("networkidle")
    assert "Deje que la persona cuente" in phone.content()
    no_horizontal_scroll(phone)
    shot(phone, "learning-lesson-phone-es")
    phone.get_by_role("button", name="Marcar como hecha y continuar").click()
    phone.wait_for_load_state("networkidle")
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
    assert Certificate.objects.filter(enrolment=enrolment).exists()
    assert "Descargar su constancia" in phone.content()
    shot(phone, "learning-course-completed-phone-es")


PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_author_builds_a_course_and_a_learner_takes_it_on_a_phone_to_the_certificate(
    desktop, phone
):
    """Issue 7's journey in one go: on a desktop the author builds a course with a lesson, a
    quiz imported from GIFT and an assignment; on a 390×844 phone the learner reads the lesson,
    fails then passes the quiz and hands the assignment in; the certificate comes only when
    the cohort's trainer has graded it."""
    from fortalece.assignments.models import Assignment, Submission
    from fortalece.training.models import WorkshopTrainer

    course, enrolment = online_cohort()
    trainer = PersonFactory(given_names="Rosa", family_names="Méndez", email="rosa@example.org")
    WorkshopTrainer.objects.create(workshop=enrolment.workshop, person=trainer)
    make_user(Role.TRAINER, email="rosa@example.org", programme=course.programme, person=trainer)
    warm_up(desktop)
    desktop.set_default_timeout(60_000)
    phone.set_default_timeout(60_000)
    lesson = author_builds_a_lesson(desktop, course)
    quiz_item = author_adds_a_quiz_from_gift(desktop, course, signed_in=True)

    # The author adds an assignment to the module and sets it up (desktop, English).
    go(desktop, f"/learning/courses/{course.pk}/")
    desktop.get_by_role("link", name="Add: Assignment").click()
    desktop.wait_for_load_state("networkidle")
    # An assignment's form has no lesson text and no session to pick.
    expect(desktop.locator("[name=body]")).to_have_count(0)
    expect(desktop.locator("[name=session]")).to_have_count(0)
    desktop.fill("input[name=title]", "Análisis de un caso")
    desktop.get_by_role("button", name="Save").click()
    desktop.wait_for_load_state("networkidle")
    # Saving the new assignment opens its settings straight away.
    expect(desktop.locator(".messages")).to_contain_text("Assignment added.")
    expect(desktop.get_by_role("heading", name="Análisis de un caso")).to_be_visible()
    new_item = CourseItem.objects.get(title="Análisis de un caso")
    assert desktop.url.endswith(f"/learning/assignments/item/{new_item.pk}/setup/")
    editor = desktop.locator("[contenteditable=true].ProseMirror")
    editor.click()
    desktop.keyboard.type("Describa un caso que haya atendido y cómo valoró el riesgo.")
    desktop.get_by_label("Points available").fill("10")
    shot(desktop, "assignment-settings-desktop-en")
    desktop.get_by_role("button", name="Save").click()
    desktop.wait_for_load_state("networkidle")
    assignment = Assignment.objects.get(item__module__course=course)
    assert "valoró el riesgo" in assignment.instructions
    go(desktop, f"/learning/courses/{course.pk}/")
    shot(desktop, "learning-course-outline-desktop-en")

    # The learner, on a phone in Spanish, reads the lesson, fails then passes the quiz…
    sign_in(phone, "itzel@example.org", PASSWORD)
    go(phone, f"/learning/take/{course.pk}/")
    assert "0 de 3" in phone.content()
    go(phone, f"/learning/take/items/{lesson.pk}/")
    phone.get_by_role("button", name="Marcar como hecha y continuar").click()
    phone.wait_for_load_state("networkidle")
    learner_fails_then_passes(phone, quiz_item)
    enrolment.refresh_from_db()
    assert enrolment.status != Enrolment.Status.COMPLETED  # the assignment is still to do

    # … and hands the assignment in.
    go(phone, f"/learning/take/items/{assignment.item.pk}/")
    phone.get_by_role("link", name="Abrir la tarea: instrucciones y entrega").click()
    phone.wait_for_load_state("networkidle")
    assert "valoró el riesgo" in phone.content()
    phone.get_by_label("Su respuesta").fill("Valoré el riesgo como alto y la canalicé al CJM.")
    phone.set_input_files(
        "input[name=attachments]",
        files=[{"name": "mi análisis.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    no_horizontal_scroll(phone)
    shot(phone, "assignment-hand-in-phone-es")
    phone.get_by_role("button", name="Entregar", exact=True).click()
    # The outbox sends it (fetch), then opens the page the server named.
    expect(phone.locator(".messages")).to_contain_text("Su trabajo fue entregado.")
    phone.wait_for_load_state("networkidle")
    assert "Por calificar" in phone.content()
    assert "mi análisis.pdf" in phone.content()
    no_horizontal_scroll(phone)
    shot(phone, "assignment-handed-in-phone-es")
    submission = Submission.objects.get()
    assert submission.files.get().content_type == "application/pdf"
    assert not Certificate.objects.filter(enrolment=enrolment).exists()

    # The cohort's trainer grades it from the queue (desktop, English).
    desktop.context.clear_cookies()
    sign_in(desktop, "rosa@example.org", PASSWORD)
    desktop.locator("summary.navmenu__toggle", has_text="Courses").click()  # the header's group
    desktop.get_by_role("link", name="Grading").click()
    desktop.wait_for_load_state("networkidle")
    shot(desktop, "assignment-queue-desktop-en")
    desktop.get_by_role("link", name="Grade", exact=True).click()
    desktop.wait_for_load_state("networkidle")
    desktop.get_by_label("Points (out of 10)").fill("8")
    desktop.get_by_label("Feedback for the learner").fill("Buena valoración del riesgo.")
    shot(desktop, "assignment-grade-desktop-en")
    desktop.get_by_role("button", name="Save grade").click()
    desktop.wait_for_load_state("networkidle")
    assert "Nothing to grade" in desktop.content()

    # The learner sees the grade and feedback, and the certificate.
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
    assert Certificate.objects.filter(enrolment=enrolment).exists()
    go(phone, f"/learning/assignments/{assignment.pk}/")
    assert "Buena valoración del riesgo." in phone.content() and "80 %" in phone.content()
    no_horizontal_scroll(phone)
    shot(phone, "assignment-graded-phone-es")
    go(phone, f"/learning/take/{course.pk}/")
    assert "Descargar su constancia" in phone.content()
    shot(phone, "assignment-certificate-phone-es")


QUIZ_GIFT_BAD = """::Seguridad::¿Qué es lo primero al atender a una víctima?{
~Pedir pruebas
=Garantizar su seguridad#¡Correcto!
~%abc%Llamar a su familia
}
"""
QUIZ_GIFT = """$CATEGORY: Primer contacto

::Seguridad::¿Qué es lo primero al atender a una víctima?{
~Pedir pruebas#Primero su seguridad.
=Garantizar su seguridad#¡Correcto!
~Llamar a su familia
}

::Privado::La violencia familiar es un asunto privado.{F#No: es un delito.#Bien.}
"""


def author_adds_a_quiz_from_gift(page, course, *, signed_in=False):
    """On a desktop: add a quiz item, import its questions from GIFT (a bad line is shown
    first, nothing saved), then set the quiz (review right after each attempt)."""
    from fortalece.quizzes.models import Question

    if not signed_in:
        sign_in(page, "author@example.org", PASSWORD)
    go(page, f"/learning/courses/{course.pk}/")
    if not CourseItem.objects.filter(module__course=course).exists():
        page.fill("input[name=title]", "El primer contacto")
        page.get_by_role("button", name="Add module").click()
        page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="Add: Quiz").first.click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("[name=body]")).to_have_count(0)  # a quiz has no lesson text
    shot(page, "learning-quiz-item-form-desktop-en")
    page.fill("input[name=title]", "Evaluación final")
    page.fill("input[name=title_en]", "Final quiz")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("networkidle")
    # Saving the new quiz opens its settings: its questions come from the bank.
    expect(page.locator(".messages")).to_contain_text("Quiz added.")
    expect(page.get_by_role("heading", name="Quiz settings")).to_be_visible()
    shot(page, "learning-quiz-settings-after-adding-desktop-en")
    go(page, f"/learning/courses/{course.pk}/")
    page.get_by_role("link", name="Question bank").first.click()
    page.get_by_role("link", name="Import GIFT or Aiken").click()
    page.fill("textarea[name=text]", QUIZ_GIFT_BAD)
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#import-errors")).to_contain_text("Line 4")
    assert not Question.objects.exists()
    shot(page, "learning-quiz-import-error-desktop-en")
    page.fill("textarea[name=text]", QUIZ_GIFT)
    page.get_by_role("button", name="Import").click()
    page.wait_for_load_state("networkidle")
    assert "2 questions imported" in page.content()
    shot(page, "learning-quiz-bank-desktop-en")
    page.get_by_role("link", name="Settings").first.click()
    page.fill("input[name=attempts_allowed]", "3")
    page.fill("input[name=pass_mark]", "100")
    page.select_option("select[name=review]", "attempt")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("networkidle")
    assert "Quiz settings saved" in page.content()
    return CourseItem.objects.get(module__course=course, kind=CourseItem.Kind.QUIZ)


def saved(phone, count):
    """Wait until htmx has saved ``count`` answers (each shows "Guardado"), as a learner sees."""
    phone.locator(".save-status .saved").nth(count - 1).wait_for()


def learner_fails_then_passes(phone, item):
    """On a phone: open the quiz from its item, fail it, see the review, pass it."""
    from django.urls import reverse

    from fortalece.quizzes.models import Attempt

    go(phone, reverse("learning:item", args=[item.pk]))
    phone.get_by_role("link", name="Abrir el cuestionario").click()
    phone.get_by_role("button", name="Comenzar el cuestionario").click()
    phone.wait_for_load_state("networkidle")
    html = phone.content()
    assert "Primero su seguridad" not in html and "¡Correcto!" not in html  # no answer key
    no_horizontal_scroll(phone)
    phone.get_by_label("Pedir pruebas").check()
    phone.get_by_label("Verdadero").check()
    saved(phone, 2)
    shot(phone, "learning-quiz-attempt-phone-es")
    phone.get_by_role("button", name="Enviar respuestas").click()
    phone.wait_for_load_state("networkidle")
    assert "No aprobado" in phone.content()
    assert "Primero su seguridad." in phone.content()
    no_horizontal_scroll(phone)
    shot(phone, "learning-quiz-failed-phone-es")
    phone.get_by_role("button", name="Intentar de nuevo").click()
    phone.wait_for_load_state("networkidle")
    phone.get_by_label("Garantizar su seguridad").check()
    phone.get_by_label("Falso").check()
    saved(phone, 2)
    phone.get_by_role("button", name="Enviar respuestas").click()
    phone.wait_for_load_state("networkidle")
    assert "Aprobado" in phone.content()
    shot(phone, "learning-quiz-passed-phone-es")
    assert list(Attempt.objects.order_by("number").values_list("passed", flat=True)) == [
        False,
        True,
    ]
