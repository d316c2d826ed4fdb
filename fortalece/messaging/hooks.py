"""What other apps call when something happens to a learner (one line at each place).

The texts live here (and in this app's translations), rendered in each recipient's language.
A person without an account gets nothing: there is nobody to tell.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fortalece.messaging.models import Kind
from fortalece.messaging.notify import notify
from fortalece.training.models import Enrolment


def _account(person: Any) -> Any:
    return getattr(person, "user", None) if person is not None else None


def assignment_graded(*, submission: Any, grade: Any) -> None:
    """A trainer graded (or regraded) a submission: feedback when they wrote some."""
    user = _account(submission.enrolment.person)
    if user is None:
        return
    item = submission.assignment.item
    url = reverse("assignments:detail", kwargs={"pk": submission.assignment_id})
    if grade.feedback:
        notify(
            [user],
            Kind.FEEDBACK,
            lambda: (
                _("Your trainer graded “%(item)s” and left feedback.")
                % {"item": item.display_title}
            ),
            url,
        )
    else:
        notify(
            [user],
            Kind.GRADE,
            lambda: _("“%(item)s” is graded.") % {"item": item.display_title},
            url,
        )


def grade_changed(*, enrolment: Any, item: Any) -> None:
    """The gradebook's score of an item was changed for the learner."""
    user = _account(enrolment.person)
    if user is None:
        return
    notify(
        [user],
        Kind.GRADE,
        lambda: _("Your grade for “%(item)s” changed.") % {"item": item.display_title},
        reverse("learning:item", kwargs={"pk": item.pk}),
    )


def quiz_closed_by_time(*, attempt: Any) -> None:
    """An attempt the clock closed (the learner was not there to see the result)."""
    enrolment = attempt.enrolment
    user = _account(enrolment.person)
    if user is None:
        return
    item = attempt.quiz.item
    notify(
        [user],
        Kind.GRADE,
        lambda: (
            _("Time ran out on “%(item)s”: your saved answers were graded.")
            % {"item": item.display_title}
        ),
        reverse("quizzes:result", kwargs={"pk": attempt.pk}),
    )


def certificate_issued(*, certificate: Any) -> None:
    user = _account(certificate.enrolment.person)
    if user is None:
        return
    notify(
        [user],
        Kind.CERTIFICATE,
        lambda: (
            _("Your certificate for “%(course)s” is ready.") % {"course": certificate.course_title}
        ),
        reverse("credentials:mine"),
    )


def diploma_awarded(*, award: Any) -> None:
    user = _account(award.person)
    if user is None:
        return
    notify(
        [user],
        Kind.CERTIFICATE,
        lambda: _("Your diploma “%(diploma)s” is ready.") % {"diploma": award.diploma_title},
        reverse("learning:mine"),
    )


def content_added(*, item: Any) -> None:
    """A new item was added to a course: its learners in running cohorts hear of it (digest
    by default)."""
    live = (
        Enrolment.objects.filter(
            workshop__course_id=item.module.course_id,
            workshop__end_date__gte=timezone.localdate(),
        )
        .exclude(status__in=[Enrolment.Status.DROPPED, Enrolment.Status.COMPLETED])
        .values("person__user")
    )
    users = get_user_model().objects.filter(pk__in=live, is_active=True)
    notify(
        users,
        Kind.NEW_CONTENT,
        lambda: _("New in your course: “%(item)s”.") % {"item": item.display_title},
        reverse("learning:item", kwargs={"pk": item.pk}),
    )


def followup_survey_opened(*, link: Any) -> None:
    """A workshop's or online cohort's follow-up survey opened (``impact.followup``): its
    participants with an account are told directly, besides the e-mail to its trainers, so an
    online cohort, whose trainers never meet the learners, gets its follow-up too. Those who
    dropped out are not asked; the survey stays anonymous (the link is the same for all)."""
    if link.workshop_id is None:
        return
    asked = (
        Enrolment.objects.filter(workshop_id=link.workshop_id)
        .exclude(status=Enrolment.Status.DROPPED)
        .values("person__user")
    )
    users = get_user_model().objects.filter(pk__in=asked, is_active=True)
    title = link.workshop.title
    notify(
        users,
        Kind.SURVEY,
        lambda: (
            _(
                "A few months after “%(workshop)s”: please answer its short follow-up survey, "
                "with the same code you used at the end. It is anonymous."
            )
            % {"workshop": title}
        ),
        link.get_absolute_url(),
    )
