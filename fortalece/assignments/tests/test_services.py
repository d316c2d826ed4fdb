import datetime
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fortalece.assignments.models import Assignment, GradeOverride, Submission
from fortalece.assignments.selectors import gradebook_cell
from fortalece.assignments.services import (
    assignment_save,
    grade_override,
    submission_create,
    submission_grade,
)
from fortalece.assignments.tests.factories import PDF, levels, make_rubric
from fortalece.credentials.models import Certificate
from fortalece.learning.models import ItemProgress
from fortalece.training.models import Enrolment


def pdf(name="informe.pdf", data=PDF):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def submit(world, **kwargs):
    defaults = {"text": "Mi respuesta", "files": [], "by": world.users["learner"]}
    defaults.update(kwargs)
    return submission_create(assignment=world.assignment, enrolment=world.enrolment, **defaults)


def test_submission_keeps_sanitised_file_names_and_content_type_from_the_bytes(course_work):
    sub = submit(course_work, files=[pdf("../../Mi informe.PDF")])
    stored = sub.files.get()
    assert stored.filename == "Mi informe.pdf"
    assert stored.content_type == "application/pdf"
    assert stored.size == len(PDF)
    assert "Mi informe" not in stored.file.name  # stored under a name of our own
    assert stored.file.read() == PDF


def test_html_dressed_as_pdf_is_refused_and_nothing_is_saved(course_work):
    with pytest.raises(ValidationError, match="does not hold"):
        submit(course_work, files=[pdf(data=b"<html><script>alert(1)</script>")])
    assert not Submission.objects.exists()


def test_files_over_the_assignments_limits_are_refused(course_work):
    assignment = course_work.assignment
    assignment.max_file_mb = 1
    assignment.max_files = 1
    assignment.save()
    with pytest.raises(ValidationError, match="larger than 1 MB"):
        submit(course_work, files=[pdf(data=PDF + b"0" * 1024 * 1024)])
    with pytest.raises(ValidationError, match="at most 1"):
        submit(course_work, files=[pdf(), pdf("b.pdf")])


def test_empty_submission_is_refused(course_work):
    with pytest.raises(ValidationError):
        submit(course_work, text="   ")


def test_same_idempotency_key_twice_is_one_submission(course_work):
    key = uuid.uuid4()
    first = submit(course_work, idempotency_key=key)
    again = submit(course_work, idempotency_key=key)
    assert first.pk == again.pk
    assert Submission.objects.count() == 1


def test_resubmitting_before_grading_replaces_the_attempt(course_work):
    first = submit(course_work)
    second = submit(course_work, text="Versión corregida")
    first.refresh_from_db()
    assert first.status == Submission.Status.SUPERSEDED
    assert second.attempt == 2
    with pytest.raises(ValidationError):
        submission_grade(submission=first, by=course_work.users["trainer"], points=Decimal(5))


def test_no_resubmission_when_the_assignment_does_not_allow_it(course_work):
    course_work.assignment.allow_resubmission = False
    course_work.assignment.save()
    submit(course_work)
    with pytest.raises(ValidationError, match="again"):
        submit(course_work)


def test_after_grading_only_a_trainers_permission_allows_another_attempt(course_work):
    sub = submit(course_work)
    submission_grade(submission=sub, by=course_work.users["trainer"], points=Decimal(3))
    with pytest.raises(ValidationError, match="again"):
        submit(course_work)
    submission_grade(
        submission=sub, by=course_work.users["trainer"], points=Decimal(3), allow_resubmission=True
    )
    assert submit(course_work).attempt == 2


def test_late_policies(course_work):
    assignment = course_work.assignment
    assignment.due_at = timezone.now() - datetime.timedelta(days=1, hours=2)
    assignment.late_policy = Assignment.LatePolicy.PENALTY
    assignment.late_penalty_per_day = Decimal(10)
    assignment.save()
    sub = submit(course_work)
    assert (sub.days_late, sub.late_penalty_percent) == (2, Decimal(20))
    grade = submission_grade(submission=sub, by=course_work.users["trainer"], points=Decimal(10))
    assert grade.score == Decimal(80)

    assignment.late_policy = Assignment.LatePolicy.REFUSE
    assignment.late_refuse_after_days = 1
    assignment.save()
    Submission.objects.all().delete()
    with pytest.raises(ValidationError, match="deadline"):
        submit(course_work)


