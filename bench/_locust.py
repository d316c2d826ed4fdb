"""What the locust load tests (``load.py``, ``learners.py``) share: the server's environment,
signed-in sessions, gunicorn started as the container starts it, a bounded headless locust
run, its CSV read back, and the table printed.

Standard library only at import time: locust imports the load-test files (and so this module)
in its own gevent-patched process. Django is imported inside the functions that need it.
"""

from __future__ import annotations

import csv
import os
import secrets
import signal
import subprocess  # noqa: S404 - gunicorn and locust of this virtualenv, fixed arguments
import sys
import time
import urllib.request
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# Databases these tests must never write their users, sessions and answers into.
PROTECTED = ("fortalece_bench", "test")
GUNICORN = "gunicorn 3 workers × 2 threads"


def server_env(database: str, **extra: str) -> dict[str, str]:
    """The production settings against ``database`` (``DEBUG`` off, a throwaway secret key),
    set in this process too, and Django set up with them."""
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        "DJANGO_SETTINGS_MODULE": "fortalece.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "PYTHONPATH": str(ROOT),
        **extra,
    }
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    return env


def make_sessions(users: Iterable[Any]) -> list[str]:
    """One database session per user, signed in and with MFA given (as after the login)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from fortalece.accounts.mfa import VERIFIED_AT

    keys = []
    for user in users:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session[VERIFIED_AT] = time.time() + 3600
        session.create()
        keys.append(str(session.session_key))
    return keys


def drop_sessions(keys: list[str]) -> None:
    from django.contrib.sessions.models import Session

    Session.objects.filter(session_key__in=keys).delete()


def start_gunicorn(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    """gunicorn as ``deploy/entrypoint.sh`` runs it, on 127.0.0.1 only; waits for /healthz."""
    server = subprocess.Popen(  # noqa: S603
        [
            str(BIN / "gunicorn"),
            "fortalece.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "3",
            "--threads",
            "2",
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    for _ in range(60):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)  # noqa: S310
            break
        except OSError:
            time.sleep(1)
    return server


def stop_gunicorn(server: subprocess.Popen[bytes]) -> None:
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=30)


def run_locust(
    *,
    locustfile: str,
    user_class: str,
    users: int,
    minutes: float,
    port: int,
    prefix: str,
    env: dict[str, str],
) -> None:
    """Locust headless, bounded by ``--run-time``: every user starts at once."""
    subprocess.run(  # noqa: S603
        [
            str(BIN / "locust"),
            "-f",
            locustfile,
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            str(users),
            "--run-time",
            f"{int(minutes * 60)}s",
            "--stop-timeout",
            "10",
            "--host",
            f"http://127.0.0.1:{port}",
            "--csv",
            prefix,
            "--only-summary",
            "--loglevel",
            "WARNING",
            user_class,
        ],
        env=env,
        check=False,
        stdout=subprocess.DEVNULL,
    )


def _row(row: dict[str, str]) -> dict[str, float]:
    return {
        "requests": float(row["Request Count"]),
        "failures": float(row["Failure Count"]),
        "rps": float(row["Requests/s"]),
        "p50": float(row["50%"] or 0),
        "p95": float(row["95%"] or 0),
        "p99": float(row["99%"] or 0),
    }


def stats_by_name(prefix: str) -> dict[str, dict[str, float]]:
    """Locust's ``<prefix>_stats.csv``: one entry per request name, and "Aggregated"."""
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        return {row["Name"]: _row(row) for row in csv.DictReader(handle)}


def stats(prefix: str) -> dict[str, float]:
    return stats_by_name(prefix)["Aggregated"]


def print_table(first: str, results: dict[str, dict[str, float]], width: int = 28) -> None:
    print(
        f"{first:<{width}}{'requests':>9}{'errors':>8}{'req/s':>8}"
        f"{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}"
    )
    for label, s in results.items():
        print(
            f"{label:<{width}}{s['requests']:>9.0f}{s['failures']:>8.0f}{s['rps']:>8.1f}"
            f"{s['p50']:>8.0f}{s['p95']:>8.0f}{s['p99']:>8.0f}"
        )
