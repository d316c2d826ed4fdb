"""Follow-up waves (Kirkpatrick level 3), created and e-mailed by the scheduler.

A workshop's post-test link may say ``followup_days``: that many days after the workshop ends,
the daily job ``impact_followup_links`` creates one follow-up link (same instrument, programme,
workshop and audience; ``followup_of`` is unique, so a link gets one follow-up however often the
job runs) and e-mails it, with the address of its printable QR page, to the workshop's trainers
through the worker's mail queue. People answer with the same self-generated pseudonymous code,
so the analysis pairs post-test and follow-up (``core/followup.py``).
"""

from __future__ import annotations

import datetime
import logging
import secrets
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from fortalece.impact.models import SurveyLink

logger = logging.getLogger(__name__)


def due_links(today: datetime.date) -> Any:
    """Post-test workshop links whose follow-up is due today or earlier and not yet created."""
    links = SurveyLink.objects.filter(
        wave=SurveyLink.Wave.POST,
        followup_days__isnull=False,
        workshop__isnull=False,
        followup__isnull=True,
    ).select_related("workshop", "instrument")
    due = []
    for link in links.order_by("pk").iterator():
        workshop, days = link.workshop, link.followup_days
        if workshop is not None and days is not None:
            if workshop.end_date + datetime.timedelta(days=days) <= today:
                due.append(link)
    return due


def _public(path: str) -> str:
    return settings.FORTALECE_PUBLIC_URL.rstrip("/") + path


def _mail(link: SurveyLink) -> int:
    workshop = link.workshop
    if workshop is None:
        return 0
    trainers = [p for p in workshop.trainers.select_related("user") if p.email]
    for trainer in trainers:
        language = getattr(trainer.user, "language", "") if trainer.user_id else ""
        with translation.override(language or settings.LANGUAGE_CODE):
            EmailMessage(
                subject=_("Follow-up survey for %(workshop)s") % {"workshop": workshop.title},
                body=_(
                    "The follow-up survey of the workshop “%(workshop)s” is open. Please share "
                    "it with the participants; they answer with the same code they used after "
                    "the workshop, so their answers can be compared.\n\nSurvey: %(survey)s\n"
                    "Page with the QR code to print or show: %(qr)s"
                )
                % {
                    "workshop": workshop.title,
                    "survey": _public(link.get_absolute_url()),
                    "qr": _public(reverse("impact:survey_qr", kwargs={"token": link.token})),
                },
                to=[trainer.email],
            ).send()
    return len(trainers)


def followup_create(*, post_link: SurveyLink) -> SurveyLink | None:
    """The follow-up link of ``post_link``, created and e-mailed once; None if it existed."""
    try:
        with transaction.atomic():
            link = SurveyLink.objects.create(
                instrument=post_link.instrument,
                programme=post_link.programme,
                workshop=post_link.workshop,
                wave=SurveyLink.Wave.FOLLOWUP,
                audience=post_link.audience,
                token=secrets.token_urlsafe(16),
                followup_of=post_link,
                created_by=None,
            )
            _mail(link)
    except IntegrityError:
        return None  # another run created it first
    return link


def send_due(*, today: datetime.date | None = None) -> int:
    """Create and e-mail every due follow-up link; returns how many were created."""
    today = today or timezone.localdate()
    created = sum(followup_create(post_link=link) is not None for link in due_links(today))
    logger.info("Follow-up links: %s created", created)
    return created


@task()
def followup_links_daily(period: str) -> int:
    return send_due(today=datetime.date.fromisoformat(period))
