"""The demo banks: valid GIFT, one final quiz per online diploma, passed and failed attempts
by the cohort, and a second run that changes nothing."""

import pytest
from django.utils import timezone

from fortalece.demo.seed import quizzes as demo
from fortalece.learning.models import CourseItem, ItemProgress
from fortalece.learning.tests.factories import CourseItemFactory, CourseModuleFactory
from fortalece.people.tests.factories import PersonFactory
from fortalece.quizzes.core.gift import read_gift
from fortalece.quizzes.models import Attempt, Question, Quiz
from fortalece.training.models import Enrolment
from fortalece.training.tests.factories import CourseFactory, EnrolmentFactory, WorkshopFactory

pytestmark = pytest.mark.django_db


def test_every_demo_bank_is_valid_gift():
    for text in demo.BANKS.values():
        assert len(read_gift(text)) >= 5


def test_seed_adds_a_bank_a_final_quiz_and_the_cohorts_attempts(world):
    world.programme.code = demo.PROGRAMME
    world.programme.save()
    course = CourseFactory(programme=world.programme, title=next(iter(demo.BANKS)))
    module = CourseModuleFactory(course=course)
    lesson = CourseItemFactory(module=module)
    cohort = WorkshopFactory(course=course, country=world.mexico)
    done, half, none = (EnrolmentFactory(workshop=cohort, person=PersonFactory()) for _ in range(3))
    Enrolment.objects.filter(pk=done.pk).update(status=Enrolment.Status.COMPLETED)
    ItemProgress.objects.create(
        enrolment=half,
        item=lesson,
        started_at=timezone.now(),
        completed_at=timezone.now(),
        last_seen_at=timezone.now(),
    )
    assert demo.seed(say=lambda _m: None) is True
    assert Question.objects.filter(course=course).count() == len(
        read_gift(demo.BANKS[course.title])
    )
    quiz = Quiz.objects.get(item__module__course=course)
    assert quiz.item.kind == CourseItem.Kind.QUIZ
    assert Attempt.objects.get(enrolment=done).passed is True
    failed = Attempt.objects.get(enrolment=half)
    assert failed.passed is False and failed.score < quiz.pass_mark
    assert not Attempt.objects.filter(enrolment=none).exists()
    assert demo.seed(say=lambda _m: None) is False
    assert Attempt.objects.count() == 2
