"""The daily jobs: the e-mail digest and the reminders (``fortalece scheduler`` runs them).

Both are idempotent, whatever the scheduler does: a digest inserts its ``DigestRun``
(unique per user and day) before it is sent, and a reminder its ``Reminder`` (unique per
enrolment, item and reason), each in the transaction that sends it.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from fortalece.assignments.models import Assignment
from fortalece.learning import selectors
from fortalece.learning.models import ItemProgress
from fortalece.messaging.models import (
    DEFAULT_DELIVERY,
    Delivery,
    DigestRun,
    Kind,
    Notification,
    Preference,
    Reminder,
)
from fortalece.messaging.notify import notify, send_email
from fortalece.quizzes.models import Quiz
from fortalece.training.models import Enrolment

logger = logging.getLogger(__name__)
DIGEST_LIMIT = 50  # lines in one e-mail; the rest wait in the bell


def digest_send(*, day: datetime.date, now: datetime.datetime | None = None) -> int:
    """E-mail each user the unread notifications they chose to get as a digest; once a day."""
    now = now or timezone.now()
    default_digest = [k for k, d in DEFAULT_DELIVERY.items() if d == Delivery.DIGEST]
    chosen = Preference.objects.filter(user=OuterRef("recipient"), kind=OuterRef("kind"))
    pending = (
        Notification.objects.filter(
            emailed_at__isnull=True,
            read_at__isnull=True,
            created_at__lt=now,
            recipient__is_active=True,
        )
        .annotate(delivery=Subquery(chosen.values("delivery")[:1]))
        .filter(Q(delivery=Delivery.DIGEST) | Q(delivery__isnull=True, kind__in=default_digest))
        .select_related("recipient")
        .order_by("recipient_id", "created_at", "id")
    )
    by_user: dict[int, list[Notification]] = defaultdict(list)
    for notification in pending:
        by_user[notification.recipient_id].append(notification)
    sent = 0
    for items in by_user.values():
        user = items[0].recipient
        try:
            with transaction.atomic():
                DigestRun.objects.create(user=user, day=day, notification_count=len(items))
                with translation.override(user.language or settings.LANGUAGE_CODE):
                    subject = ngettext(
                        "Fortalece: %(count)d new item in your courses",
                        "Fortalece: %(count)d new items in your courses",
                        len(items),
                    ) % {"count": len(items)}
                    send_email(
                        user=user,
                        kind=items[0].kind,
                        subject=subject,
                        items=items[:DIGEST_LIMIT],
                        digest=True,
                    )
                Notification.objects.filter(pk__in=[n.pk for n in items]).update(emailed_at=now)
        except IntegrityError:
            continue  # this user's digest for the day is already out
        sent += 1
    logger.info("Digest %s: %s e-mails", day, sent)
    return sent


def _learner_user(enrolment: Any) -> Any:
    user = getattr(enrolment.person, "user", None)
    return user if user is not None and user.is_active else None


def _remind(enrolment: Any, item: Any, reason: str, kind: str, text: Any) -> bool:
    user = _learner_user(enrolment)
    if user is None:
        return False
    try:
        with transaction.atomic():
            Reminder.objects.create(enrolment=enrolment, item=item, reason=reason)
            notify([user], kind, text, reverse("learning:item", kwargs={"pk": item.pk}))
    except IntegrityError:
        return False  # already reminded
    return True


def due_soon_send(*, now: datetime.datetime) -> int:
    """Remind learners of quizzes closing and assignments due within the next hours."""
    until = now + datetime.timedelta(hours=settings.FORTALECE_DUE_SOON_HOURS)
    assignments = Assignment.objects.filter(due_at__gt=now, due_at__lte=until)
    quizzes = Quiz.objects.filter(closes_at__gt=now, closes_at__lte=until)
    deadlines: list[tuple[Any, Any]] = [
        (a.item, a.due_at) for a in assignments.select_related("item__module")
    ]
    deadlines += [(q.item, q.closes_at) for q in quizzes.select_related("item__module")]
    sent = 0
    for item, deadline in deadlines:
        if item.release_on and item.release_on > timezone.localdate(now):
            continue
        done = ItemProgress.objects.filter(item=item, completed_at__isnull=False).values(
            "enrolment_id"
        )
        already = Reminder.objects.filter(item=item, reason=Reminder.Reason.DUE_SOON).values(
            "enrolment_id"
        )
        enrolments = (
            Enrolment.objects.filter(workshop__course_id=item.module.course_id)
            .exclude(status__in=[Enrolment.Status.DROPPED, Enrolment.Status.COMPLETED])
            .exclude(pk__in=done)
            .exclude(pk__in=already)
            .filter(person__user__isnull=False)
            .select_related("person__user")
        )
        for enrolment in enrolments:
            when = timezone.localtime(deadline)

            def text(item: Any = item, when: datetime.datetime = when) -> str:
                return _("“%(item)s” is due on %(date)s.") % {
                    "item": item.display_title,
                    "date": when.strftime("%d/%m/%Y %H:%M"),
                }

            sent += _remind(enrolment, item, Reminder.Reason.DUE_SOON, Kind.DUE_SOON, text)
    return sent


def inactive_send(*, now: datetime.datetime) -> int:
    """Remind learners who have not opened a running course for N days where to resume."""
    cutoff = now - datetime.timedelta(days=settings.FORTALECE_INACTIVE_DAYS)
    today = timezone.localdate(now)
    enrolments = (
        Enrolment.objects.filter(
            workshop__course__learning_modules__items__isnull=False,
            workshop__end_date__gte=today,
            workshop__start_date__lte=today,
            person__user__isnull=False,
        )
        .exclude(status__in=[Enrolment.Status.DROPPED, Enrolment.Status.COMPLETED])
        .annotate(last_seen=Max("item_progress__last_seen_at"))
        .filter(Q(last_seen__lt=cutoff) | Q(last_seen__isnull=True, created_at__lt=cutoff))
        .select_related("workshop__course", "person__user")
        .distinct()
    )
    sent = 0
    for enrolment in enrolments:
        course = enrolment.workshop.course
        view = selectors.learner_course(course, enrolment)
        if view.resume_id is None:
            continue
        item = view.rows[view.resume_id].item

        def text(course: Any = course, item: Any = item) -> str:
            return _("Continue “%(course)s” where you left off: “%(item)s”.") % {
                "course": course.title,
                "item": item.display_title,
            }

        sent += _remind(enrolment, item, Reminder.Reason.INACTIVE, Kind.REMINDER, text)
    return sent


def reminders_send(*, now: datetime.datetime | None = None) -> int:
    now = now or timezone.now()
    sent = due_soon_send(now=now) + inactive_send(now=now)
    logger.info("Reminders: %s sent", sent)
    return sent


@task()
def digest_daily(period: str) -> int:
    return digest_send(day=datetime.date.fromisoformat(period))


@task()
def reminders_daily(period: str) -> int:
    return reminders_send()
