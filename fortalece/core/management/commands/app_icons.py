"""Draw the installed app's icons (core/icons.py) into the static folder."""

from django.core.management.base import BaseCommand

from fortalece.core.icons import write_all


class Command(BaseCommand):
    help = (
        "Writes the web app's PNG icons (192, 512, maskable, Apple touch, badge) to "
        "fortalece/core/static/fortalece/icons/. Commit the files it writes."
    )

    def handle(self, *args: object, **options: object) -> None:
        for path in write_all():
            self.stdout.write(f"wrote {path.name} ({path.stat().st_size} bytes)")
