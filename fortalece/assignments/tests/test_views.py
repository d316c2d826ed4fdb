import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from fortalece.assignments import selectors
from fortalece.assignments.models import Assignment, GradeOverride, Submission
from fortalece.assignments.services import assignment_save, submission_create, submission_grade
from fortalece.assignments.tests.factories import PDF, levels, make_rubric
from fortalece.core.testing import client_for
from fortalece.learning.models import CourseItem, ItemProgress
from fortalece.learning.tests.factories import CourseItemFactory
from fortalece.people.tests.factories import PersonFactory
from fortalece.training.tests.factories import EnrolmentFactory, WorkshopFactory

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def detail_url(w):
    return reverse("assignments:detail", args=[w.assignment.pk])


def test_learner_hands_in_text_and_a_file_then_sees_the_status(course_work):
    client = client_for(course_work.users["learner"])
    page = client.get(detail_url(course_work))
    assert page.status_code == 200
    form = page.context["form"]
    response = client.post(
        reverse("assignments:submit", args=[course_work.assignment.pk]),
        {
            "text": "Mi análisis del caso",
            "attachments": [SimpleUploadedFile("Caso 1.pdf", PDF)],
            "key": str(form.initial["key"]),
        },
    )
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.files.get().filename == "Caso 1.pdf"
    page = client.get(detail_url(course_work)).content.decode()
    assert "Mi análisis del caso" in page and "Caso 1.pdf" in page
    # The same form sent twice (a double tap, a retry) hands the work in once.
    client.post(
        reverse("assignments:submit", args=[course_work.assignment.pk]),
        {"text": "Mi análisis del caso", "key": str(form.initial["key"])},
    )
    assert Submission.objects.count() == 1


def test_refused_file_shows_the_reason_and_keeps_nothing(course_work):
    client = client_for(course_work.users["learner"])
    response = client.post(
        reverse("assignments:submit", args=[course_work.assignment.pk]),
        {"attachments": [SimpleUploadedFile("informe.pdf", b"<html><script>x</script>")]},
    )
    assert response.status_code == 400
    assert "does not hold what its name says" in response.content.decode()
    assert not Submission.objects.exists()


def test_oversized_request_is_refused_before_it_is_read(course_work):
    client = client_for(course_work.users["learner"])
    url = reverse("assignments:submit", args=[course_work.assignment.pk])
    response = client.post(url, {"text": "x"}, CONTENT_LENGTH=str(200 * 1024 * 1024))
    assert response.status_code == 413
    assert not Submission.objects.exists()


