import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from fortalece.demo.synthetic import ProgrammeExists, generate
from fortalece.geography.models import Subdivision


class Command(BaseCommand):
    help = (
        "Generate a large realistic dataset (institutions, people, workshops, sessions, "
        "enrolments, attendance) in a new programme 'synthetic-<seed>', for scale tests and "
        "benchmarks. Deterministic for a seed; 1,000,000 people are feasible. Refuses to run "
        "when the programme already exists: a second run never duplicates a dataset."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--people", type=int, default=10_000, help="How many people (e.g. 1000000)."
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed: the same seed, the same data."
        )
        parser.add_argument(
            "--programme",
            metavar="CODE",
            help="Code of the programme to create (default synthetic-<seed>); must be new.",
        )
        parser.add_argument(
            "--enrolments-per-person",
            type=float,
            metavar="MEAN",
            help="Mean enrolments per person, 1 to 10 (default 1.8; 5 gives 5M for 1M people).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from django.core.validators import slug_re

        if options["people"] < 1:
            raise CommandError("--people must be at least 1.")
        per_person = options.get("enrolments_per_person")
        if per_person is not None and not 1 <= per_person <= 10:
            raise CommandError("--enrolments-per-person must be between 1 and 10.")
        code = options.get("programme") or f"synthetic-{options['seed']}"
        if not slug_re.match(code) or len(code) > 40:
            raise CommandError(
                "--programme must be a short code of letters, digits, - and _ (40 at most)."
            )
        if not Subdivision.objects.filter(country__code="MX").exists():
            from django.core.management import call_command

            call_command("load_geography", country="MX", verbosity=0)
        started = time.monotonic()
        with tqdm(total=options["people"], unit="people", file=sys.stderr) as bar:
            try:
                result = generate(
                    people=options["people"],
                    seed=options["seed"],
                    code=code,
                    enrolments_per_person=per_person,
                    progress=bar.update,
                )
            except ProgrammeExists as error:
                raise CommandError(
                    f"Programme {error} already exists, so nothing was generated. Use another "
                    "--programme code (or --seed), or delete that programme first."
                ) from error
        self.stdout.write(
            f"Programme {result.programme.code} (id {result.programme.pk}): {result.people:,} people, "
            f"{result.workshops:,} workshops, {result.enrolments:,} enrolments, "
            f"{result.attendance:,} attendance marks in {time.monotonic() - started:.1f} s."
        )
