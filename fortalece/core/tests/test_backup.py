"""Backups (SECURITY.md "Reliability"): the dump-and-restore round trip of docs/deployment.md,
run on a seeded database with uploaded files; every table's row count and checksum, and every
file's SHA-256, are equal after the restore.

Needs PostgreSQL and its client tools (pg_dump, pg_restore, createdb, dropdb); skipped with
that reason elsewhere. CI runs it on PostgreSQL.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tarfile
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from fortalece.core.figures import record

TOOLS = ("pg_dump", "pg_restore", "createdb", "dropdb")
pytestmark = [
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="the backup round trip is for PostgreSQL (CI runs it with DATABASE_URL=postgres://…)",
    ),
    pytest.mark.skipif(
        any(shutil.which(tool) is None for tool in TOOLS),
        reason=f"needs the PostgreSQL client tools ({', '.join(TOOLS)})",
    ),
]


def _conn_args(name: str) -> list[str]:
    db = connection.settings_dict
    return [
        "--host",
        str(db["HOST"] or "127.0.0.1"),
        "--port",
        str(db["PORT"] or 5432),
        "--username",
        str(db["USER"] or "postgres"),
        "--dbname" if name else "",
        name,
    ]


def _run(tool: str, *args: str) -> None:
    """One of PostgreSQL's client tools, by its full path; arguments are ours, not input."""
    subprocess.run([str(shutil.which(tool)), *args], check=True)  # noqa: S603


def _tables(cursor: Any) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    return [row[0] for row in cursor.fetchall()]


def _fingerprint(dbname: str) -> dict[str, tuple[int, str]]:
    """Per table: the row count and an MD5 of every row's text, in a stable order."""
    import psycopg

    db = connection.settings_dict
    with (
        psycopg.connect(
            dbname=dbname,
            user=db["USER"] or "postgres",
            host=db["HOST"] or "127.0.0.1",
            port=db["PORT"] or 5432,
            password=db["PASSWORD"] or None,
            autocommit=True,
        ) as raw,
        raw.cursor() as cursor,
    ):
        found = {}
        for table in _tables(cursor):
            cursor.execute(
                f"SELECT count(*), coalesce(md5(string_agg(t::text, chr(10) ORDER BY t::text)), "  # noqa: S608
                f"'') FROM \"{table}\" t"
            )
            count, digest = cursor.fetchone()
            found[table] = (int(count), digest)
        return found


def _files(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_dump_and_restore_loses_nothing(transactional_db: Any, settings: Any, tmp_path: Path):
    from fortalece.accounts.models import Role
    from fortalece.core.testing import make_user
    from fortalece.geography.models import Country
    from fortalece.imports.services import import_upload

    media = tmp_path / "media"
    settings.MEDIA_ROOT = str(media)
    call_command("load_geography", country="MX", verbosity=0)
    call_command("generate_synthetic", people=120, seed=7, stdout=StringIO(), stderr=StringIO())
    manager = make_user(Role.PROGRAMME_MANAGER, country=Country.objects.get(code="MX"))
    header = "Nombre(s),Apellidos,Sexo,Profesión,Institución,Estado,Correo\n"
    for i in range(3):
        body = header + f"Ana{i},Respaldo,F,Policía,Ninguna,,a{i}@example.org\n"
        import_upload(
            user=manager,
            kind="people",
            upload=SimpleUploadedFile(f"lista-{i}.csv", body.encode()),
        )
    name = connection.settings_dict["NAME"]
    restored = f"{name}_restore"
    dump, archive = tmp_path / "fortalece.dump", tmp_path / "media.tar.gz"

    # Back up (docs/deployment.md, "Backups"): the database in pg_dump's custom format, and the
    # uploaded files as a tar archive.
    _run("pg_dump", "--format=custom", "--no-owner", "--file", str(dump), *_conn_args(name))
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(media, arcname=".")

    # Restore into a new database and a new folder.
    host = _conn_args("")[:6]
    _run("dropdb", "--if-exists", *host, restored)
    _run("createdb", *host, restored)
    try:
        _run("pg_restore", "--no-owner", "--exit-on-error", *_conn_args(restored), str(dump))
        target = tmp_path / "restored-media"
        target.mkdir()
        with tarfile.open(archive) as tar:
            tar.extractall(target, filter="data")

        before, after = _fingerprint(name), _fingerprint(restored)
    finally:
        _run("dropdb", "--if-exists", *host, restored)
    files_before, files_after = _files(media), _files(target)
    differences = [t for t in before if before[t] != after.get(t)] + sorted(
        set(after) - set(before)
    )
    rows = sum(count for count, _ in before.values())
    record(
        "backup_roundtrip",
        tables=len(before),
        rows=rows,
        files=len(files_before),
        differences=len(differences) + (files_before != files_after),
    )
    assert rows > 1000 and len(files_before) == 3
    assert not differences, differences
    assert files_before == files_after
