from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fortalece.programmes.models import Programme
from fortalece.reporting.rollups import reach_year_rebuild
from fortalece.reporting.services import reach_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the reach table (people reached per programme) from enrolments with one "
        "set-based statement; safe to run at any time, e.g. after a bulk load."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--programme",
            type=int,
            metavar="PK",
            help="Rebuild only this programme (its id, as in the dashboard's URL).",
        )

    def handle(self, *args: Any, **options: Any) -> None:

        programme_id = options.get("programme")
        if programme_id is not None and not Programme.objects.filter(pk=programme_id).exists():
            raise CommandError(
                f"No programme with id {programme_id}. Leave out --programme to rebuild all."
            )
        count = reach_rebuild(programme_id=programme_id)
        self.stdout.write(f"Reach rows written: {count:,}.")

        years = reach_year_rebuild(programme_id=programme_id)
        self.stdout.write(f"Reach-by-year rows written: {years:,}.")
