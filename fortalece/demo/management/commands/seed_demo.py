from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from fortalece.demo.seed import run
from fortalece.demo.seed.accounts import DEFAULT_PASSWORD
from fortalece.people.models import Person
from fortalece.reporting.models import ProgrammeReach
from fortalece.training.models import Enrolment, Workshop


class Command(BaseCommand):
    help = (
        "Load demo data drawn from the seed documents: Mexico's Strengthening Programme with its "
        "train-the-trainer cascade, the 2021 workshop in three cities, the Spotlight diplomas, "
        "programmes in other countries, and one demo account per role. Safe to run twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--password", default=DEFAULT_PASSWORD, help="Password for every demo account."
        )

    def handle(self, *args: Any, **options: Any) -> None:

        self.stdout.write("Loading demo data…")
        rows = run(password=options["password"], say=self.stdout.write)
        self.stdout.write(
            f"People: {Person.objects.count()}, workshops: {Workshop.objects.count()}, "
            f"enrolments: {Enrolment.objects.count()}, reach rows: {ProgrammeReach.objects.count()}."
        )
        self.stdout.write("Demo accounts (email — role — password):")
        for email, role, password in rows:
            self.stdout.write(f"  {email} — {role} — {password}")
