"""Notifications for what other apps record, without those apps knowing this one (the
layers point down: docs/architecture.md). Each receiver hands over to ``hooks``.

* a grade saved (``assignments.Grade``, first grading or a regrade): feedback or new grade;
* a gradebook override (``assignments.GradeOverride``): new grade;
* a quiz attempt closed by the clock (``quizzes.Attempt``): new grade;
* a certificate (``credentials.Certificate``) or a diploma (``learning.DiplomaAward``)
  issued: certificate issued;
* a course item created and open now (``learning.CourseItem``): new content;
* a follow-up survey link created (``impact.SurveyLink``, by the follow-up job): a survey to
  answer, for the workshop's or cohort's participants.

Fixtures loaded raw notify nobody.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from fortalece.assignments.models import Grade, GradeOverride
from fortalece.credentials.models import Certificate
from fortalece.impact.models import SurveyLink
from fortalece.learning.models import CourseItem, DiplomaAward
from fortalece.messaging import hooks
from fortalece.quizzes.models import Attempt


@receiver(post_save, sender=Grade, dispatch_uid="messaging_grade")
def grade_saved(sender: Any, instance: Grade, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        hooks.assignment_graded(submission=instance.submission, grade=instance)


@receiver(post_save, sender=GradeOverride, dispatch_uid="messaging_grade_override")
def grade_overridden(
    sender: Any, instance: GradeOverride, created: bool = False, raw: bool = False, **kwargs: Any
) -> None:
    if created and not raw:
        hooks.grade_changed(enrolment=instance.enrolment, item=instance.item)


@receiver(post_save, sender=Attempt, dispatch_uid="messaging_attempt_closed")
def attempt_saved(
    sender: Any, instance: Attempt, raw: bool = False, update_fields: Any = None, **kwargs: Any
) -> None:
    closing = update_fields is not None and "closed_by_time" in update_fields
    if closing and not raw and instance.closed_by_time and instance.submitted_at:
        hooks.quiz_closed_by_time(attempt=instance)


@receiver(post_save, sender=Certificate, dispatch_uid="messaging_certificate")
def certificate_saved(
    sender: Any, instance: Certificate, created: bool = False, raw: bool = False, **kwargs: Any
) -> None:
    if created and not raw:
        hooks.certificate_issued(certificate=instance)


@receiver(post_save, sender=DiplomaAward, dispatch_uid="messaging_diploma")
def diploma_saved(
    sender: Any, instance: DiplomaAward, created: bool = False, raw: bool = False, **kwargs: Any
) -> None:
    if created and not raw:
        hooks.diploma_awarded(award=instance)


@receiver(post_save, sender=CourseItem, dispatch_uid="messaging_new_item")
def item_saved(
    sender: Any, instance: CourseItem, created: bool = False, raw: bool = False, **kwargs: Any
) -> None:
    opens = instance.release_on is None or instance.release_on <= timezone.localdate()
    if created and not raw and opens:
        hooks.content_added(item=instance)


@receiver(post_save, sender=SurveyLink, dispatch_uid="messaging_followup_survey")
def survey_link_saved(
    sender: Any, instance: SurveyLink, created: bool = False, raw: bool = False, **kwargs: Any
) -> None:
    if created and not raw and instance.wave == SurveyLink.Wave.FOLLOWUP:
        hooks.followup_survey_opened(link=instance)
