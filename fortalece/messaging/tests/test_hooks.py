import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from fortalece.accounts.models import Role
from fortalece.assignments.services import submission_create, submission_grade
from fortalece.assignments.tests.factories import AssignmentFactory
from fortalece.core.testing import make_user
from fortalece.learning.models import CourseItem
from fortalece.learning.services import content
from fortalece.learning.tests.factories import CourseItemFactory
from fortalece.messaging.models import Kind, Notification

pytestmark = pytest.mark.django_db


def test_grading_with_feedback_notifies_the_learner(online):
    item = CourseItemFactory(module=online.module, kind=CourseItem.Kind.ASSIGNMENT)
    assignment = AssignmentFactory(item=item)
    submission = submission_create(
        assignment=assignment,
        enrolment=online.enrolment,
        text="Mi caso",
        files=[],
        by=online.users["learner"],
    )
    submission_grade(
        submission=submission,
        by=online.users["trainer"],
        points=Decimal(8),
        feedback="Bien argumentado",
    )
    row = Notification.objects.get(recipient=online.users["learner"])
    assert row.kind == Kind.FEEDBACK and row.url == f"/learning/assignments/{assignment.pk}/"
    assert len(mail.outbox) == 1
    submission_grade(submission=submission, by=online.users["trainer"], points=Decimal(9))
    assert (
        Notification.objects.filter(recipient=online.users["learner"], kind=Kind.GRADE).count() == 1
    )


def test_certificate_issued_notifies_the_holder(online):
    from fortalece.credentials.services import certificate_issue
    from fortalece.training.models import Enrolment

    online.enrolment.status = Enrolment.Status.COMPLETED
    online.enrolment.completed_on = datetime.date(2021, 11, 24)
    online.enrolment.save()
    certificate_issue(enrolment=online.enrolment, by=online.users["manager"])
    certificate_issue(enrolment=online.enrolment, by=online.users["manager"])  # the same one
    assert (
        Notification.objects.filter(
            recipient=online.users["learner"], kind=Kind.CERTIFICATE
        ).count()
        == 1
    )


def test_new_lesson_notifies_learners_of_running_cohorts(online):
    online.workshop.end_date = timezone.localdate() + datetime.timedelta(days=10)
    online.workshop.save()
    content.item_create(
        module=online.module,
        kind="lesson",
        title="Nueva",
        body="<p>x</p>",
    )
    rows = Notification.objects.filter(kind=Kind.NEW_CONTENT)
    assert [r.recipient for r in rows] == [online.users["learner"]]  # the other cohort ended
    assert mail.outbox == []  # new content goes to the digest by default


def test_quiz_closed_by_the_clock_tells_the_learner(online):
    from fortalece.quizzes.services import attempts
    from fortalece.quizzes.tests.factories import make_quiz

    q = make_quiz(online, time_limit_minutes=5)
    start = timezone.now()
    attempt = attempts.attempt_start(quiz=q.quiz, enrolment=online.enrolment, now=start)
    assert not Notification.objects.filter(kind=Kind.GRADE).exists()
    attempts.attempt_close_if_expired(attempt=attempt, now=start + datetime.timedelta(hours=1))
    row = Notification.objects.get(recipient=online.users["learner"], kind=Kind.GRADE)
    assert row.url == f"/learning/quizzes/attempt/{attempt.pk}/result/"


def test_a_submitted_quiz_notifies_nobody(online):
    from fortalece.quizzes.services import attempts
    from fortalece.quizzes.tests.factories import make_quiz

    q = make_quiz(online)
    attempt = attempts.attempt_start(quiz=q.quiz, enrolment=online.enrolment)
    attempts.attempt_submit(attempt=attempt)
    assert not Notification.objects.filter(kind=Kind.GRADE).exists()


def test_gradebook_override_tells_the_learner(online):
    from fortalece.assignments.services import grade_override

    grade_override(
        enrolment=online.enrolment,
        item=online.quiz,
        new_score=Decimal(90),
        reason="Revisión",
        by=online.users["trainer"],
    )
    assert (
        Notification.objects.filter(recipient=online.users["learner"], kind=Kind.GRADE).count() == 1
    )


def test_an_online_cohorts_follow_up_survey_reaches_its_learners_once(online):
    """The follow-up job opens the survey of an online cohort: its learners hear of it in the
    bell and by e-mail (their trainers never meet them to hand it out); a learner who dropped
    out and the other cohort's learner are not asked; the job run again tells nobody twice."""
    from fortalece.impact.core.simulate import simulate
    from fortalece.impact.core.xlsform import write_xlsform
    from fortalece.impact.followup import send_due
    from fortalece.impact.models import SurveyLink
    from fortalece.impact.services.instruments import instrument_upload
    from fortalece.impact.services.surveys import link_create
    from fortalece.training.models import Enrolment
    from fortalece.training.tests.factories import EnrolmentFactory, PersonFactory

    instrument = instrument_upload(
        programme=online.programme,
        name="f.xlsx",
        content=write_xlsform(simulate(trained=5, comparison=5, seed=1).instrument),
        by=None,
    )
    post = link_create(
        instrument=instrument,
        wave=SurveyLink.Wave.POST,
        audience=SurveyLink.Audience.TRAINED,
        workshop=online.workshop,
        by=online.users["manager"],
        followup_days=90,
    )
    dropped = EnrolmentFactory(
        workshop=online.workshop,
        person=PersonFactory(institution=online.institution),
        status=Enrolment.Status.DROPPED,
    )
    dropped_user = make_user(Role.LEARNER, person=dropped.person)
    mail.outbox.clear()
    later = online.workshop.end_date + datetime.timedelta(days=91)
    assert send_due(today=later) == 1
    followup = SurveyLink.objects.get(followup_of=post)
    rows = Notification.objects.filter(kind=Kind.SURVEY)
    assert [r.recipient for r in rows] == [online.users["learner"]]
    assert rows.get().url == followup.get_absolute_url()
    assert dropped_user not in [r.recipient for r in rows]
    assert any(online.users["learner"].email in m.to for m in mail.outbox)
    assert send_due(today=later) == 0
    assert Notification.objects.filter(kind=Kind.SURVEY).count() == 1
