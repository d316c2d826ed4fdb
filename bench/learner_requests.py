"""Per-request cost of a learner's pages (issue 8): wall clock, CPU and SQL queries.

    .venv/bin/python bench/learner_requests.py                       # SQLite (test database)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/learner_requests \
        .venv/bin/python bench/learner_requests.py                   # PostgreSQL
    .venv/bin/python bench/learner_requests.py --profile lesson      # cProfile of one request
    .venv/bin/python bench/learner_requests.py --sql "my learning"   # its SQL, query by query

What the load test (``learners.py``) spends its time on, one request at a time, through
Django's test client in one process (middleware, session, policies, templates: the whole
request, no network): the lesson page with no comments and with ``--comments`` of them in the
learner's cohort (a fifth of them replies), My learning, the quiz page, the quiz start (the
POST that makes an attempt and draws its questions), the attempt page it leads to and a comment posted with htmx. Prints the
median of ``--repeat`` runs of each, the number of SQL queries and, on PostgreSQL on this
machine, the database backend's mean CPU a request; ``--profile NAME`` prints
the 30 costliest functions of that request instead.

It runs as a pytest session (``pytest.main`` on this file) only to reuse the test suite's
``world``/``online`` fixtures and its throw-away test database; the suite never collects it
(``testpaths`` leaves ``bench/`` out) and nothing here asserts a timing.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OPTIONS_ENV = "FORTALECE_BENCH_OPTIONS"

if __name__ != "__main__":  # collected by pytest: the suite's fixture of an online course
    from fortalece.learning.tests.conftest import online  # noqa: F401


def _backend_cpu() -> float:
    """CPU seconds used so far by this connection's PostgreSQL backend (same machine, Linux
    /proc); NaN elsewhere. The client's CPU does not include the database's work."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return float("nan")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _measure(
    label: str, call: Any, repeat: int, before: Any = None
) -> tuple[str, float, float, int, float]:
    """Median wall clock and CPU of ``call()``, its queries and the database backend's mean
    CPU a call; ``before()`` runs first each time, unmeasured."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    before = before or (lambda: None)
    before()
    call()  # warm: templates compiled, caches filled, as in a running worker
    times, cpu, queries, database = [], [], 0, 0.0
    for _ in range(repeat):
        before()
        started_database = _backend_cpu()
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = call()
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        database += _backend_cpu() - started_database
        assert response.status_code in (200, 302), (label, response.status_code)
        queries = len(captured.captured_queries)
    return (
        label,
        statistics.median(times),
        statistics.median(cpu),
        queries,
        database / repeat,
    )


def _profile(call: Any, before: Any = None) -> None:
    import cProfile
    import pstats

    before = before or (lambda: None)
    call()
    profiler = cProfile.Profile()
    for _ in range(5):
        before()
        profiler.enable()
        call()
        profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats("fortalece/(?!.*middleware)", 30)
    stats.sort_stats("tottime").print_stats(20)


def _comments(online: Any, count: int) -> None:
    from fortalece.messaging.models import Comment

    learner = online.users["learner"]
    top = Comment.objects.bulk_create(
        Comment(
            item=online.lesson,
            workshop=online.workshop,
            author=learner,
            body=f"Pregunta {n}: ¿aplica en mi municipio?",
        )
        for n in range(count - count // 5)
    )
    Comment.objects.bulk_create(
        Comment(
            item=online.lesson,
            workshop=online.workshop,
            parent=top[n % len(top)],
            author=online.users["trainer"],
            body=f"Respuesta {n}",
        )
        for n in range(count // 5)
    )


def test_learner_requests(online: Any, settings: Any) -> None:
    from django.db import connection
    from django.urls import reverse
    from django.utils import timezone

    from fortalece.core.testing import client_for
    from fortalece.quizzes.models import Attempt
    from fortalece.quizzes.tests.factories import make_quiz

    options = json.loads(os.environ[OPTIONS_ENV])
    settings.FORTALECE_COMMENT_RATE = "100000/m"
    made = make_quiz(online, attempts_allowed=0, allow_offline=True, time_limit_minutes=20)
    client = client_for(online.users["learner"])
    lesson = reverse("learning:item", args=[online.lesson.pk])
    counter = iter(range(10**6))
    latest: list[int] = []

    def submit_open() -> None:
        """Hand in the open attempt, so that each start makes a new one."""
        Attempt.objects.filter(submitted_at__isnull=True).update(submitted_at=timezone.now())

    def find_latest() -> None:
        latest[:] = [Attempt.objects.latest("pk").pk]

    before = {"quiz start": submit_open, "quiz attempt page": find_latest}
    calls = {
        "lesson": lambda: client.get(lesson),
        "my learning": lambda: client.get(reverse("learning:my_learning")),
        "quiz page": lambda: client.get(reverse("quizzes:quiz", args=[made.item.pk])),
        "quiz start": lambda: client.post(
            reverse("quizzes:start", args=[made.item.pk]), {"key": f"k{next(counter)}"}
        ),
        "quiz attempt page": lambda: client.get(reverse("quizzes:attempt", args=[latest[0]])),
        "comment (htmx)": lambda: client.post(
            reverse("messaging:comment_post", args=[online.lesson.pk]),
            {"body": f"Comentario {next(counter)}"},
            HTTP_HX_REQUEST="true",
        ),
    }
    repeat = options["repeat"]
    if options["sql"]:
        from django.test.utils import CaptureQueriesContext

        name = options["sql"]
        (before.get(name) or (lambda: None))()
        calls[name]()
        (before.get(name) or (lambda: None))()
        with CaptureQueriesContext(connection) as captured:
            calls[name]()
        for query in captured.captured_queries:
            print(query["sql"][:300])
        return
    if options["profile"]:
        if options["profile"].startswith("lesson"):
            _comments(online, options["comments"])
        name = options["profile"].removesuffix(" with comments")
        (before.get(name) or (lambda: None))()
        _profile(calls[name], before.get(name))
        return
    rows = [_measure("lesson, no comments", calls["lesson"], repeat)]
    _comments(online, options["comments"])
    rows.append(_measure(f"lesson, {options['comments']} comments", calls["lesson"], repeat))
    rows.extend(
        _measure(name, call, repeat, before.get(name))
        for name, call in calls.items()
        if name != "lesson"
    )
    print(f"\n{connection.vendor}, median of {repeat}:")
    print(f"  {'request':32s} {'wall':>9s} {'CPU':>9s}  queries  database CPU (mean)")
    for label, seconds, cpu, queries, database in rows:
        print(
            f"  {label:32s} {seconds * 1000:6.1f} ms {cpu * 1000:6.1f} ms  {queries:4d}"
            f"     {database * 1000:6.1f} ms"
        )


def main() -> int:
    import argparse

    import pytest

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=9, help="Runs per request (median).")
    parser.add_argument("--comments", type=int, default=2000, help="Comments on the lesson.")
    parser.add_argument(
        "--profile",
        default="",
        help="cProfile one request instead: lesson, 'lesson with comments', my learning, "
        "quiz page, quiz start, 'comment (htmx)'.",
    )
    parser.add_argument(
        "--sql", default="", help="Print the SQL of one request instead (names as --profile)."
    )
    parser.add_argument(
        "--reuse-db",
        action="store_true",
        help="Keep the test database for the next run (pytest-django's --reuse-db).",
    )
    args = parser.parse_args()
    os.environ[OPTIONS_ENV] = json.dumps(vars(args))
    os.chdir(ROOT)
    extra = ["--reuse-db"] if args.reuse_db else []
    return int(pytest.main([__file__, "-q", "-s", "-p", "no:cacheprovider", *extra]))


if __name__ == "__main__":
    sys.exit(main())
