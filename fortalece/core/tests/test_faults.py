"""Faults (SECURITY.md "Reliability", issue 12): what a lost database connection, a killed
worker, two reach rebuilds at once and an interrupted generator leave behind.

The connection and lock tests need PostgreSQL (``pg_terminate_backend``, advisory locks,
real concurrent transactions); on SQLite they are skipped with that reason. CI runs on
PostgreSQL (.ci/run).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import DatabaseError, InterfaceError, OperationalError, connection, connections
from django.test import RequestFactory

from fortalece.core.figures import record

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
postgres_only = pytest.mark.skipif(
    not ON_POSTGRES,
    reason="needs PostgreSQL (pg_terminate_backend, advisory locks, concurrent transactions); "
    "CI runs these with DATABASE_URL=postgres://…",
)
HEADER = "Nombre(s),Apellidos,Sexo,Profesión,Institución,Estado,Correo\n"
ROWS = 1200


def _raw_connection() -> Any:
    """A second connection to the test database, outside Django (the 'other' session)."""
    import psycopg

    db = connection.settings_dict
    return psycopg.connect(
        dbname=db["NAME"],
        user=db["USER"] or "postgres",
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        password=db["PASSWORD"] or None,
        autocommit=True,
    )


def _terminate(other: Any, pid: int) -> None:
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        for _ in range(200):
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.01)
    raise AssertionError(f"backend {pid} still alive")


def _count(other: Any, sql: str, params: list[Any]) -> int:
    with other.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.fetchone()[0])


def _wsgi_get(path: str) -> int:
    """A request through Django's real handler (the test client keeps broken connections; a
    server's handler closes them at the start of the next request, as in production)."""
    from django.core.handlers.wsgi import WSGIHandler

    environ = RequestFactory()._base_environ(PATH_INFO=path, REQUEST_METHOD="GET")
    status: list[str] = []
    body = WSGIHandler()(environ, lambda s, headers, exc_info=None: status.append(s))
    b"".join(body)
    return int(status[0].split()[0])


@pytest.fixture
def import_world(transactional_db: Any) -> dict[str, Any]:
    from fortalece.accounts.models import Role
    from fortalece.core.testing import make_user
    from fortalece.geography.tests.factories import CountryFactory, SubdivisionFactory
    from fortalece.people.tests.factories import InstitutionFactory

    mexico = CountryFactory(code="MX")
    state = SubdivisionFactory(country=mexico, code="MX-MIC", name="Michoacán")
    institution = InstitutionFactory(country=mexico, subdivision=state)
    manager = make_user(Role.PROGRAMME_MANAGER, country=mexico)
    return {"manager": manager, "institution": institution}


def _ready_job(world: dict[str, Any], family: str = "Prueba") -> Any:
    from fortalece.imports.models import ImportJob
    from fortalece.imports.services import import_check, import_upload

    name = world["institution"].name
    rows = "".join(
        f"Persona{i},{family},F,Policía,{name},,p{i}.{family.lower()}@example.org\n"
        for i in range(ROWS)
    )
    upload = SimpleUploadedFile("lista.csv", (HEADER + rows).encode())
    job = import_upload(user=world["manager"], kind="people", upload=upload)
    job = import_check(job=job, user=world["manager"])
    assert job.status == ImportJob.Status.READY, job.summary
    return job


