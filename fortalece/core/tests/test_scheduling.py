"""Periodic jobs are enqueued once per period, whatever the number of schedulers."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django_tasks import task

from fortalece.core import scheduling
from fortalece.core.models import ScheduledRun

pytestmark = pytest.mark.django_db

RAN: list[str] = []


@task()
def record_period(period: str) -> str:
    RAN.append(period)
    return period


@pytest.fixture
def jobs(monkeypatch):
    monkeypatch.setattr(scheduling, "_JOBS", {})
    RAN.clear()
    scheduling.periodic("nightly", record_period, every="daily", at_hour=3)
    scheduling.periodic("hourly", record_period, every="hourly")
    return scheduling


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text)


def test_daily_job_waits_for_its_local_hour_then_runs_once(jobs, settings):
    settings.TIME_ZONE = "America/Mexico_City"  # UTC-6
    assert jobs.schedule_due(now=at("2026-11-25T08:30+00:00")) == [("hourly", "2026-11-25T02")]
    assert jobs.schedule_due(now=at("2026-11-25T09:01+00:00")) == [
        ("hourly", "2026-11-25T03"),
        ("nightly", "2026-11-25"),
    ]
    assert jobs.schedule_due(now=at("2026-11-25T09:02+00:00")) == []
    assert RAN == ["2026-11-25T02", "2026-11-25T03", "2026-11-25"]


def test_second_scheduler_does_not_enqueue_the_same_period(jobs):
    now = at("2026-11-25T12:00+00:00")
    first = jobs.schedule_due(now=now)
    second = jobs.schedule_due(now=now)
    assert len(first) == 2 and second == []
    assert ScheduledRun.objects.count() == 2


def test_weekly_and_monthly_periods():
    job = scheduling.PeriodicJob(name="w", task=None, every="weekly")
    assert job.period(at("2026-12-31T12:00+00:00")) == "2026-W53"
    monthly = scheduling.PeriodicJob(name="m", task=None, every="monthly", at_hour=6)
    assert monthly.period(at("2026-12-01T11:00+00:00")) is None  # 05:00 in Mexico City
    assert monthly.period(at("2026-12-01T13:00+00:00")) == "2026-12"


def test_bad_hour_is_refused():
    with pytest.raises(ValueError):
        scheduling.periodic("x", record_period, every="daily", at_hour=24)


def test_scheduler_command_once_and_list(jobs):
    out = StringIO()
    call_command("scheduler", "--list", stdout=out)
    assert "nightly\tdaily\tat 03:00" in out.getvalue()
    out = StringIO()
    call_command("scheduler", "--once", stdout=out)
    assert "enqueued hourly" in out.getvalue()
