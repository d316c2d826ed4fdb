"""Periodic jobs (retention, reminders, digests, scheduled reports) for ``fortalece scheduler``.

An app registers its jobs in its ``AppConfig.ready()``::

    from fortalece.core.scheduling import periodic
    periodic("retention", retention_run, every="daily", at_hour=3)

The scheduler wakes every minute and enqueues each job whose current period has no
``ScheduledRun`` row yet. The row is inserted first, under a unique constraint, so a period is
enqueued once however many schedulers run. The task receives the period key (e.g.
``"2026-11-25"``) and should itself be idempotent for it.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from typing import Any, Literal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction

logger = logging.getLogger(__name__)

Every = Literal["hourly", "daily", "weekly", "monthly"]


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    task: Any  # a django_tasks Task taking ``period`` as its only argument
    every: Every
    at_hour: int = 0  # local hour (settings.TIME_ZONE) for daily, weekly and monthly jobs

    def period(self, now: datetime.datetime) -> str | None:
        """The key of the period ``now`` falls in, or None before the job's hour of the day."""
        local = now.astimezone(ZoneInfo(settings.TIME_ZONE))
        if self.every == "hourly":
            return local.strftime("%Y-%m-%dT%H")
        if local.hour < self.at_hour:
            return None
        if self.every == "daily":
            return local.strftime("%Y-%m-%d")
        if self.every == "weekly":
            year, week, _ = local.isocalendar()
            return f"{year}-W{week:02d}"
        return local.strftime("%Y-%m")


_JOBS: dict[str, PeriodicJob] = {}


def periodic(name: str, task: Any, *, every: Every, at_hour: int = 0) -> None:
    if not 0 <= at_hour <= 23:
        raise ValueError("at_hour must be between 0 and 23")
    _JOBS[name] = PeriodicJob(name=name, task=task, every=every, at_hour=at_hour)


def registered_jobs() -> list[PeriodicJob]:
    return sorted(_JOBS.values(), key=lambda job: job.name)


def schedule_due(*, now: datetime.datetime) -> list[tuple[str, str]]:
    """Enqueue every job whose current period has not been enqueued; return (job, period)."""
    # local import: apps.py modules import this one while the app registry is still loading.
    from fortalece.core.models import ScheduledRun

    enqueued = []
    for job in registered_jobs():
        period = job.period(now)
        if period is None:
            continue
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(job=job.name, period=period)
                result = job.task.enqueue(period)
                run.task_id = str(getattr(result, "id", ""))[:64]
                run.save(update_fields=["task_id"])
        except IntegrityError:
            continue  # another scheduler (or an earlier minute) already did this period
        logger.info("Enqueued %s for %s", job.name, period)
        enqueued.append((job.name, period))
    return enqueued
