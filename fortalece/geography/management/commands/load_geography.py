from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fortalece.geography.loaders import (
    MunicipalityFileError,
    load_countries_and_subdivisions,
    load_mexican_municipalities,
)


class Command(BaseCommand):
    help = (
        "Load every ISO 3166-1 country and its first-level subdivisions from pycountry, with "
        "English and Spanish names; optionally INEGI's Mexican municipality catalogue. "
        "Safe to run again: it updates, never duplicates."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--country", help="Only this ISO 3166-1 alpha-2 code, e.g. MX (faster for tests)."
        )
        parser.add_argument(
            "--municipalities",
            type=Path,
            help="INEGI municipality catalogue (CSV with CVE_ENT, CVE_MUN, NOM_MUN or CVEGEO).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        only = (options.get("country") or "").upper() or None
        result = load_countries_and_subdivisions(only=only)
        self.stdout.write(
            f"Countries: {result.countries}; first-level subdivisions: {result.subdivisions}."
        )
        path = options.get("municipalities")
        if path:
            if not path.exists():
                raise CommandError(f"{path} does not exist: give the path of INEGI's CSV file.")
            try:
                count = load_mexican_municipalities(path)
            except MunicipalityFileError as error:
                raise CommandError(f"Nothing was loaded from {path}:\n{error}") from error
            self.stdout.write(f"Mexican municipalities: {count}.")
