import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Trained-vs-comparison impact analysis of an XLSForm instrument and a KoboToolbox/ODK "
        "export, without the database. Run with --help for the options; the JSON layout is in "
        "docs/impact-json.md."
    )

    def run_from_argv(self, argv: list[str]) -> None:
        # The options belong to the pure command-line core; Django adds nothing here.
        # local import: the core loads numpy, scipy and statsmodels; only this command needs them.
        from fortalece.impact.core.cli import main

        code = main(argv[2:], out=self.stdout, err=self.stderr)
        if code:
            sys.exit(code)

    def handle(self, *args: Any, **options: Any) -> None:
        raise CommandError("Run as: fortalece impact_analyze --form F.xlsx --data D.csv …")
