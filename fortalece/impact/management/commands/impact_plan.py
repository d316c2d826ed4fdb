import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from fortalece.impact.core.plan_cli import main


class Command(BaseCommand):
    help = (
        "Minimum detectable effect or sample size for the next survey, from typed assumptions "
        "or a past study's JSON, without the database. Run with --help for the options."
    )

    def run_from_argv(self, argv: list[str]) -> None:

        code = main(argv[2:], out=self.stdout, err=self.stderr)
        if code:
            sys.exit(code)

    def handle(self, *args: Any, **options: Any) -> None:
        raise CommandError("Run as: fortalece impact_plan --treated N --comparison N --sd SD …")
