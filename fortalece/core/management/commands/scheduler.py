import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from fortalece.core.scheduling import registered_jobs, schedule_due


class Command(BaseCommand):
    help = (
        "Enqueues periodic jobs (retention, reminders, digests, scheduled reports) once per "
        "period for the worker (`fortalece db_worker`) to run. Run one or several: a period is "
        "never enqueued twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once",
            action="store_true",
            help="Enqueue what is due now and exit (for cron or a one-off run).",
        )
        parser.add_argument(
            "--interval",
            type=int,
            default=60,
            help="Seconds between checks when running continuously (default 60).",
        )
        parser.add_argument(
            "--list", action="store_true", help="List the registered jobs and exit."
        )

    def handle(self, *args, **options):
        if options["interval"] < 1:
            raise CommandError("--interval must be at least 1 second.")
        if options["list"]:
            for job in registered_jobs():
                self.stdout.write(f"{job.name}\t{job.every}\tat {job.at_hour:02d}:00")
            return
        while True:
            for name, period in schedule_due(now=timezone.now()):
                self.stdout.write(f"enqueued {name} for {period}")
            if options["once"]:
                return
            time.sleep(options["interval"])
