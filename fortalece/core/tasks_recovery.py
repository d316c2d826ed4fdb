"""Background tasks whose worker died (killed, out of memory, machine lost) are marked failed.

A worker claims a task by setting it RUNNING; if the process then dies, nothing else ever
touches the row, and the page polling it would say "running" for ever. The work itself is
never half-applied: every task writes in one transaction, which PostgreSQL rolls back when
the worker's connection drops. This job (hourly, through ``fortalece scheduler``, and
``fortalece tasks_recover`` by hand) marks such tasks failed with a message and tells the
object they worked on (an import is marked failed: "nothing saved", start it again).

A task counts as abandoned when it has been running longer than
``FORTALECE_TASK_STALE_SECONDS`` (default 6 hours, well above the longest import or
analysis).
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop
from django_tasks import task

from fortalece.imports.models import ImportJob

logger = logging.getLogger(__name__)

ABANDONED = gettext_noop(
    "The background worker stopped while this was being processed; nothing was saved. "
    "Start it again."
)


def _import_failed(args: list[Any]) -> None:

    if not args:
        return
    job = ImportJob.objects.select_for_update().filter(pk=args[0]).first()
    if job is None or job.status == ImportJob.Status.DONE:
        return
    job.status = ImportJob.Status.FAILED
    job.summary = {**(job.summary or {}), "error": ABANDONED}
    job.save(update_fields=["status", "summary", "updated_at"])


# task path -> what to tell the object it worked on
ON_ABANDON = {"fortalece.imports.tasks.run_import": _import_failed}


def tasks_recover(*, older_than_seconds: int | None = None) -> int:
    """Mark abandoned RUNNING tasks failed; the number marked."""
    if "django_tasks_db" not in settings.INSTALLED_APPS:
        return 0
    from django_tasks_db.models import DBTaskResult

    seconds = (
        settings.FORTALECE_TASK_STALE_SECONDS if older_than_seconds is None else older_than_seconds
    )
    cutoff = timezone.now() - datetime.timedelta(seconds=seconds)
    marked = 0
    with transaction.atomic():
        stale = DBTaskResult.objects.select_for_update(skip_locked=True).filter(
            status="RUNNING", started_at__lte=cutoff
        )
        for result in stale:
            result.status = "FAILED"
            result.finished_at = timezone.now()
            result.exception_class_path = "fortalece.core.tasks_recovery.WorkerLost"
            result.traceback = ABANDONED
            result.save(
                update_fields=["status", "finished_at", "exception_class_path", "traceback"]
            )
            handler = ON_ABANDON.get(result.task_path)
            if handler is not None:
                handler(list((result.args_kwargs or {}).get("args", [])))
            logger.warning(
                "Task %s (%s) abandoned by its worker: marked failed", result.pk, result.task_path
            )
            marked += 1
    return marked


@task()
def tasks_recover_task(period: str = "") -> int:
    return tasks_recover()