def test_files_are_served_as_downloads_that_browsers_do_not_sniff(course_work):
    submission = submission_create(
        assignment=course_work.assignment,
        enrolment=course_work.enrolment,
        text="",
        files=[SimpleUploadedFile("Atención.pdf", PDF)],
        by=None,
    )
    record = submission.files.get()
    response = client_for(course_work.users["trainer"]).get(
        reverse("assignments:file", args=[record.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''Atenci%C3%B3n.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == PDF
    assert not record.file.name.startswith(("/", "media"))


def test_trainer_grades_with_the_rubric_and_the_learner_sees_grade_and_feedback(course_work):
    assignment = course_work.assignment
    rubric = make_rubric(course_work.course)
    assignment.grading = Assignment.Grading.RUBRIC
    assignment.rubric = rubric
    assignment_save(assignment=assignment)
    submission = submission_create(
        assignment=assignment, enrolment=course_work.enrolment, text="x", files=[], by=None
    )
    trainer = client_for(course_work.users["trainer"])
    url = reverse("assignments:grade", args=[submission.pk])
    assert trainer.get(url).status_code == 200
    data = {f"c{c}": lv for c, lv in levels(rubric, "Excelente", "Sí").items()}
    response = trainer.post(url, {**data, "feedback": "Muy completo"})
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.grade.score == Decimal(100) and submission.grade.passed
    assert ItemProgress.objects.get(item=assignment.item).completed_at is not None
    page = client_for(course_work.users["learner"]).get(detail_url(course_work)).content.decode()
    assert "Muy completo" in page and "100 %" in page and "Excelente" in page


def test_rich_text_and_feedback_cannot_carry_scripts(course_work):
    """Stored XSS: instructions (rich text), the learner's answer, the trainer's feedback, and
    rubric and criterion names all reach other people's pages."""
    assignment = course_work.assignment
    assignment.instructions = f"<p>Lee el caso</p>{XSS}<a href='javascript:alert(1)'>y</a>"
    assignment_save(assignment=assignment)
    # A row written around the service is still sanitised where it is shown.
    Assignment.objects.filter(pk=assignment.pk).update(instructions=f"<p>ok</p>{XSS}")
    rubric = make_rubric(course_work.course, title=XSS)
    rubric.criteria.update(title=XSS)
    submission = submission_create(
        assignment=assignment, enrolment=course_work.enrolment, text=XSS, files=[], by=None
    )
    submission_grade(
        submission=submission, by=course_work.users["trainer"], points=Decimal(8), feedback=XSS
    )
    pages = [
        client_for(course_work.users["learner"]).get(detail_url(course_work)),
        client_for(course_work.users["trainer"]).get(
            reverse("assignments:grade", args=[submission.pk])
        ),
        client_for(course_work.users["trainer"]).get(
            reverse("assignments:rubric_list", args=[course_work.course.pk])
        ),
    ]
    for page in pages:
        html = page.content.decode()
        assert page.status_code == 200
        assert "<script>alert" not in html
        assert "onerror=alert" not in html.replace("onerror=alert(1)&gt;", "")
        assert "javascript:alert" not in html
    assert "&lt;script&gt;" in pages[0].content.decode()


def make_learners(w, count):
    assignment = w.assignment
    enrolments = [w.enrolment] + [
        EnrolmentFactory(workshop=w.workshop, person=PersonFactory(institution=w.institution))
        for _ in range(count - 1)
    ]
    for i, enrolment in enumerate(enrolments):
        sub = submission_create(
            assignment=assignment, enrolment=enrolment, text="x", files=[], by=None
        )
        if i % 2 == 0:
            submission_grade(submission=sub, by=None, points=Decimal(5 + i % 5))
    return enrolments


def test_gradebook_and_queue_run_a_fixed_number_of_queries(course_work, django_assert_num_queries):
    CourseItemFactory(module=course_work.module, kind=CourseItem.Kind.QUIZ)
    trainer = client_for(course_work.users["trainer"])
    book = reverse("assignments:gradebook", args=[course_work.course.pk]) + "?per=100"
    queue = reverse("assignments:queue")
    make_learners(course_work, 3)
    counts = {}
    for url in (book, queue):
        with CaptureQueriesContext(connection) as small:
            assert trainer.get(url).status_code == 200
        counts[url] = len(small.captured_queries)
    for i in range(12):
        enrolment = EnrolmentFactory(
            workshop=course_work.workshop, person=PersonFactory(institution=course_work.institution)
        )
        sub = submission_create(
            assignment=course_work.assignment, enrolment=enrolment, text="x", files=[], by=None
        )
        if i % 3:
            submission_grade(submission=sub, by=None, points=Decimal(7))
    for url in (book, queue):
        with django_assert_num_queries(counts[url]):
            assert trainer.get(url).status_code == 200


def test_gradebook_reads_quiz_scores_through_the_quiz_engine(course_work, monkeypatch):
    quiz = CourseItemFactory(module=course_work.module, kind=CourseItem.Kind.QUIZ)
    submission = submission_create(
        assignment=course_work.assignment,
        enrolment=course_work.enrolment,
        text="x",
        files=[],
        by=None,
    )
    submission_grade(submission=submission, by=None, points=Decimal(6))
    calls = []

    def best_scores(course, enrolment_ids):  # the signature quizzes.selectors.best_scores has
        calls.append((course.pk, sorted(enrolment_ids)))
        return {(course_work.enrolment.pk, quiz.pk): Decimal("90")}

    monkeypatch.setattr(selectors, "quiz_best_scores", best_scores)
    response = client_for(course_work.users["trainer"]).get(
        reverse("assignments:gradebook", args=[course_work.course.pk])
    )
    row = response.context["rows"][0]
    assert [c.score for c in row.cells] == [Decimal(60), Decimal(90)]
    assert row.total == Decimal(75)
    assert calls == [(course_work.course.pk, [course_work.enrolment.pk])]


def test_quiz_scores_are_the_best_submitted_attempt_of_the_quiz_engine(course_work):
    from django.utils import timezone

    from fortalece.quizzes.models import Attempt, Quiz

    item = CourseItemFactory(module=course_work.module, kind=CourseItem.Kind.QUIZ)
    quiz = Quiz.objects.create(item=item)
    now = timezone.now()
    for number, score, submitted in ((1, 40, now), (2, 85, now), (3, None, None)):
        Attempt.objects.create(
            quiz=quiz,
            enrolment=course_work.enrolment,
            number=number,
            seed=number,
            started_at=now,
            submitted_at=submitted,
            score=score,
        )
    scores = selectors.quiz_best_scores(course_work.course, [course_work.enrolment.pk])
    assert scores == {(course_work.enrolment.pk, item.pk): Decimal(85)}


def test_without_the_quiz_engine_quiz_scores_come_from_progress(course_work, monkeypatch):
    from fortalece.learning.services import item_record_result

    quiz = CourseItemFactory(module=course_work.module, kind=CourseItem.Kind.QUIZ)
    item_record_result(enrolment=course_work.enrolment, item=quiz, completed=False, score=40)
    installed = selectors.apps.is_installed
    monkeypatch.setattr(
        selectors.apps, "is_installed", lambda name: name != "fortalece.quizzes" and installed(name)
    )
    scores = selectors.quiz_best_scores(course_work.course, [course_work.enrolment.pk])
    assert scores == {(course_work.enrolment.pk, quiz.pk): Decimal(40)}


def test_weights_change_the_total(course_work):
    quiz = CourseItemFactory(module=course_work.module, kind=CourseItem.Kind.QUIZ)
    manager = client_for(course_work.users["manager"])
    url = reverse("assignments:weights", args=[course_work.course.pk])
    response = manager.post(url, {f"w{course_work.assignment.item.pk}": "3", f"w{quiz.pk}": "1"})
    assert response.status_code == 302
    submission = submission_create(
        assignment=course_work.assignment,
        enrolment=course_work.enrolment,
        text="x",
        files=[],
        by=None,
    )
    submission_grade(submission=submission, by=None, points=Decimal(8))
    rows = manager.get(reverse("assignments:gradebook", args=[course_work.course.pk])).context[
        "rows"
    ]
    assert rows[0].total == Decimal(60)  # (80 × 3 + 0 × 1) / 4


def test_override_with_a_reason_is_kept_in_history(course_work):
    submission = submission_create(
        assignment=course_work.assignment,
        enrolment=course_work.enrolment,
        text="x",
        files=[],
        by=None,
    )
    submission_grade(submission=submission, by=None, points=Decimal(5))
    trainer = client_for(course_work.users["trainer"])
    url = reverse(
        "assignments:override",
        args=[course_work.course.pk, course_work.enrolment.pk, course_work.assignment.item.pk],
    )
    assert trainer.post(url, {"score": "75"}).status_code == 200  # no reason: refused
    response = trainer.post(url, {"score": "75", "reason": "Entregó la versión final"})
    assert response.status_code == 302
    override = GradeOverride.objects.get()
    assert (override.old_score, override.new_score) == (Decimal(50), Decimal(75))
    assert override.changed_by == course_work.users["trainer"]
    book = trainer.get(reverse("assignments:gradebook", args=[course_work.course.pk]))
    assert book.context["rows"][0].cells[0].overridden
    html = book.content.decode()
    assert f'href="{url}"' in html and "75 %</a>" in html and "changed" in html
    assert course_work.person.full_name in html
    assert "Entregó la versión final" in trainer.get(url).content.decode()


def test_name_search_travels_as_a_token_and_filters(course_work):
    other = EnrolmentFactory(
        workshop=course_work.workshop,
        person=PersonFactory(institution=course_work.institution, family_names="Zúñiga"),
    )
    trainer = client_for(course_work.users["trainer"])
    url = reverse("assignments:gradebook", args=[course_work.course.pk])
    response = trainer.post(url, {"q": "Zúñiga"})
    assert response.status_code == 302
    assert "Zúñiga" not in response["Location"] and "?s=" in response["Location"]
    page = trainer.get(response["Location"])
    assert [r.enrolment.pk for r in page.context["rows"]] == [other.pk]
    assert trainer.get(url + "?q=Zúñiga").status_code == 302  # a hand-typed name is stashed


def test_export_is_formula_safe_and_holds_every_filtered_learner(course_work):
    course_work.person.family_names = '=HYPERLINK("http://evil","x")'
    course_work.person.save()
    submission = submission_create(
        assignment=course_work.assignment,
        enrolment=course_work.enrolment,
        text="x",
        files=[],
        by=None,
    )
    submission_grade(submission=submission, by=None, points=Decimal(9))
    response = client_for(course_work.users["trainer"]).get(
        reverse("assignments:gradebook_export", args=[course_work.course.pk])
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][0] == '\'=HYPERLINK("http://evil","x")'
    assert values[1][4] == 90 and values[1][5] == 90
    assert len(values) == 2


def test_author_sets_an_assignment_up_from_its_course_item(course_work):
    item = CourseItemFactory(module=course_work.module, kind=CourseItem.Kind.ASSIGNMENT)
    client = client_for(course_work.users["manager"])
    url = reverse("assignments:setup", args=[item.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "instructions": "<h2>Entrega</h2><p>Un informe</p><script>x()</script>",
            "late_policy": "penalty",
            "late_penalty_per_day": "5",
            "grading": "points",
            "max_points": "20",
            "pass_percent": "70",
            "allow_resubmission": "on",
            "accept_text": "on",
            "max_files": "2",
            "max_file_mb": "5",
            "file_types": ["pdf", "docx"],
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assignment = Assignment.objects.get(item=item)
    assert assignment.instructions == "<h2>Entrega</h2><p>Un informe</p>"
    assert assignment.file_types == ["pdf", "docx"]


def test_rubric_written_as_lines_with_line_errors(course_work):
    client = client_for(course_work.users["trainer"])
    url = reverse("assignments:rubric_create", args=[course_work.course.pk])
    bad = client.post(url, {"title": "R", "text": "Claridad | Alta = 3 | Baja = 0\nOrden | x"})
    assert "Line 2" in bad.content.decode()
    good = client.post(url, {"title": "R", "text": "Claridad | Alta = 3 | Baja = 0"})
    assert good.status_code == 302
    assert course_work.course.rubrics.get().criteria.get().levels.count() == 2


@pytest.mark.parametrize("language", ["es", "en"])
def test_pages_render_in_both_languages(course_work, language):
    client = client_for(course_work.users["learner"])
    client.cookies["django_language"] = language
    assert client.get(detail_url(course_work)).status_code == 200


@pytest.mark.parametrize("value", ["²", "9" * 30, "-1", "x"])
def test_queue_course_filter_ignores_what_is_not_an_id(course_work, value):
    """``?course=`` beyond any id overflowed the database (a 500); it is now no filter."""
    trainer = client_for(course_work.users["trainer"])
    response = trainer.get(reverse("assignments:queue"), {"course": value})
    assert response.status_code == 200
    assert response.context["course_id"] == 0


def test_gradebook_names_the_cohort_only_when_rows_come_from_several(course_work):
    """On a phone the learner column is narrow: the cohort is said once (the filter), not on
    every row, unless the rows mix cohorts."""
    admin = client_for(course_work.users["admin"])
    book = reverse("assignments:gradebook", args=[course_work.course.pk])
    title = course_work.workshop.title

    def learner_cells(response):
        return "".join(str(row.html).split("</th>")[0] for row in response.context["rows"])

    one = admin.get(book)
    assert title not in learner_cells(one)
    assert "swipe the table sideways" in one.content.decode()
    second = WorkshopFactory(course=course_work.course, title="Second cohort (Guerrero)")
    EnrolmentFactory(workshop=second, person=PersonFactory(institution=course_work.institution))
    both = admin.get(book)
    assert title in learner_cells(both)
    assert "Second cohort (Guerrero)" in learner_cells(both)
    filtered = admin.get(book + f"?cohort={second.pk}")
    assert "Second cohort (Guerrero)" not in learner_cells(filtered)
