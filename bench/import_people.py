"""Benchmark: importing N people from a CSV file through the real import path, next to
PostgreSQL's own COPY of the same file into a bare table.

    .venv/bin/python bench/import_people.py --rows 100000 --database fortalece_import_bench

Creates (or reuses) the database, migrates it, loads Mexico's states and 40 institutions, writes
the CSV (columns as a programme's list has them: names, sex, profession, institution, state,
email for half of the rows), then times

* ``COPY`` of the file into a bare table of text columns (no validation at all), and
* the import as the app runs it: ``import_upload`` (reads and counts the rows),
  ``import_check`` (every row validated, institutions and states resolved, duplicates in the
  file and in the registry found) and ``import_save`` (one transaction: all rows or none).

Prints rows per second for both and the ratio. Every run imports new people (a fresh name
suffix), so the registry grows by N each time; drop the database to start again.
"""

import argparse
import csv
import os
import random
import subprocess  # noqa: S404 - createdb/psql of the local PostgreSQL, fixed arguments
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fortalece.settings")
os.environ.setdefault("FORTALECE_ALLOW_INSECURE_KEY", "1")

GIVEN = "Ana Luis María José Rosa Juan Carmen Pedro Lucía Jorge Elena Miguel Sofía Raúl".split()
FAMILY = "García López Martínez Hernández Pérez Sánchez Ramírez Cruz Flores Gómez Núñez".split()
PROFESSIONS = ["Policía", "Operador 911", "Fiscal", "Juez", "Psicóloga"]
HEADER = ["Nombre(s)", "Apellidos", "Sexo", "Profesión", "Institución", "Estado", "Correo"]


def write_csv(path: Path, rows: int, institutions: list[tuple[str, str]], tag: str) -> None:
    rng = random.Random(rows)  # noqa: S311 - test data
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(HEADER)
        for i in range(rows):
            name, state = institutions[i % len(institutions)]
            out.writerow(
                [
                    rng.choice(GIVEN),
                    f"{rng.choice(FAMILY)} {rng.choice(FAMILY)} {tag}{i}",
                    rng.choice("FM"),
                    rng.choice(PROFESSIONS),
                    name,
                    state,
                    f"p{tag}{i}@bench.example" if i % 2 else "",
                ]
            )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database", default="fortalece_import_bench")
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args()
    if args.database in ("fortalece_bench", "test"):
        print("Use a database of its own: this benchmark writes.")
        return 1
    url = f"postgres://postgres@{args.host}:5432/{args.database}"
    os.environ["DATABASE_URL"] = url
    subprocess.run(  # noqa: S603
        ["createdb", "-h", args.host, "-U", "postgres", args.database],  # noqa: S607
        capture_output=True,
        check=False,
    )

    import django

    django.setup()
    from django.conf import settings
    from django.core.files import File
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from fortalece.accounts.models import Role, RoleAssignment, User
    from fortalece.geography.models import Subdivision
    from fortalece.imports import services
    from fortalece.people.models import Institution, Person

    if not Subdivision.objects.filter(country__code="MX").exists():
        call_command("load_geography", country="MX", verbosity=0)
    states = list(Subdivision.objects.filter(country__code="MX").order_by("code")[:20])
    institutions = []
    for index in range(40):
        state = states[index % len(states)]
        institution, _ = Institution.objects.get_or_create(
            name=f"Secretaría de Seguridad {index}",
            country_id=state.country_id,
            subdivision=state,
            defaults={"kind": Institution.Kind.POLICE},
        )
        institutions.append((institution.name, state.name))
    user, created = User.objects.get_or_create(email="bench-import@example.invalid")
    if created:
        RoleAssignment.objects.create(user=user, role=Role.ADMINISTRATOR)
    settings.FORTALECE_IMPORT_MAX_ROWS = max(settings.FORTALECE_IMPORT_MAX_ROWS, args.rows)
    settings.FORTALECE_IMPORT_MAX_BYTES = max(settings.FORTALECE_IMPORT_MAX_BYTES, 1 << 30)
    tag = f"b{int(time.time())}x"

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "people.csv"
        write_csv(path, args.rows, institutions, tag)
        size = path.stat().st_size
        print(f"{args.rows:,} rows, {size / 1e6:.1f} MB of CSV, PostgreSQL {connection.pg_version}")

        # COPY of the same file into a bare table (text columns, no constraint, no index).
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS bench_people_copy")
            cursor.execute(
                "CREATE TABLE bench_people_copy (given text, family text, sex text, "
                "profession text, institution text, state text, email text)"
            )
        started = time.perf_counter()
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(
                "COPY bench_people_copy FROM STDIN WITH (FORMAT csv, HEADER true)"
            ) as copy,
            path.open("rb") as handle,
        ):
            while block := handle.read(1 << 20):
                copy.write(block)
        copy_seconds = time.perf_counter() - started
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM bench_people_copy")
            assert cursor.fetchone()[0] == args.rows  # noqa: S101
            cursor.execute("DROP TABLE bench_people_copy")

        before = Person.objects.count()
        started = time.perf_counter()
        with path.open("rb") as handle:
            job = services.import_upload(
                user=user, kind="people", upload=File(handle, name="people.csv")
            )
        uploaded = time.perf_counter()
        job = services.import_check(job=job, user=user)
        checked = time.perf_counter()
        assert job.status == job.Status.READY, job.errors[:5]  # noqa: S101
        job = services.import_save(job=job, user=user)
        saved = time.perf_counter()
        added = Person.objects.count() - before
        assert added == args.rows, (added, args.rows)  # noqa: S101
        job.file.delete(save=False)

    total = saved - started
    print(f"{'step':<34}{'seconds':>10}{'rows/s':>12}")
    print(f"{'COPY into a bare table':<34}{copy_seconds:>10.2f}{args.rows / copy_seconds:>12,.0f}")
    print(f"{'import: upload and count':<34}{uploaded - started:>10.2f}")
    print(f"{'import: check every row':<34}{checked - uploaded:>10.2f}")
    print(f"{'import: save (one transaction)':<34}{saved - checked:>10.2f}")
    print(f"{'import: all of it':<34}{total:>10.2f}{args.rows / total:>12,.0f}")
    print(f"import throughput = {100 * copy_seconds / total:.1f}% of COPY's")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