@postgres_only
def test_killing_the_connection_mid_import_leaves_no_partial_rows_20_times(
    import_world, monkeypatch
):
    """pg_terminate_backend at a random row of the save, 20 times: 0 rows saved each time,
    the job is still ready (not 'done'), and the next request is answered."""
    from fortalece.imports import services
    from fortalece.imports.models import ImportJob
    from fortalece.imports.services import import_save

    job = _ready_job(import_world)
    other = _raw_connection()
    rng = random.Random(12)
    # The save reads each row's institution, then writes a chunk of people at once (COPY):
    # chunks of 500 here, so that a kill after row 500 comes after rows were written.
    original = services.Resolver.institution
    chunked = services._chunked
    monkeypatch.setattr(services, "_chunked", lambda items, size=500: chunked(items, 500))
    partial_runs, answered = 0, 0
    for _run in range(20):
        kill_at = rng.randrange(1, ROWS)  # after the first chunk of 500 rows, too
        calls = {"n": 0}

        def institution(
            resolver: Any, name: str, state: str, *, _kill_at: int = kill_at, _calls: dict = calls
        ) -> Any:
            _calls["n"] += 1
            if _calls["n"] == _kill_at:
                _terminate(other, connection.connection.info.backend_pid)
            return original(resolver, name, state)

        monkeypatch.setattr(services.Resolver, "institution", institution)
        with pytest.raises((OperationalError, InterfaceError, DatabaseError)):
            import_save(job=ImportJob.objects.get(pk=job.pk), user=import_world["manager"])
        saved = _count(
            other, "SELECT count(*) FROM people_person WHERE family_names = %s", ["Prueba"]
        )
        status = _count(
            other,
            "SELECT count(*) FROM imports_importjob WHERE id = %s AND status = 'ready'",
            [job.pk],
        )
        partial_runs += saved > 0 or status != 1
        answered += _wsgi_get("/healthz") == 200
    monkeypatch.setattr(services.Resolver, "institution", original)
    other.close()
    record("fault_import_kill", runs=20, partial=partial_runs, next_request_ok=answered)
    assert partial_runs == 0
    assert answered == 20
    # And the same job still saves, whole, once the database is back.
    done = import_save(job=ImportJob.objects.get(pk=job.pk), user=import_world["manager"])
    assert done.status == ImportJob.Status.DONE
    from fortalece.people.models import Person

    assert Person.objects.filter(family_names="Prueba").count() == ROWS


def _worker_env() -> dict[str, str]:
    db = connection.settings_dict
    url = (
        f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
        f"{db['NAME']}"
    )
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "fortalece.settings",
        "FORTALECE_TASK_BACKEND": "django_tasks_db.DatabaseBackend",
        "FORTALECE_ALLOW_INSECURE_KEY": "1",
        "DJANGO_DEBUG": "0",
        "PYTHONPATH": str(Path(settings.BASE_DIR).parent),
        # The worker's MEDIA_ROOT (VAR_DIR/media) is this test's, where the upload is.
        "FORTALECE_VAR_DIR": str(Path(settings.MEDIA_ROOT).parent),
    }


def _wait_for_other_sessions(other: Any) -> None:
    """PostgreSQL notices a killed client and rolls its transaction back; wait for that."""
    for _ in range(300):
        with other.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND pid <> %s",
                [connection.connection.info.backend_pid],
            )
            if cursor.fetchone()[0] == 0:
                return
        time.sleep(0.05)


def _saving_backend(other: Any) -> int | None:
    """The pid of another session that is inside a transaction touching people (mid-save)."""
    with other.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND pid <> %s AND xact_start IS NOT NULL "
            "AND query ILIKE %s",
            [connection.connection.info.backend_pid, "%people_person%"],
        )
        row = cursor.fetchone()
    return row[0] if row else None


