from django_tasks import task

from fortalece.impact.models import Study


@task()
def run_study(study_id: int) -> str:
    """Analyse a study in the background; a failure is stored on the study, never half-saved."""
    # local import: a cycle (services enqueues this task), and the statistics stack loads
    # only when a study runs, not when the worker starts.
    from fortalece.impact.services.studies import study_run

    study_run(study=Study.objects.select_related("instrument").get(pk=study_id))
    return "done"
