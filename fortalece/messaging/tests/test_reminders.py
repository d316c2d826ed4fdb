import datetime

import pytest
from django.core import mail
from django.utils import timezone

from fortalece.assignments.tests.factories import AssignmentFactory
from fortalece.learning.models import CourseItem, ItemProgress
from fortalece.learning.tests.factories import CourseItemFactory
from fortalece.messaging.jobs import reminders_send
from fortalece.messaging.models import Kind, Notification, Reminder
from fortalece.training.models import Enrolment

pytestmark = pytest.mark.django_db


def _running(online):
    today = timezone.localdate()
    for workshop in (online.workshop, online.other_cohort):
        workshop.start_date = today - datetime.timedelta(days=30)
        workshop.end_date = today + datetime.timedelta(days=30)
        workshop.save()


def test_due_soon_reminder_is_sent_once_however_often_the_job_runs(online):
    now = timezone.now()
    item = CourseItemFactory(module=online.module, kind=CourseItem.Kind.ASSIGNMENT, title="Caso")
    AssignmentFactory(item=item, due_at=now + datetime.timedelta(hours=20))
    # Far-off and past deadlines remind nobody.
    later = CourseItemFactory(module=online.module, kind=CourseItem.Kind.ASSIGNMENT)
    AssignmentFactory(item=later, due_at=now + datetime.timedelta(days=10))
    # The other cohort's learner has handed it in already.
    ItemProgress.objects.create(
        enrolment=online.other_enrolment,
        item=item,
        started_at=now,
        completed_at=now,
        last_seen_at=now,
    )
    assert reminders_send(now=now) == 1
    assert reminders_send(now=now) == 0
    assert reminders_send(now=now + datetime.timedelta(hours=1)) == 0
    row = Notification.objects.get(kind=Kind.DUE_SOON)
    assert row.recipient == online.users["learner"]
    assert "Caso" in row.text
    assert Reminder.objects.filter(reason=Reminder.Reason.DUE_SOON).count() == 1
    assert len(mail.outbox) == 1


def test_quiz_closing_soon_reminds_too(online):
    from fortalece.quizzes.models import Quiz

    now = timezone.now()
    Quiz.objects.create(item=online.quiz, closes_at=now + datetime.timedelta(hours=5))
    assert reminders_send(now=now) == 2  # both cohorts' learners
    assert reminders_send(now=now) == 0


def test_inactive_learner_is_reminded_once_where_to_resume(online, settings):
    settings.FORTALECE_INACTIVE_DAYS = 7
    _running(online)
    now = timezone.now()
    Enrolment.objects.update(created_at=now - datetime.timedelta(days=20))
    # The other learner opened the lesson yesterday: not inactive.
    ItemProgress.objects.create(
        enrolment=online.other_enrolment,
        item=online.lesson,
        started_at=now - datetime.timedelta(days=1),
        last_seen_at=now - datetime.timedelta(days=1),
    )
    assert reminders_send(now=now) == 1
    assert reminders_send(now=now) == 0
    row = Notification.objects.get(kind=Kind.REMINDER)
    assert row.recipient == online.users["learner"]
    assert online.lesson.title in row.text
    assert row.url == f"/learning/take/items/{online.lesson.pk}/"


def test_no_reminder_for_dropped_or_finished_cohorts(online):
    now = timezone.now()
    Enrolment.objects.update(created_at=now - datetime.timedelta(days=20))
    # The world's cohorts ended in 2021: nobody is reminded to continue them.
    assert reminders_send(now=now) == 0
    _running(online)
    Enrolment.objects.update(status=Enrolment.Status.DROPPED)
    assert reminders_send(now=now) == 0
