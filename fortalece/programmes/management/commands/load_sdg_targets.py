from typing import Any

from django.core.management.base import BaseCommand

from fortalece.programmes.services import sdg_targets_load


class Command(BaseCommand):
    help = "Load the SDG targets shipped in fortalece/programmes/data/sdg_targets.csv (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = sdg_targets_load()
        self.stdout.write(f"SDG targets: {count}.")
