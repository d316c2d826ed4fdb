from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from fortalece.reporting.services import reach_rebuild


class Command(BaseCommand):
    help = "Rebuild the reach table (people reached per programme) from enrolments."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--programme", type=int, help="Only this programme (its id).")

    def handle(self, *args: Any, **options: Any) -> None:
        count = reach_rebuild(programme_id=options.get("programme"))
        self.stdout.write(f"Reach rows written: {count}.")
