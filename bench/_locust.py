"""What the locust load tests (``load.py``, ``learners.py``) share: the server's environment,
signed-in sessions, gunicorn started as the container starts it, a bounded headless locust
run, its CSV read back, and the table printed.

Standard library only at import time: locust imports the load-test files (and so this module)
in its own gevent-patched process. Django is imported inside the functions that need it.
"""

from __future__ import annotations

import csv
import json
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
# As deploy/entrypoint.sh: WEB_CONCURRENCY workers × WEB_THREADS threads (4 × 1 unless set).
WORKERS = os.environ.get("WEB_CONCURRENCY", "4")
THREADS = os.environ.get("WEB_THREADS", "1")
GUNICORN = f"gunicorn {WORKERS} workers × {THREADS} threads"


def server_env(database: str, **extra: str) -> dict[str, str]:
    """The production settings against ``database`` (``DEBUG`` off, persistent database
    connections, a throwaway secret key),
    set in this process too, and Django set up with them."""
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        # Persistent connections, as compose.yaml and docs/deployment.md run the app: without
        # them every request opened a PostgreSQL connection (a backend forked, authenticated
        # and its caches filled), a cost production does not pay.
        "DATABASE_CONN_MAX_AGE": "60",
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
            WORKERS,
            "--threads",
            THREADS,
            "--timeout",
            "60",
            "--keep-alive",
            "75",
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


def warm_up(port: int, session_key: str, paths: list[str], rounds: int = 3) -> int:
    """Each path a few times, 6 at once (one per gunicorn thread), before the measured run:
    a worker's first requests import views and compile templates, which a production server
    running for a while has long done. Returns how many requests it sent (not measured)."""
    from concurrent.futures import ThreadPoolExecutor

    def fetch(path: str) -> None:
        request = urllib.request.Request(  # noqa: S310 - 127.0.0.1 only
            f"http://127.0.0.1:{port}{path}", headers={"Cookie": f"sessionid={session_key}"}
        )
        try:
            urllib.request.urlopen(request, timeout=60).read()  # noqa: S310
        except OSError:
            pass

    sent = [path for path in paths for _ in range(6 * rounds)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(fetch, sent))
    return len(sent)


def cpu_seconds(server: subprocess.Popen[bytes]) -> float:
    """CPU time (user + system) used so far by gunicorn's master and workers, from /proc
    (Linux): how much of the machine the server itself took, whatever else runs on it."""
    ticks = os.sysconf("SC_CLK_TCK")
    pids = [server.pid]
    try:
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text()
        pids += [int(pid) for pid in children.split()]
        total = 0
        for pid in pids:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
    except OSError:
        return float("nan")
    return total / ticks


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
    """Locust headless, bounded by ``--run-time``: every user starts at once. Its own summary
    goes to ``<prefix>.log``."""
    env = {**env, "FORTALECE_LOAD_STATS": f"{prefix}.json"}
    with open(f"{prefix}.log", "wb") as log:
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
            stderr=log,
        )


def write_final_stats() -> None:
    """In the locust process: once every user has stopped (its last requests included, which
    locust's CSV, written every second, may miss), write each request name's figures and the
    aggregate to ``$FORTALECE_LOAD_STATS``."""
    from locust import events

    @events.quitting.add_listener
    def _write(environment: Any, **_kwargs: Any) -> None:
        path = os.environ.get("FORTALECE_LOAD_STATS")
        if not path or environment.stats is None:
            return
        rows = {}
        entries = sorted(environment.stats.entries.values(), key=lambda e: e.name)
        for entry in [*entries, environment.stats.total]:
            rows[entry.name] = {
                "requests": entry.num_requests,
                "failures": entry.num_failures,
                "rps": entry.total_rps,
                "p50": entry.get_response_time_percentile(0.5),
                "p95": entry.get_response_time_percentile(0.95),
                "p99": entry.get_response_time_percentile(0.99),
            }
        Path(path).write_text(json.dumps(rows, indent=1))


def stats_by_name(prefix: str) -> dict[str, dict[str, float]]:
    """One entry per request name, and "Aggregated" (``write_final_stats``)."""
    result: dict[str, dict[str, float]] = json.loads(Path(f"{prefix}.json").read_text())
    return result


def failures(prefix: str) -> list[tuple[str, str, int]]:
    """Locust's ``<prefix>_failures.csv``: (request name, error, occurrences), most first."""
    with open(f"{prefix}_failures.csv", encoding="utf-8") as handle:
        rows = [(r["Name"], r["Error"], int(r["Occurrences"])) for r in csv.DictReader(handle)]
    return sorted(rows, key=lambda r: -r[2])


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
