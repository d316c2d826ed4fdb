import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext


@contextmanager
def _django_translator(language: str) -> Iterator[Callable[[str], str]]:
    """The web report's strings, in ``language``."""
    with translation.override(language):
        yield gettext


class Command(BaseCommand):
    help = (
        "Trained-vs-comparison impact analysis of an XLSForm instrument and a KoboToolbox/ODK "
        "export, without the database. Run with --help for the options (--lang es|en: the "
        "report's language, by default the site's LANGUAGE_CODE); the JSON layout is in "
        "docs/impact-json.md."
    )

    def run_from_argv(self, argv: list[str]) -> None:
        # The options belong to the pure command-line core; Django adds its translations.
        # local import: the core loads numpy, scipy and statsmodels; only this command needs them.
        from fortalece.impact.core.cli import main

        code = main(
            argv[2:],
            out=self.stdout,
            err=self.stderr,
            translator=_django_translator,
            default_language=settings.LANGUAGE_CODE,
        )
        if code:
            sys.exit(code)

    def handle(self, *args: Any, **options: Any) -> None:
        raise CommandError("Run as: fortalece impact_analyze --form F.xlsx --data D.csv …")
