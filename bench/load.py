"""Load test: 50 signed-in programme managers against a production server on PostgreSQL.

    .venv/bin/python bench/load.py --database platform_db            # 2 minutes + 1 minute

Starts gunicorn as the container does (``deploy/entrypoint.sh``: 3 workers × 2 threads,
``DEBUG`` off) on a local port against ``--database``, signs in a country-wide programme
manager of the largest programme (sessions made beforehand, MFA given), and runs locust
headless twice with the same number of users and no think time (a closed loop: each user
sends its next request when the last one answered):

1. the busiest pages: dashboard, people list, workshop list, a workshop page, home;
2. the bare Django view ``/healthz`` (the whole middleware stack and one ``SELECT 1``),
   served the same way, as the ceiling of what this server can do.

Prints p50/p95/p99, errors and requests per second of each, and the throughput ratio. The run
is bounded (``--minutes``); gunicorn is stopped at the end. It creates one user and its
sessions in the database: never point it at a database you must not write to.
"""

import os
import sys
from pathlib import Path

if __name__ == "__main__":
    import argparse
    import csv
    import secrets
    import signal
    import subprocess  # noqa: S404 - gunicorn and locust of this virtualenv, fixed arguments
    import tempfile
    import time
    import urllib.request

    ROOT = Path(__file__).resolve().parent.parent
    BIN = Path(sys.executable).parent

    def stats(prefix: str) -> dict[str, float]:
        with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        total = next(r for r in rows if r["Name"] == "Aggregated")
        return {
            "requests": float(total["Request Count"]),
            "failures": float(total["Failure Count"]),
            "rps": float(total["Requests/s"]),
            "p50": float(total["50%"]),
            "p95": float(total["95%"]),
            "p99": float(total["99%"]),
        }

    def main() -> int:
        parser = argparse.ArgumentParser(
            description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
        )
        parser.add_argument("--database", default="platform_db")
        parser.add_argument("--users", type=int, default=50)
        parser.add_argument("--minutes", type=float, default=2.0)
        parser.add_argument("--bare-minutes", type=float, default=1.0)
        parser.add_argument("--port", type=int, default=8765)
        args = parser.parse_args()
        if args.database in ("fortalece_bench", "test"):
            print("This test creates a user and sessions: use a database of its own.")
            return 1
        env = {
            **os.environ,
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{args.database}",
            "DJANGO_SETTINGS_MODULE": "fortalece.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_HTTPS": "0",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "PYTHONPATH": str(ROOT),
        }
        os.environ.update(env)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0)
        from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
        from django.contrib.sessions.backends.db import SessionStore
        from django.db.models import Count

        from fortalece.accounts.mfa import VERIFIED_AT
        from fortalece.accounts.models import Role, RoleAssignment, User
        from fortalece.programmes.models import Programme
        from fortalece.training.models import Workshop

        programme = Programme.objects.annotate(n=Count("reach")).order_by("-n").first()
        assert programme is not None, "no programme in this database"  # noqa: S101
        country = programme.countries.order_by("pk").first()
        user, created = User.objects.get_or_create(email="bench-load@example.invalid")
        if created:
            RoleAssignment.objects.create(user=user, role=Role.PROGRAMME_MANAGER, country=country)
        keys = []
        for _ in range(args.users):
            session = SessionStore()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session[VERIFIED_AT] = time.time() + 3600
            session.create()
            keys.append(session.session_key)
        workshop = Workshop.objects.filter(programme=programme).order_by("-pk").first()
        folder = Path(tempfile.mkdtemp(prefix="fortalece-load-"))
        (folder / "sessions.txt").write_text("\n".join(keys))
        env["FORTALECE_LOAD_SESSIONS"] = str(folder / "sessions.txt")
        env["FORTALECE_LOAD_PROGRAMME"] = str(programme.pk)
        env["FORTALECE_LOAD_WORKSHOP"] = str(workshop.pk if workshop else 0)
        host = f"http://127.0.0.1:{args.port}"
        server = subprocess.Popen(  # noqa: S603
            [
                str(BIN / "gunicorn"),
                "fortalece.wsgi:application",
                "--bind",
                f"127.0.0.1:{args.port}",
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
        try:
            for _ in range(60):
                try:
                    urllib.request.urlopen(host + "/healthz", timeout=2)  # noqa: S310
                    break
                except OSError:
                    time.sleep(1)
            results = {}
            for label, user_class, minutes in (
                ("busiest pages", "ManagerPages", args.minutes),
                ("bare Django view /healthz", "BareView", args.bare_minutes),
            ):
                prefix = str(folder / user_class)
                subprocess.run(  # noqa: S603
                    [
                        str(BIN / "locust"),
                        "-f",
                        __file__,
                        "--headless",
                        "--users",
                        str(args.users),
                        "--spawn-rate",
                        str(args.users),
                        "--run-time",
                        f"{int(minutes * 60)}s",
                        "--host",
                        host,
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
                results[label] = stats(prefix)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
            from django.contrib.sessions.models import Session

            Session.objects.filter(session_key__in=keys).delete()
        print(f"{args.users} users, no think time, gunicorn 3 workers × 2 threads")
        print(
            f"{'run':<28}{'requests':>9}{'errors':>8}{'req/s':>8}"
            f"{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}"
        )
        for label, s in results.items():
            print(
                f"{label:<28}{s['requests']:>9.0f}{s['failures']:>8.0f}{s['rps']:>8.1f}"
                f"{s['p50']:>8.0f}{s['p95']:>8.0f}{s['p99']:>8.0f}"
            )
        pages, bare = results["busiest pages"], results["bare Django view /healthz"]
        print(f"throughput: {pages['rps'] / max(bare['rps'], 1e-9):.2f}× the bare view")
        return 0

    raise SystemExit(main())

else:
    from locust import HttpUser, constant, task

    def _session_keys() -> list[str]:
        path = os.environ.get("FORTALECE_LOAD_SESSIONS", "")
        return Path(path).read_text().split() if path else []

    KEYS = _session_keys()
    PROGRAMME = os.environ.get("FORTALECE_LOAD_PROGRAMME", "1")
    WORKSHOP = os.environ.get("FORTALECE_LOAD_WORKSHOP", "1")

    class ManagerPages(HttpUser):
        """A signed-in programme manager going through the busiest pages."""

        wait_time = constant(0)

        def on_start(self) -> None:
            key = KEYS.pop() if KEYS else ""
            self.client.cookies.set("sessionid", key)

        @task(3)
        def dashboard(self) -> None:
            self.client.get(f"/reports/programmes/{PROGRAMME}/", name="dashboard")

        @task(3)
        def people(self) -> None:
            self.client.get("/people/", name="people list")

        @task(2)
        def workshops(self) -> None:
            self.client.get("/training/workshops/", name="workshop list")

        @task(2)
        def workshop(self) -> None:
            self.client.get(f"/training/workshops/{WORKSHOP}/", name="workshop")

        @task(1)
        def home(self) -> None:
            self.client.get("/", name="home")

    class BareView(HttpUser):
        wait_time = constant(0)

        @task
        def healthz(self) -> None:
            self.client.get("/healthz", name="healthz")
