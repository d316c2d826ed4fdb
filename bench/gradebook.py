"""Benchmark: the gradebook of one cohort (600 learners × 40 graded items by default).

    createdb -h 127.0.0.1 -U postgres gradebook_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gradebook_bench .venv/bin/python bench/gradebook.py

Builds the cohort once (a course with 20 quizzes and 20 assignments, every learner with a
quiz score and a graded attempt on each, some with an earlier attempt, some overrides), then
renders the gradebook page through Django's test client as an administrator: every learner
on one page, a page of 50, and the XLSX export. Prints the median time and the number of SQL
queries of each, and fails (exit 1) if the whole-cohort page takes a second or more, if the
query count changes with the number of learners, or if a total is not what the data says.
"""

import argparse
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fortalece.settings_test")
os.environ.setdefault("FORTALECE_ALLOW_INSECURE_KEY", "1")

CODE = "bench-gradebook"


def build(learners: int, items: int):  # type: ignore[no-untyped-def]
    import datetime

    from django.db import transaction
    from django.utils import timezone

    from fortalece.assignments.models import Assignment, Grade, GradeOverride, Submission
    from fortalece.geography.models import Country
    from fortalece.learning.models import CourseItem, CourseModule, ItemProgress
    from fortalece.people.models import Institution, Person
    from fortalece.programmes.models import Programme
    from fortalece.training.models import Course, Enrolment, Workshop

    existing = Course.objects.filter(programme__code=CODE, title=f"{learners}x{items}").first()
    if existing is not None:
        return existing
    now = timezone.now()
    with transaction.atomic():
        mexico, _ = Country.objects.get_or_create(
            code="MX", defaults={"alpha3": "MEX", "name_en": "Mexico", "name_es": "México"}
        )
        programme, _ = Programme.objects.get_or_create(
            code=CODE,
            defaults={"name": "Gradebook benchmark", "start_date": datetime.date(2026, 1, 1)},
        )
        programme.countries.add(mexico)
        course = Course.objects.create(
            programme=programme, title=f"{learners}x{items}", modality="online", hours=120
        )
        institution = Institution.objects.create(
            name=f"Bench {course.pk}", kind="police", country=mexico
        )
        cohort = Workshop.objects.create(
            course=course,
            programme=programme,
            title="Cohorte",
            start_date=datetime.date(2026, 1, 1),
            end_date=datetime.date(2026, 6, 30),
            country=mexico,
        )
        people = Person.objects.bulk_create(
            [
                Person(
                    given_names=f"Persona {i}",
                    family_names=f"Apellido {i:04d}",
                    profession="police",
                    institution=institution,
                    search_name=f"persona {i}",
                    family_key="apellido",
                )
                for i in range(learners)
            ],
            batch_size=2000,
        )
        enrolments = Enrolment.objects.bulk_create(
            [Enrolment(workshop=cohort, person=p, status="enrolled") for p in people],
            batch_size=2000,
        )
        modules = CourseModule.objects.bulk_create(
            [CourseModule(course=course, title=f"Módulo {m}", position=m) for m in range(4)]
        )
        graded = CourseItem.objects.bulk_create(
            [
                CourseItem(
                    module=modules[i % 4],
                    kind="quiz" if i % 2 == 0 else "assignment",
                    title=f"Actividad {i}",
                    position=i,
                )
                for i in range(items)
            ]
        )
        assignments = Assignment.objects.bulk_create(
            [Assignment(item=item, max_points=10) for item in graded if item.kind == "assignment"]
        )
        from fortalece.quizzes.models import Attempt, Quiz

        quizzes = Quiz.objects.bulk_create(
            [Quiz(item=item) for item in graded if item.kind == "quiz"]
        )
        Attempt.objects.bulk_create(
            [
                Attempt(
                    quiz=quiz,
                    enrolment=e,
                    number=number,
                    seed=number,
                    started_at=now,
                    submitted_at=now,
                    # the second attempt is the best one
                    score=max(
                        Decimal(0), Decimal((n * 7 + j * 6) % 101 - (10 if number == 1 else 0))
                    ),
                )
                for n, e in enumerate(enrolments)
                for j, quiz in enumerate(quizzes)
                for number in (1, 2)
            ],
            batch_size=5000,
        )
        ItemProgress.objects.bulk_create(
            [
                ItemProgress(
                    enrolment=e,
                    item=item,
                    started_at=now,
                    last_seen_at=now,
                    score=Decimal((n * 7 + j * 3) % 101),
                )
                for n, e in enumerate(enrolments)
                for j, item in enumerate(graded)
                if item.kind == "quiz"
            ],
            batch_size=5000,
        )
        submissions = []
        for n, e in enumerate(enrolments):
            for j, a in enumerate(assignments):
                if (n + j) % 5 == 0:  # an earlier attempt, replaced
                    submissions.append(
                        Submission(
                            assignment=a,
                            enrolment=e,
                            attempt=1,
                            status="superseded",
                            submitted_at=now,
                        )
                    )
                submissions.append(
                    Submission(
                        assignment=a, enrolment=e, attempt=2, status="graded", submitted_at=now
                    )
                )
        Submission.objects.bulk_create(submissions, batch_size=5000)
        Grade.objects.bulk_create(
            [
                Grade(
                    submission=s,
                    points=Decimal(s.enrolment_id % 11),
                    max_points=10,
                    score=Decimal(s.enrolment_id % 11) * 10,
                    passed=s.enrolment_id % 11 >= 6,
                    graded_at=now,
                )
                for s in submissions
                if s.status == "graded"
            ],
            batch_size=5000,
        )
        GradeOverride.objects.bulk_create(
            [
                GradeOverride(
                    enrolment=e,
                    item=graded[1],
                    old_score=0,
                    new_score=100,
                    reason="bench",
                    changed_at=now,
                )
                for e in enrolments[::10]
            ]
        )
    return course


