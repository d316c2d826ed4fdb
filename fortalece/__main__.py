"""The ``fortalece`` console command: Django's ``manage.py`` for this project."""

import os
import sys


def _site_language() -> str | None:
    """The site's LANGUAGE_CODE (reading the settings module only, not the apps), or None
    where the settings cannot be read here."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        return str(settings.LANGUAGE_CODE)
    except ImproperlyConfigured:
        return None


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fortalece.settings")
    if len(sys.argv) > 1 and sys.argv[1].startswith("impact_"):
        # The analysis works on tall, narrow matrices where BLAS threads only contend with
        # each other (50× slower on a busy 2-core machine); one thread is as fast alone.
        # Must be set before numpy is first imported.
        for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ.setdefault(name, "1")
    if len(sys.argv) > 1 and sys.argv[1] in ("impact_analyze", "impact_plan"):
        # local import: pure commands (no settings, database or app registry) load only here.
        from fortalece.impact.core import cli, plan_cli

        if sys.argv[1] == "impact_plan":
            sys.exit(plan_cli.main(sys.argv[2:]))
        sys.exit(cli.main(sys.argv[2:], default_language=_site_language()))
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