@postgres_only
def test_a_worker_killed_mid_import_leaves_nothing_and_the_job_is_marked_failed(
    import_world, settings
):
    """A real ``db_worker`` process, SIGKILLed while it saves an import: no row is saved, and
    the recovery job (hourly through the scheduler, or ``fortalece tasks_recover``) marks the
    task and the import failed with a message instead of leaving them 'running' for ever."""
    from django_tasks_db.models import DBTaskResult

    from fortalece.core.tasks_recovery import tasks_recover
    from fortalece.imports.models import ImportJob
    from fortalece.imports.tasks import run_import
    from fortalece.people.models import Person

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    job = _ready_job(import_world, family="Trabajador")
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.QUEUED)
    result = run_import.enqueue(job.pk, "save")
    other = _raw_connection()
    worker = subprocess.Popen(
        [sys.executable, "-m", "fortalece", "db_worker", "--interval", "0.1"],
        env=_worker_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        pid = None
        deadline = time.monotonic() + 180  # a loaded machine starts Django slowly
        while time.monotonic() < deadline and worker.poll() is None:
            pid = _saving_backend(other)
            if pid is not None:
                break
            time.sleep(0.02)
        if pid is None:
            state = DBTaskResult.objects.filter(pk=result.id).values("status", "traceback")
            raise AssertionError(f"the worker never started saving: {list(state)}")
        worker.send_signal(signal.SIGKILL)  # mid-save: its transaction is open
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(timeout=30)
        _wait_for_other_sessions(other)
    other.close()
    assert Person.objects.filter(family_names="Trabajador").count() == 0  # never half-applied
    assert DBTaskResult.objects.get(pk=result.id).status == "RUNNING"  # the dead worker's claim
    recovered = tasks_recover(older_than_seconds=0)
    task = DBTaskResult.objects.get(pk=result.id)
    job.refresh_from_db()
    record(
        "fault_worker_kill",
        partial_rows=Person.objects.filter(family_names="Trabajador").count(),
        task=task.status,
        job=job.status,
    )
    assert recovered == 1
    assert task.status == "FAILED"
    assert job.status == ImportJob.Status.FAILED
    assert "stopped" in job.summary.get("error", "")


@postgres_only
def test_two_reach_rebuilds_and_refreshes_at_once_never_violate_a_constraint(transactional_db):
    from fortalece.training.models import Enrolment, ProgrammeReach
    from fortalece.training.services.reach import reach_rebuild, reach_refresh
    from fortalece.training.tests.factories import EnrolmentFactory, WorkshopFactory

    workshop = WorkshopFactory()
    people = [
        EnrolmentFactory(workshop=workshop, status=Enrolment.Status.ATTENDED).person_id
        for _ in range(40)
    ]
    errors: list[BaseException] = []
    rounds = 8

    def work(kind: str, barrier: threading.Barrier) -> None:
        try:
            barrier.wait()
            if kind == "all":
                reach_rebuild()
            elif kind == "programme":
                reach_rebuild(programme_id=workshop.programme_id)
            else:
                reach_refresh(programme_id=workshop.programme_id, person_ids=people)
        except BaseException as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    for _ in range(rounds):
        barrier = threading.Barrier(4)
        threads = [
            threading.Thread(target=work, args=(kind, barrier))
            for kind in ("all", "all", "programme", "refresh")
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    record("fault_concurrent_reach", rounds=rounds, workers=4, errors=len(errors))
    assert not errors, errors
    assert ProgrammeReach.objects.filter(programme=workshop.programme).count() == 40


@postgres_only
def test_a_reach_rebuild_waits_for_the_lock(transactional_db):
    """The advisory lock is real: while one transaction holds it, a rebuild waits."""
    from django.db import transaction

    from fortalece.training.services.reach import reach_lock, reach_rebuild

    held, finished = threading.Event(), []

    def hold() -> None:
        with transaction.atomic():
            reach_lock(programme_id=None)
            held.set()
            time.sleep(0.8)
        finished.append(("holder", time.monotonic()))
        connections.close_all()

    def rebuild() -> None:
        held.wait(10)
        reach_rebuild()
        finished.append(("rebuild", time.monotonic()))
        connections.close_all()

    threads = [threading.Thread(target=hold), threading.Thread(target=rebuild)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert [name for name, _ in finished] == ["holder", "rebuild"]


def test_an_interrupted_generate_synthetic_leaves_nothing_and_the_next_run_completes(
    db, monkeypatch
):
    """Ctrl-C (KeyboardInterrupt) half-way: nothing of the programme is left; a process that
    was killed outright leaves its programme marked incomplete, and the next run with the same
    code clears it and starts again."""
    from fortalece.demo import synthetic
    from fortalece.people.models import Institution, Person
    from fortalece.programmes.models import Programme
    from fortalece.training.models import Attendance

    call_command("load_geography", country="MX", verbosity=0)
    people, institutions = Person.objects.count(), Institution.objects.count()
    original = Attendance.objects.bulk_create

    def interrupted(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(Attendance.objects, "bulk_create", interrupted)
    with pytest.raises(KeyboardInterrupt):
        synthetic.generate(people=40, seed=5, code="synthetic-cut")
    monkeypatch.setattr(Attendance.objects, "bulk_create", original)
    left = (
        Programme.objects.filter(code="synthetic-cut").count(),
        Person.objects.count() - people,
        Institution.objects.count() - institutions,
    )
    assert left == (0, 0, 0)
    # A killed process cannot clean up: its programme keeps the INCOMPLETE mark.
    Programme.objects.create(
        code="synthetic-cut", name="half", start_date="2016-01-01", description=synthetic.INCOMPLETE
    )
    out = StringIO()
    call_command("generate_synthetic", people=40, seed=5, programme="synthetic-cut", stdout=out)
    programme = Programme.objects.get(code="synthetic-cut")
    assert programme.description != synthetic.INCOMPLETE
    assert Person.objects.filter(enrolments__workshop__programme=programme).distinct().count() == 40
    record("fault_synthetic_interrupt", left_behind=sum(left), resumed=True)
