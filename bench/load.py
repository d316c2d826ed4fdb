"""Load test: 50 signed-in programme managers against a production server on PostgreSQL.

    .venv/bin/python bench/load.py --database platform_db            # 2 minutes + 1 minute

Starts gunicorn as the container does (``deploy/entrypoint.sh``: 4 workers × 1 thread,
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
    import tempfile

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import _locust as harness

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
        if args.database in harness.PROTECTED:
            print("This test creates a user and sessions: use a database of its own.")
            return 1
        env = harness.server_env(args.database)
        from django.db.models import Count

        from fortalece.accounts.models import Role, RoleAssignment, User
        from fortalece.programmes.models import Programme
        from fortalece.training.models import Workshop

        programme = Programme.objects.annotate(n=Count("reach")).order_by("-n").first()
        assert programme is not None, "no programme in this database"  # noqa: S101
        country = programme.countries.order_by("pk").first()
        user, created = User.objects.get_or_create(email="bench-load@example.invalid")
        if created:
            RoleAssignment.objects.create(user=user, role=Role.PROGRAMME_MANAGER, country=country)
        keys = harness.make_sessions([user] * args.users)
        workshop = Workshop.objects.filter(programme=programme).order_by("-pk").first()
        folder = Path(tempfile.mkdtemp(prefix="fortalece-load-"))
        (folder / "sessions.txt").write_text("\n".join(keys))
        env["FORTALECE_LOAD_SESSIONS"] = str(folder / "sessions.txt")
        env["FORTALECE_LOAD_PROGRAMME"] = str(programme.pk)
        env["FORTALECE_LOAD_WORKSHOP"] = str(workshop.pk if workshop else 0)
        server = harness.start_gunicorn(env, args.port)
        try:
            results = {}
            for label, user_class, minutes in (
                ("busiest pages", "ManagerPages", args.minutes),
                ("bare Django view /healthz", "BareView", args.bare_minutes),
            ):
                prefix = str(folder / user_class)
                harness.run_locust(
                    locustfile=__file__,
                    user_class=user_class,
                    users=args.users,
                    minutes=minutes,
                    port=args.port,
                    prefix=prefix,
                    env=env,
                )
                results[label] = harness.stats(prefix)
        finally:
            harness.stop_gunicorn(server)
            harness.drop_sessions(keys)
        print(f"{args.users} users, no think time, {harness.GUNICORN}")
        harness.print_table("run", results)
        pages, bare = results["busiest pages"], results["bare Django view /healthz"]
        print(f"throughput: {pages['rps'] / max(bare['rps'], 1e-9):.2f}× the bare view")
        return 0

    raise SystemExit(main())

else:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import _locust as harness

    harness.write_final_stats()
    from locust import constant, task
    from locust.contrib.fasthttp import FastHttpUser

    def _session_keys() -> list[str]:
        path = os.environ.get("FORTALECE_LOAD_SESSIONS", "")
        return Path(path).read_text().split() if path else []

    KEYS = _session_keys()
    PROGRAMME = os.environ.get("FORTALECE_LOAD_PROGRAMME", "1")
    WORKSHOP = os.environ.get("FORTALECE_LOAD_WORKSHOP", "1")

    class ManagerPages(FastHttpUser):
        """A signed-in programme manager going through the busiest pages.

        locust's ``FastHttpUser`` (geventhttpclient) rather than requests: the load generator
        shares the server's two cores, and it costs several times less CPU a request. The
        session travels as a header (these are GETs; no form, no CSRF)."""

        wait_time = constant(0)

        def on_start(self) -> None:
            self.headers = {"Cookie": f"sessionid={KEYS.pop() if KEYS else ''}"}

        def _get(self, path: str, name: str) -> None:
            self.client.get(path, name=name, headers=self.headers)

        @task(3)
        def dashboard(self) -> None:
            self._get(f"/reports/programmes/{PROGRAMME}/", "dashboard")

        @task(3)
        def people(self) -> None:
            self._get("/people/", "people list")

        @task(2)
        def workshops(self) -> None:
            self._get("/training/workshops/", "workshop list")

        @task(2)
        def workshop(self) -> None:
            self._get(f"/training/workshops/{WORKSHOP}/", "workshop")

        @task(1)
        def home(self) -> None:
            self._get("/", "home")

    class BareView(FastHttpUser):
        wait_time = constant(0)

        @task
        def healthz(self) -> None:
            self.client.get("/healthz", name="healthz")
