"""Saved reports: their writes, and their e-mail delivery by the scheduler and worker.

A saved report stores the indicators page's query string (cleaned to the keys the page
reads; no one's name can be in it) and an opaque random token for its link. Whoever opens
or receives it sees it through their own programme policy and suppression, never the
owner's. Each (report, reader, period) is e-mailed at most once: the delivery row is
inserted under a unique constraint before the mail is queued, in one transaction.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils import translation
from django_tasks import task

from fortalece.accounts.models import User
from fortalece.programmes.policies import programme_policy
from fortalece.reporting.models import SavedReport, SavedReportDelivery

logger = logging.getLogger(__name__)
QUERY_KEYS = ("programme", "country", "from", "to", "by")


def clean_query(query: str) -> str:
    """Only the indicators page's own filters, whole numbers and known words."""
    params = QueryDict(query[:2000])
    kept = QueryDict(mutable=True)
    for key in QUERY_KEYS:
        for value in params.getlist(key)[:50]:
            value = value.strip()
            if key == "by":
                if value.isascii() and value.replace("_", "").isalpha() and len(value) < 32:
                    kept.appendlist(key, value)
            elif value.isascii() and value.isdigit() and len(value) < 10:
                kept.appendlist(key, value)
    return kept.urlencode()


def may_read(user: Any, report: SavedReport) -> bool:
    """A reader must be allowed to see the indicators of every programme the report chose."""

    if not user.is_active or not programme_policy.user_has_permission(user, "view_dashboard"):
        return False
    chosen = {int(v) for v in QueryDict(report.query).getlist("programme")}
    if not chosen:
        return True
    visible = programme_policy.instances_user_has_permission_for(user, "view_dashboard")
    return visible.filter(pk__in=chosen).count() == len(chosen)


@transaction.atomic
def saved_report_create(*, owner: Any, name: str, query: str, frequency: str = "") -> SavedReport:
    return SavedReport.objects.create(
        owner=owner,
        name=name,
        query=clean_query(query),
        frequency=frequency,
        token=secrets.token_urlsafe(18)[:24],
    )


@transaction.atomic
def saved_report_update(
    *, report: SavedReport, name: str, frequency: str, addresses: list[str]
) -> tuple[list[Any], int]:
    """Rename, reschedule and share with the addresses given (replacing the old list).
    Returns the people it is shared with and how many addresses were not accepted (no
    account, or not allowed to see these programmes)."""

    report.name = name
    report.frequency = frequency
    report.save(update_fields=["name", "frequency"])
    users = [
        u
        for u in User.objects.filter(email__in=addresses, is_active=True).exclude(
            pk=report.owner_id
        )
        if may_read(u, report)
    ]
    report.shared_with.set(users)
    return users, len(addresses) - len(users) - (report.owner.email.lower() in addresses)


@transaction.atomic
def saved_report_delete(*, report: SavedReport) -> None:
    report.delete()


def report_pdf_for(user: Any, report: SavedReport) -> bytes:
    """The PDF of the report as ``user`` may see it (their scope, their suppression)."""
    from types import SimpleNamespace

    # local import: a cycle inside reporting (views_saved calls the services here).
    from fortalece.reporting.views_saved import build_pdf

    reader = SimpleNamespace(user=user, method="GET", POST=QueryDict(), GET=QueryDict(report.query))
    return build_pdf(reader, title=report.name)


def deliver(*, frequency: str, period: str) -> int:
    """E-mail every saved report sent at ``frequency`` to its owner and readers, once per
    period each; returns how many e-mails were queued."""
    from django.core.mail import EmailMessage
    from django.utils.translation import gettext as _

    sent = 0
    reports = SavedReport.objects.filter(frequency=frequency).select_related("owner")
    for report in reports.prefetch_related("shared_with").order_by("pk"):
        readers = [report.owner, *report.shared_with.all()]
        for user in readers:
            if not may_read(user, report):
                continue
            try:
                with transaction.atomic():
                    SavedReportDelivery.objects.create(report=report, user=user, period=period)
                    with translation.override(user.language or settings.LANGUAGE_CODE):
                        pdf = report_pdf_for(user, report)
                        link = settings.FORTALECE_PUBLIC_URL.rstrip("/") + report.get_absolute_url()
                        message = EmailMessage(
                            subject=_("Fortalece report: %(name)s (%(period)s)")
                            % {"name": report.name, "period": period},
                            body=_(
                                "The report “%(name)s” for %(period)s is attached. Open it "
                                "with today's figures: %(link)s"
                            )
                            % {"name": report.name, "period": period, "link": link},
                            to=[user.email],
                        )
                        message.attach(f"report-{period}.pdf", pdf, "application/pdf")
                        message.send()
            except IntegrityError:
                continue  # already sent for this period
            sent += 1
    logger.info("Saved reports (%s, %s): %s e-mails", frequency, period, sent)
    return sent


@task()
def saved_reports_weekly(period: str) -> int:
    return deliver(frequency=SavedReport.Frequency.WEEKLY, period=period)


@task()
def saved_reports_monthly(period: str) -> int:
    return deliver(frequency=SavedReport.Frequency.MONTHLY, period=period)
