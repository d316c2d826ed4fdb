import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm


class Command(BaseCommand):
    help = (
        "Generate a large realistic dataset (institutions, people, workshops, sessions, "
        "enrolments, attendance) in a new programme 'synthetic-<seed>', for scale tests and "
        "benchmarks. Deterministic for a seed; 1,000,000 people are feasible."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--people", type=int, default=10_000, help="How many people (e.g. 1000000)."
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed; one programme per seed."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from fortalece.demo.synthetic import generate
        from fortalece.geography.models import Subdivision

        if options["people"] < 1:
            raise CommandError("--people must be at least 1.")
        if not Subdivision.objects.filter(country__code="MX").exists():
            from django.core.management import call_command

            call_command("load_geography", country="MX", verbosity=0)
        started = time.monotonic()
        with tqdm(total=options["people"], unit="people", file=sys.stderr) as bar:
            try:
                result = generate(
                    people=options["people"], seed=options["seed"], progress=bar.update
                )
            except ValueError as error:
                raise CommandError(
                    f"Programme {error} already exists: use another --seed, or delete it first."
                ) from error
        self.stdout.write(
            f"Programme {result.programme.code} (id {result.programme.pk}): {result.people:,} people, "
            f"{result.workshops:,} workshops, {result.enrolments:,} enrolments, "
            f"{result.attendance:,} attendance marks in {time.monotonic() - started:.1f} s."
        )
