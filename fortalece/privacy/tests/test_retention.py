"""The retention job leaves 0 records past their cutoff and every aggregate unchanged."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from fortalece.core.figures import record
from fortalece.core.models import AuditEvent
from fortalece.core.scheduling import registered_jobs
from fortalece.imports.models import ImportJob
from fortalece.people.models import Person
from fortalece.people.tests.factories import PersonFactory
from fortalece.privacy import retention
from fortalece.privacy.services import ERASED
from fortalece.training.models import Enrolment, ProgrammeReach
from fortalece.training.services.reach import reach_rebuild
from fortalece.training.tests.factories import EnrolmentFactory


def _aggregates():
    return sorted(
        ProgrammeReach.objects.values_list(
            "programme_id", "sex", "profession", "subdivision_id", "completed"
        )
    )


def test_retention_leaves_nothing_overdue_and_aggregates_unchanged(world):
    now = timezone.now()
    long_ago = now - datetime.timedelta(days=11 * 365)
    # Someone trained 11 years ago and not since; someone trained recently.
    old = PersonFactory(institution=world.institution, email="old@example.org")
    EnrolmentFactory(workshop=world.workshop, person=old, status=Enrolment.Status.COMPLETED)
    Person.objects.filter(pk=old.pk).update(updated_at=long_ago)
    Enrolment.objects.filter(person=old).update(updated_at=long_ago)
    AuditEvent.objects.create(kind=AuditEvent.Kind.LOGIN)
    AuditEvent.objects.filter(pk=AuditEvent.objects.latest("id").pk).update(
        at=now - datetime.timedelta(days=800)
    )
    AuditEvent.objects.create(kind=AuditEvent.Kind.LOGIN)  # recent: kept
    job = ImportJob.objects.create(
        kind="people",
        status=ImportJob.Status.DONE,
        created_by=world.users["admin"],
        headers=["Nombre"],
        errors=[{"row": 2, "problem": "x"}],
        total_rows=1,
    )
    job.file.save("people.csv", ContentFile(b"Nombre\nAna\n"))
    ImportJob.objects.filter(pk=job.pk).update(updated_at=now - datetime.timedelta(days=100))
    file_path = job.file.path

    reach_rebuild()
    before = _aggregates()
    overdue_before = retention.overdue_counts()
    assert overdue_before["audit_events"] == 1
    assert overdue_before["import_files"] == 1
    assert overdue_before["inactive_people"] == 1

    done = retention.retention_run()
    after = retention.overdue_counts()
    reach_rebuild()
    record(
        "retention",
        overdue_before=sum(overdue_before.values()),
        handled=sum(done.values()),
        overdue_after=sum(after.values()),
        aggregates_unchanged=_aggregates() == before,
    )
    assert sum(after.values()) == 0, after
    assert _aggregates() == before
    old.refresh_from_db()
    assert (old.given_names, old.email) == (ERASED, "")
    assert world.person.given_names != ERASED  # still active
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.LOGIN).count() == 1
    job.refresh_from_db()
    assert (job.file.name, job.headers, job.errors, job.total_rows) == ("", [], [], 1)
    import os

    assert not os.path.exists(file_path)
    assert retention.retention_run()["inactive_people"] == 0  # idempotent


def test_retention_runs_daily_from_the_scheduler():
    jobs = {job.name: job for job in registered_jobs()}
    assert jobs["retention"].every == "daily"
    assert jobs["retention"].task is retention.retention_task
