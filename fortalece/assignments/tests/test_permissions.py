"""Permission matrix of every assignments URL: a learner never reaches another learner's
submission, file or grade; a trainer only the cohorts they train."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fortalece.accounts.models import Role
from fortalece.assignments.services import submission_create
from fortalece.assignments.tests.factories import PDF, make_rubric
from fortalece.core.testing import Expect, assert_permission_matrix, make_user
from fortalece.people.tests.factories import PersonFactory
from fortalece.training.models import WorkshopTrainer
from fortalece.training.tests.factories import EnrolmentFactory, WorkshopFactory


@pytest.fixture
def cast(course_work):
    w = course_work
    other_cohort = WorkshopFactory(course=w.course, country=w.mexico, subdivision=w.jalisco)
    other_trainer = PersonFactory(institution=w.institution)
    WorkshopTrainer.objects.create(workshop=other_cohort, person=other_trainer)
    w.users["other_trainer"] = make_user(Role.TRAINER, country=w.mexico, person=other_trainer)
    classmate = PersonFactory(institution=w.institution)
    EnrolmentFactory(workshop=w.workshop, person=classmate)
    w.users["classmate"] = make_user(Role.LEARNER, person=classmate)
    outsider = PersonFactory(institution=w.institution)
    EnrolmentFactory(workshop=w.other_workshop, person=outsider)
    w.users["outsider_learner"] = make_user(Role.LEARNER, person=outsider)
    w.submission = submission_create(
        assignment=w.assignment,
        enrolment=w.enrolment,
        text="Mi trabajo",
        files=[SimpleUploadedFile("a.pdf", PDF)],
        by=w.users["learner"],
    )
    w.file = w.submission.files.get()
    w.rubric = make_rubric(w.course)
    return w


def rows(w, allowed):
    return [Expect("anonymous", None, False)] + [
        Expect(label, user, label in allowed) for label, user in w.users.items()
    ]


STAFF_SEEING = {"admin", "manager", "state_manager", "me", "trainer"}
GRADERS = {"admin", "manager", "state_manager", "trainer"}
AUTHORS = {"admin", "manager", "trainer"}


def test_assignment_page(cast):
    url = reverse("assignments:detail", args=[cast.assignment.pk])
    assert_permission_matrix(
        url,
        rows(
            cast,
            STAFF_SEEING | {"learner", "classmate", "other_trainer", "other_state_manager"},
        ),
    )


def test_submitting(cast):
    cast.assignment.allow_resubmission = True
    cast.assignment.save()
    url = reverse("assignments:submit", args=[cast.assignment.pk])
    assert_permission_matrix(
        url, rows(cast, {"learner", "classmate"}), method="post", data={"text": "Otra vez"}
    )


def test_submitted_file_reaches_only_its_owner_and_the_cohorts_staff(cast):
    url = reverse("assignments:file", args=[cast.file.pk])
    assert_permission_matrix(url, rows(cast, STAFF_SEEING | {"learner"}))


def test_grading_a_submission(cast):
    url = reverse("assignments:grade", args=[cast.submission.pk])
    assert_permission_matrix(url, rows(cast, GRADERS))


def test_grading_queue(cast):
    assert_permission_matrix(
        # Anyone who grades somewhere has a queue (empty outside their cohorts, see below).
        reverse("assignments:queue"),
        rows(cast, GRADERS | {"other_trainer", "other_state_manager", "other_manager"}),
    )


@pytest.mark.parametrize("name", ["rubric_list", "rubric_create"])
def test_rubric_pages(cast, name):
    url = reverse(f"assignments:{name}", args=[cast.course.pk])
    assert_permission_matrix(url, rows(cast, AUTHORS))


def test_rubric_edit(cast):
    url = reverse("assignments:rubric_edit", args=[cast.course.pk, cast.rubric.pk])
    assert_permission_matrix(url, rows(cast, AUTHORS))


def test_assignment_setup(cast):
    url = reverse("assignments:setup", args=[cast.assignment.item.pk])
    assert_permission_matrix(url, rows(cast, AUTHORS))


@pytest.mark.parametrize("name", ["gradebook", "gradebook_export"])
def test_gradebook(cast, name):
    url = reverse(f"assignments:{name}", args=[cast.course.pk])
    # The other cohort's staff see the course's gradebook with their own cohort only.
    assert_permission_matrix(
        url, rows(cast, STAFF_SEEING | {"other_trainer", "other_state_manager"})
    )


def test_gradebook_weights(cast):
    url = reverse("assignments:weights", args=[cast.course.pk])
    assert_permission_matrix(url, rows(cast, AUTHORS))


def test_gradebook_override(cast):
    url = reverse(
        "assignments:override", args=[cast.course.pk, cast.enrolment.pk, cast.assignment.item.pk]
    )
    assert_permission_matrix(url, rows(cast, GRADERS))
    assert_permission_matrix(
        url,
        rows(cast, GRADERS),
        method="post",
        data={"score": "80", "reason": "Revisión del comité"},
    )


def test_nobody_grades_their_own_work(cast):
    from fortalece.assignments.policies import submission_policy

    trainer = cast.users["trainer"]
    own = EnrolmentFactory(workshop=cast.workshop, person=trainer.person)
    mine = submission_create(
        assignment=cast.assignment, enrolment=own, text="x", files=[], by=trainer
    )
    gradable = submission_policy.instances_user_has_permission_for(trainer, "grade")
    assert cast.submission in gradable and mine not in gradable


def test_staff_of_another_cohort_see_none_of_this_cohorts_work(cast):
    from fortalece.core.testing import client_for

    for label in ("other_trainer", "other_state_manager", "other_manager"):
        client = client_for(cast.users[label])
        queue = client.get(reverse("assignments:queue"))
        assert queue.status_code == 200
        assert cast.person.family_names not in queue.content.decode()
        if label != "other_manager":
            book = client.get(reverse("assignments:gradebook", args=[cast.course.pk]))
            assert book.status_code == 200
            assert cast.person.family_names not in book.content.decode()


def test_a_learner_never_sees_a_classmates_work_or_grade(cast):
    from fortalece.core.testing import client_for

    client = client_for(cast.users["classmate"])
    page = client.get(reverse("assignments:detail", args=[cast.assignment.pk]))
    assert page.status_code == 200
    assert "Mi trabajo" not in page.content.decode()
    assert client.get(reverse("assignments:file", args=[cast.file.pk])).status_code == 404