def timed(client, url: str, repeat: int):  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, cpu, queries, response = [], [], 0, None
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured.captured_queries)
    return statistics.median(times), statistics.median(cpu), queries, response


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--learners", type=int, default=600, help="Learners in the cohort.")
    parser.add_argument("--items", type=int, default=40, help="Graded items (half quizzes).")
    parser.add_argument("--repeat", type=int, default=5, help="Runs per measurement.")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.urls import reverse

    from fortalece.accounts.models import User
    from fortalece.core.testing import client_for

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    course = build(args.learners, args.items)
    small = build(60, args.items)
    print(f"data ready in {time.perf_counter() - started:.1f} s ({connection.vendor})")
    admin = User.objects.filter(email="bench-admin@example.org").first()
    if admin is None:
        admin = User.objects.create_superuser(email="bench-admin@example.org", password=None)
    client = client_for(admin)
    book = reverse("assignments:gradebook", args=[course.pk])
    export = reverse("assignments:gradebook_export", args=[course.pk])
    client.get(book + "?per=1000")  # warm up
    failures = []
    rows = []
    for label, url in (
        (f"whole cohort on one page ({args.learners} learners)", book + "?per=1000"),
        ("a page of 50 learners", book + "?per=50"),
        (f"XLSX export ({args.learners} learners)", export),
    ):
        seconds, cpu, queries, _response = timed(client, url, args.repeat)
        rows.append((label, seconds, cpu, queries))
        if label.startswith("whole"):
            cells = _response.content.count(b'<td class="num">')
            if cells != args.learners * (args.items + 1):
                failures.append(f"{cells} cells on the page")
            if seconds >= 1:
                failures.append(f"whole-cohort page took {seconds:.3f} s")
    _, _, small_queries, _ = timed(
        client, reverse("assignments:gradebook", args=[small.pk]) + "?per=1000", 1
    )
    if small_queries != rows[0][3]:
        failures.append(
            f"{small_queries} queries for 60 learners, {rows[0][3]} for {args.learners}"
        )
    # Check one total against the data: the first learner (quizzes from progress, assignments
    # graded, the second item overridden to 100).
    from fortalece.assignments.selectors import gradebook_columns, gradebook_rows
    from fortalece.training.models import Enrolment

    enrolments = list(Enrolment.objects.filter(workshop__course=course).order_by("id"))
    computed = gradebook_rows(
        course=course, enrolments=enrolments, columns=gradebook_columns(course)
    )
    for row in computed[:50]:
        e = row.enrolment
        quizzes = [
            Decimal((enrolments.index(e) * 7 + j * 3) % 101) for j in range(0, args.items, 2)
        ]
        tasks = [Decimal(e.pk % 11) * 10] * (args.items // 2)
        if enrolments.index(e) % 10 == 0:
            tasks[0] = Decimal(100)  # overridden
        expected = sum(quizzes + tasks) / args.items
        if abs(row.total - expected) > Decimal("0.01"):
            failures.append(f"total of enrolment {e.pk}: {row.total}, data says {expected:.2f}")
            break
    print(f"{args.learners} learners × {args.items} graded items, median of {args.repeat}:")
    print(f"  {'':45s} {'wall':>8s}    {'CPU':>8s}")
    for label, seconds, cpu, queries in rows:
        print(f"  {label:45s} {seconds * 1000:8.1f} ms {cpu * 1000:8.1f} ms  {queries:3d} queries")
    print(f"  queries with 60 learners: {small_queries}")
    for failure in failures:
        print("FAIL:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
