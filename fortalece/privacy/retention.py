"""The retention job (privacy/datamap.py RETENTION): nothing is kept past its cutoff.

Run daily by ``fortalece scheduler`` (registered in ``PrivacyConfig.ready``) or by hand with
``fortalece retention``. Idempotent: a second run finds nothing to do.
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django_tasks import task

from fortalece.core.models import AuditEvent
from fortalece.imports.models import ImportJob
from fortalece.people.models import Person
from fortalece.privacy.services import ERASED, person_erase

logger = logging.getLogger(__name__)

AUDIT_DAYS = 2 * 365
IMPORT_DAYS = 90
TASK_DAYS = 30
PERSON_YEARS = 10


def _cutoffs(now: datetime.datetime) -> dict[str, datetime.datetime]:
    return {
        "audit": now - datetime.timedelta(days=AUDIT_DAYS),
        "import": now - datetime.timedelta(days=IMPORT_DAYS),
        "task": now - datetime.timedelta(days=TASK_DAYS),
        "person": now - datetime.timedelta(days=round(PERSON_YEARS * 365.25)),
    }


def _overdue(now: datetime.datetime) -> dict[str, QuerySet]:
    from django.contrib.sessions.models import Session
    from django_tasks_db.models import DBTaskResult

    cut = _cutoffs(now)
    finished = [ImportJob.Status.DONE, ImportJob.Status.FAILED, ImportJob.Status.INVALID]
    people = (
        Person.objects.exclude(given_names=ERASED)
        .annotate(
            last_activity=Greatest(
                "updated_at", Coalesce(Max("enrolments__updated_at"), "updated_at")
            )
        )
        .filter(last_activity__lt=cut["person"])
    )
    return {
        "audit_events": AuditEvent.objects.filter(at__lt=cut["audit"]),
        "import_files": ImportJob.objects.filter(
            updated_at__lt=cut["import"], status__in=finished
        ).filter(~Q(file="") | ~Q(headers=[]) | ~Q(errors=[])),
        "task_results": DBTaskResult.objects.filter(finished_at__lt=cut["task"]),
        "sessions": Session.objects.filter(expire_date__lt=now),
        "inactive_people": people,
    }


def overdue_counts(now: datetime.datetime | None = None) -> dict[str, int]:
    return {name: qs.count() for name, qs in _overdue(now or timezone.now()).items()}


def retention_run(now: datetime.datetime | None = None) -> dict[str, int]:
    """Delete or anonymise everything past its cutoff; returns how many of each."""
    now = now or timezone.now()
    overdue = _overdue(now)
    done: dict[str, int] = {}
    with transaction.atomic():
        done["audit_events"] = overdue["audit_events"].delete()[0]
        done["task_results"] = overdue["task_results"].delete()[0]
        done["sessions"] = overdue["sessions"].delete()[0]
    jobs = list(overdue["import_files"])
    for job in jobs:
        with transaction.atomic():
            if job.file:
                job.file.delete(save=False)
            ImportJob.objects.filter(pk=job.pk).update(file="", headers=[], errors=[], mapping={})
    done["import_files"] = len(jobs)
    people = list(overdue["inactive_people"])
    for person in people:
        person_erase(person=person)
    done["inactive_people"] = len(people)
    logger.info("retention: %s", done)
    return done


@task()
def retention_task(period: str = "") -> dict[str, int]:
    return retention_run()
