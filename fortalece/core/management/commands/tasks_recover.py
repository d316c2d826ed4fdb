"""Mark background tasks abandoned by a dead worker as failed (the scheduler does it hourly)."""

from django.core.management.base import BaseCommand

from fortalece.core.tasks_recovery import tasks_recover


class Command(BaseCommand):
    help = (
        "Marks tasks still 'running' after FORTALECE_TASK_STALE_SECONDS as failed, and the "
        "imports they were saving as failed (nothing was saved)."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--older-than", type=int, default=None, help="seconds running")

    def handle(self, *args: object, **options: object) -> None:
        marked = tasks_recover(older_than_seconds=options["older_than"])  # type: ignore[arg-type]
        self.stdout.write(f"abandoned tasks marked failed: {marked}")
