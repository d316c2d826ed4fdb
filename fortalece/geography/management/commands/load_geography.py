from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fortalece.geography.loaders import (
    MX_MUNICIPALITIES,
    MunicipalityFileError,
    load_countries_and_subdivisions,
    load_mexican_municipalities,
)


class Command(BaseCommand):
    help = (
        "Load every ISO 3166-1 country and its first-level subdivisions from pycountry, with "
        "English and Spanish names, and Mexico's 2,478 municipalities with INEGI keys and the "
        "2020 census population (shipped in geography/data; --municipalities FILE loads "
        "another INEGI catalogue). "
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
        parser.add_argument(
            "--no-municipalities",
            action="store_true",
            help="Skip Mexico's municipalities (loaded by default with Mexico).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        only = (options.get("country") or "").upper() or None
        result = load_countries_and_subdivisions(only=only)
        self.stdout.write(
            f"Countries: {result.countries}; first-level subdivisions: {result.subdivisions}."
        )
        path = options.get("municipalities")
        if path is None and only in (None, "MX") and not options.get("no_municipalities"):
            path = MX_MUNICIPALITIES
        if path:
            if not path.exists():
                raise CommandError(f"{path} does not exist: give the path of INEGI's CSV file.")
            try:
                count = load_mexican_municipalities(path)
            except MunicipalityFileError as error:
                raise CommandError(f"Nothing was loaded from {path}:\n{error}") from error
            self.stdout.write(f"Mexican municipalities: {count}.")
