"""Every quizzes URL against every role: authors edit banks and quizzes of their courses,
learners take their own attempts, staff see the attempts of the cohorts in their reach, and
a learner never sees another learner's attempt."""

import pytest
from django.urls import reverse

from fortalece.accounts.models import Role
from fortalece.core.testing import Expect, assert_permission_matrix, make_user
from fortalece.people.tests.factories import PersonFactory
from fortalece.quizzes.services import attempts as services
from fortalece.quizzes.tests.factories import make_quiz
from fortalece.training.tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db

AUTHORS = {"admin", "manager", "trainer"}
STAFF = {"admin", "manager", "state_manager", "me", "trainer"}


@pytest.fixture
def cast(world):
    q = make_quiz(world)
    other_person = PersonFactory(institution=world.institution)
    other_enrolment = EnrolmentFactory(workshop=world.workshop, person=other_person)
    users = dict(world.users)
    users["other_learner"] = make_user(Role.LEARNER, person=other_person)
    attempt = services.attempt_start(quiz=q.quiz, enrolment=world.enrolment)
    other_attempt = services.attempt_start(quiz=q.quiz, enrolment=other_enrolment)
    services.attempt_submit(attempt=other_attempt, answers={})
    world.users = users
    return world, q, attempt, other_attempt


def rows(world, allowed):
    result = [Expect("anonymous", None, False)]
    for label, user in world.users.items():
        result.append(Expect(label, user, label in allowed and label != "inactive"))
    return result


def test_bank_and_authoring_pages_are_for_the_courses_authors(cast):
    world, q, _attempt, _other = cast
    course = world.course.pk
    question = q.questions[0]
    urls = [
        reverse("quizzes:bank", args=[course]),
        reverse("quizzes:question_add", args=[course, "single"]),
        reverse("quizzes:question_add", args=[course, "ordering"]),
        reverse("quizzes:question_edit", args=[question.pk]),
        reverse("quizzes:question_delete", args=[question.pk]),
        reverse("quizzes:category_edit", args=[question.category_id]),
        reverse("quizzes:import", args=[course]),
        reverse("quizzes:export", args=[course, "gift"]),
        reverse("quizzes:export", args=[course, "aiken"]),
        reverse("quizzes:settings", args=[q.item.pk]),
    ]
    for url in urls:
        assert_permission_matrix(url, rows(world, AUTHORS))


def test_authoring_posts_are_for_the_courses_authors(cast):
    world, q, _attempt, _other = cast
    url = reverse("quizzes:import", args=[world.course.pk])
    refused = [r for r in rows(world, set()) if r.user is not None and r.label not in AUTHORS]
    assert_permission_matrix(url, refused, method="post", data={"fmt": "gift", "text": "x {T}"})


def test_results_are_for_staff_of_the_cohorts(cast):
    world, q, _attempt, _other = cast
    assert_permission_matrix(reverse("quizzes:results", args=[q.item.pk]), rows(world, STAFF))


def test_the_quiz_page_is_for_its_learners_and_staff(cast):
    world, q, _attempt, _other = cast
    allowed = STAFF | {"learner", "other_learner"}
    assert_permission_matrix(reverse("quizzes:quiz", args=[q.item.pk]), rows(world, allowed))


def test_only_the_learner_answers_their_attempt(cast):
    world, q, attempt, _other = cast
    for name in ("quizzes:attempt", "quizzes:submit_confirm"):
        assert_permission_matrix(reverse(name, args=[attempt.pk]), rows(world, {"learner"}))
    assert_permission_matrix(
        reverse("quizzes:save", args=[attempt.pk]),
        rows(world, {"learner"}),
        method="post",
        data={"question": str(q.questions[0].pk), f"q{q.questions[0].pk}": "1"},
    )


def test_a_learner_never_sees_another_learners_attempt(cast):
    world, q, attempt, other = cast
    allowed = STAFF | {"other_learner"}
    assert_permission_matrix(reverse("quizzes:result", args=[other.pk]), rows(world, allowed))
    refused = [r for r in rows(world, set()) if r.label != "learner"]
    assert_permission_matrix(
        reverse("quizzes:submit", args=[attempt.pk]), refused, method="post", data={}
    )


def test_only_enrolled_learners_start_attempts(cast):
    world, q, _attempt, _other = cast
    allowed = {"learner", "other_learner"}
    assert_permission_matrix(
        reverse("quizzes:start", args=[q.item.pk]), rows(world, allowed), method="post", data={}
    )
