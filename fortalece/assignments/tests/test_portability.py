import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from fortalece.assignments.models import Assignment, ItemWeight
from fortalece.assignments.services import assignment_save, submission_create
from fortalece.assignments.tests.factories import make_rubric
from fortalece.learning.models import CourseItem
from fortalece.learning.services.portability import course_copy, course_export, course_import


@pytest.fixture
def set_up(course_work):
    assignment = course_work.assignment
    assignment.grading = Assignment.Grading.RUBRIC
    assignment.rubric = make_rubric(course_work.course)
    assignment.late_policy = Assignment.LatePolicy.PENALTY
    assignment.late_penalty_per_day = Decimal(5)
    assignment.file_types = ["pdf"]
    assignment_save(assignment=assignment)
    ItemWeight.objects.create(item=assignment.item, weight=Decimal(3))
    submission_create(
        assignment=assignment, enrolment=course_work.enrolment, text="x", files=[], by=None
    )
    return course_work


def check_copy(new_course):
    copied = Assignment.objects.get(item__module__course=new_course)
    assert copied.grading == "rubric" and copied.rubric.course == new_course
    assert copied.rubric.criteria.count() == 2
    assert copied.late_penalty_per_day == Decimal(5) and copied.file_types == ["pdf"]
    assert ItemWeight.objects.get(item=copied.item).weight == Decimal(3)
    assert not copied.submissions.exists()  # learners' work never travels


def test_copying_a_course_copies_its_assignments_rubrics_and_weights(set_up):
    copy = course_copy(course=set_up.course, programme=set_up.programme, title="Copia")
    check_copy(copy)


def test_export_then_import_carries_assignments(set_up):
    package = course_export(course=set_up.course)
    imported = course_import(package=package, programme=set_up.programme)
    check_copy(imported)


def test_import_with_a_broken_assignment_part_is_refused(set_up):
    from fortalece.assignments import portability

    item = CourseItem.objects.get(kind="assignment")
    with pytest.raises(ValidationError):
        portability.import_(
            set_up.course, {"assignments": [{"item": "x", "file_types": ["exe"]}]}, {"y": item}, {}
        )
    with pytest.raises(ValidationError):
        portability.import_(
            set_up.course,
            {"assignments": [{"item": "y", "max_points": "NaN"}]},
            {"y": item},
            {},
        )


def test_a_learner_cannot_hand_in_before_the_item_opens(course_work):
    item = course_work.assignment.item
    item.release_on = timezone.localdate() + datetime.timedelta(days=3)
    item.save()
    with pytest.raises(ValidationError, match="not open"):
        submission_create(
            assignment=course_work.assignment,
            enrolment=course_work.enrolment,
            text="x",
            files=[],
            by=None,
        )
