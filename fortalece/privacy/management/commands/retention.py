"""Apply the retention periods now (the scheduler does it daily at 03:00)."""

from django.core.management.base import BaseCommand

from fortalece.privacy.retention import overdue_counts, retention_run


class Command(BaseCommand):
    help = "Deletes or anonymises every record past its retention period (docs/security.md)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--dry-run", action="store_true", help="only count what is overdue")

    def handle(self, *args: object, **options: object) -> None:
        if options["dry_run"]:
            self.stdout.write(f"overdue: {overdue_counts()}")
            return
        self.stdout.write(f"done: {retention_run()}")
        self.stdout.write(f"overdue now: {overdue_counts()}")
