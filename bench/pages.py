"""Benchmark: every list and detail page a programme manager opens, in production mode.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fortalece_bench .venv/bin/python bench/pages.py

Requests each page with Django's test client (``DEBUG`` off, the production settings and
middleware, compiled templates cached) as a country-wide programme manager of the largest
programme, and prints the median of 3 requests, the number of SQL queries and the size of the
HTML. Read-only: the manager's account and session are created inside a transaction that is
rolled back at the end, so the benchmark database is left as it was. Fails (exit 1) if a page
does not answer 200.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fortalece.settings")
os.environ.setdefault("FORTALECE_ALLOW_INSECURE_KEY", "1")
os.environ["DJANGO_DEBUG"] = "0"
os.environ.setdefault("DJANGO_HTTPS", "0")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost")


class Rollback(Exception):
    pass


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=3, help="Requests per page (median).")
    parser.add_argument("--search", default="garcia", help="Name typed in the people search.")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, transaction
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from fortalece.accounts.mfa import VERIFIED_AT
    from fortalece.accounts.models import Role, RoleAssignment, User
    from fortalece.people.models import Institution, Person
    from fortalece.programmes.models import Programme
    from fortalece.training.models import Course, Workshop

    assert not settings.DEBUG  # noqa: S101 - production mode or the figures mean nothing
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)  # the manifest production reads
    programme = (
        Programme.objects.annotate(n=Count("reach")).order_by("-n").first()
    )  # the largest one
    if programme is None:
        print("No programme: generate a dataset first (generate_synthetic).")
        return 1
    country = programme.countries.order_by("pk").first()
    workshop = Workshop.objects.filter(programme=programme).order_by("-pk").first()
    course = Course.objects.filter(programme=programme).order_by("pk").first()
    person = Person.objects.filter(enrolments__workshop=workshop).order_by("pk").first()
    institution = Institution.objects.filter(country=country).order_by("pk").first()
    print(
        f"{connection.vendor}: {Person.objects.count():,} people, "
        f"{Workshop.objects.count():,} workshops; programme {programme.code}"
    )
    rows: list[tuple[str, float, int, int, int]] = []
    failed = False
    try:
        with transaction.atomic():
            user = User.objects.create_user(email="bench-manager@example.invalid", password=None)
            RoleAssignment.objects.create(user=user, role=Role.PROGRAMME_MANAGER, country=country)
            client = Client()
            client.force_login(user)
            session = client.session
            session[VERIFIED_AT] = time.time() + 3600
            session.save()
            search = client.post(reverse("people:person_list"), {"q": args.search})
            search_url = search.get("Location", reverse("people:person_list"))
            pages = [
                ("home", reverse("core:home")),
                ("programme list", reverse("programmes:list")),
                ("programme", reverse("programmes:detail", args=[programme.pk])),
                ("dashboard", reverse("reporting:dashboard", args=[programme.pk])),
                ("indicators", reverse("reporting:indicators")),
                ("course list", reverse("training:course_list")),
                ("course", reverse("training:course_detail", args=[course.pk])),
                ("workshop list", reverse("training:workshop_list")),
                ("workshop list p. 100", reverse("training:workshop_list") + "?page=100"),
                ("workshop", reverse("training:workshop_detail", args=[workshop.pk])),
                ("workshops to validate", reverse("training:validation_queue")),
                ("people list", reverse("people:person_list")),
                (f"people search '{args.search}'", search_url),
                ("person", reverse("people:person_detail", args=[person.pk])),
                ("institution list", reverse("people:institution_list")),
                ("institution", reverse("people:institution_detail", args=[institution.pk])),
                ("cascade", reverse("cascade:programme", args=[programme.pk])),
                ("imports", reverse("imports:list")),
            ]
            for label, url in pages:
                times = []
                status = size = 0
                for _ in range(args.repeat):
                    started = time.perf_counter()
                    response = client.get(url)
                    times.append(time.perf_counter() - started)
                    status, size = response.status_code, len(response.content)
                with CaptureQueriesContext(connection) as queries:
                    client.get(url)
                rows.append((label, statistics.median(times), len(queries), size, status))
                failed = failed or status != 200
            raise Rollback
    except Rollback:
        pass
    print(f"{'page':<28}{'median s':>10}{'queries':>9}{'KB':>8}{'status':>8}")
    for label, median, count, size, status in rows:
        print(f"{label:<28}{median:>10.3f}{count:>9}{size / 1024:>8.0f}{status:>8}")
    slowest = max(rows, key=lambda r: r[1])
    print(f"slowest: {slowest[0]} {slowest[1]:.3f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