def test_passing_grade_completes_the_item_and_issues_the_certificate(course_work):
    sub = submit(course_work)
    grade = submission_grade(submission=sub, by=course_work.users["trainer"], points=Decimal(5))
    assert not grade.passed and grade.score == Decimal(50)
    progress = ItemProgress.objects.get(enrolment=course_work.enrolment)
    assert progress.completed_at is None
    grade = submission_grade(
        submission=sub, by=course_work.users["trainer"], points=Decimal(7), feedback="Bien"
    )
    assert grade.passed
    progress.refresh_from_db()
    assert progress.completed_at is not None and progress.score == Decimal(70)
    course_work.enrolment.refresh_from_db()
    assert course_work.enrolment.status == Enrolment.Status.COMPLETED
    assert Certificate.objects.filter(enrolment=course_work.enrolment).exists()


def test_rubric_grading(course_work):
    assignment = course_work.assignment
    rubric = make_rubric(course_work.course)
    assignment.grading = Assignment.Grading.RUBRIC
    assignment.rubric = rubric
    assignment_save(assignment=assignment)
    sub = submit(course_work)
    grade = submission_grade(
        submission=sub, by=course_work.users["trainer"], selections=levels(rubric, "Adecuado", "Sí")
    )
    assert (grade.points, grade.max_points) == (Decimal(5), Decimal(7))
    assert grade.score == Decimal("71.43")
    assert grade.selections.count() == 2
    with pytest.raises(ValidationError, match="every criterion"):
        submission_grade(
            submission=sub,
            by=course_work.users["trainer"],
            selections=dict(list(levels(rubric, "Adecuado", "Sí").items())[:1]),
        )


def test_points_out_of_range_are_refused(course_work):
    sub = submit(course_work)
    with pytest.raises(ValidationError):
        submission_grade(submission=sub, by=course_work.users["trainer"], points=Decimal(11))


def test_rubric_from_another_course_is_refused(course_work):
    from fortalece.training.tests.factories import CourseFactory

    assignment = course_work.assignment
    assignment.grading = Assignment.Grading.RUBRIC
    assignment.rubric = make_rubric(CourseFactory(programme=course_work.programme))
    with pytest.raises(ValidationError, match="another course"):
        assignment_save(assignment=assignment)


def test_instructions_are_sanitised_on_save(course_work):
    assignment = course_work.assignment
    assignment.instructions = (
        '<h2>Tarea</h2><script>alert(1)</script><a href="javascript:alert(1)" onclick="x()">x</a>'
        '<img src=x onerror=alert(1)><p style="color:red">texto</p>'
    )
    assignment_save(assignment=assignment)
    assignment.refresh_from_db()
    assert "<h2>Tarea</h2>" in assignment.instructions
    for bad in ("script", "javascript", "onclick", "onerror", 'src="x"', "style"):
        assert bad not in assignment.instructions


def test_override_keeps_who_when_old_new_and_why(course_work):
    sub = submit(course_work)
    submission_grade(submission=sub, by=course_work.users["trainer"], points=Decimal(4))
    item = course_work.assignment.item
    enrolment = course_work.enrolment
    assert gradebook_cell(enrolment=enrolment, item=item) == Decimal(40)
    with pytest.raises(ValidationError):
        grade_override(enrolment=enrolment, item=item, new_score=Decimal(90), reason=" ", by=None)
    grade_override(
        enrolment=enrolment,
        item=item,
        new_score=Decimal(65),
        reason="Revisión",
        by=course_work.users["trainer"],
    )
    assert gradebook_cell(enrolment=enrolment, item=item) == Decimal(65)
    grade_override(enrolment=enrolment, item=item, new_score=None, reason="Error", by=None)
    assert gradebook_cell(enrolment=enrolment, item=item) == Decimal(40)
    history = list(
        GradeOverride.objects.order_by("changed_at", "id").values_list(
            "old_score", "new_score", "reason"
        )
    )
    assert history == [(Decimal(40), Decimal(65), "Revisión"), (Decimal(65), None, "Error")]
