"""Background work for large files (django-tasks; the worker is ``fortalece db_worker``)."""

import logging

from django_tasks import task

from fortalece.imports.models import ImportJob
from fortalece.imports.services import import_check, import_save, job_fail

logger = logging.getLogger(__name__)


@task()
def run_import(job_id: int, phase: str) -> str:
    """Check or save an import job. Any failure marks it failed; the transaction leaves nothing."""
    job = ImportJob.objects.select_related("created_by", "workshop", "session").get(pk=job_id)
    try:
        if phase == "check":
            import_check(job=job, user=job.created_by)
        else:
            import_save(job=job, user=job.created_by)
    except Exception:
        logger.exception("Import %s failed during %s", job_id, phase)
        job_fail(job=job)
        raise
    return phase
