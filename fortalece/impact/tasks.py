from django_tasks import task


@task()
def run_study(study_id: int) -> str:
    """Analyse a study in the background; a failure is stored on the study, never half-saved."""
    from fortalece.impact.models import Study
    from fortalece.impact.services import study_run

    study_run(study=Study.objects.select_related("instrument").get(pk=study_id))
    return "done"
