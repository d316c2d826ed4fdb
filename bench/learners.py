"""Load test (issue 8): 50 learners on their phones read lessons, comment and hand in quizzes.

    createdb -h 127.0.0.1 -U postgres learners_bench
    .venv/bin/python bench/learners.py --database learners_bench        # 2 minutes

Starts gunicorn as the container does (``deploy/entrypoint.sh``: 4 workers × 1 thread,
``DEBUG`` off, persistent database connections as in ``compose.yaml``) on a local port
against ``--database`` (PostgreSQL on 127.0.0.1, user postgres).
A database without the demo gets ``migrate``, ``load_geography`` and ``seed_demo`` first.
Then, through the services, a bench course in the Spotlight programme (three lessons and a
quiz that allows offline work and any number of attempts), a new online cohort for this run,
and ``--users`` learner accounts (a person each) enrolled in it; each learner gets a signed-in
session.

Locust runs headless for ``--minutes`` with one ``Learner`` per account, each waiting
``--think-min``–``--think-max`` seconds between actions (a person reading a phone, not a
closed loop): open My learning, read lessons, post a comment (htmx, as the page's form does),
and take the quiz with the real forms — the quiz page's start form and key, the attempt page's
one-page offline form with its ``submit_key`` and CSRF token, answers chosen at random — and
now and then send the same submission again, as the offline outbox does after a lost answer.
Every submission and comment the client saw succeed is written to a file; afterwards the
database must hold each exactly once. The comment rate limit (``FORTALECE_COMMENT_RATE``) is
raised in the server's environment for the run, and the output says so. One learner's 90
page views warm the workers up first (not measured). A GET whose kept-alive connection
gunicorn closed at that very moment is sent again once, as browsers do, and counted (the
server keeps idle connections 75 s, as the container does, longer than any pause); POSTs
are never sent again by the client. The simulated phones are locust's ``FastHttpUser``
(geventhttpclient): on the same two cores as the server, a load generator built on requests
took a good part of the CPU the server needed.

Prints requests, errors, req/s and p50/p95/p99 per kind of request and in all, the lost and
duplicated counts, and the target (p95 < 300 ms, 0 errors, 0 lost or duplicated); gunicorn
is stopped at the end. Exits 1 if a submission or comment was lost or doubled (timings are
printed, never asserted). It writes users, a cohort, answers and comments into the database:
never point it at a database you must not write to.
"""

import os
import sys
from pathlib import Path
from typing import Any

if __name__ == "__main__":
    import argparse
    import datetime
    import re
    import tempfile
    from collections import Counter

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import _locust as harness

    COURSE_TITLE = "Banco de pruebas: aprender desde el teléfono"
    COMMENT_RATE = "100000/m"
    MARKER = re.compile(r"\b[0-9a-f]{32}\b")

    def prepare_demo() -> None:
        import io
        import logging

        from django.core.management import call_command

        from fortalece.demo.seed.learning import PROGRAMME
        from fortalece.programmes.models import Programme

        logging.getLogger("pgtrigger").setLevel(logging.WARNING)
        call_command("migrate", interactive=False, verbosity=0)
        if not Programme.objects.filter(code=PROGRAMME).exists():
            print("No demo in this database: load_geography and seed_demo (a few minutes)")
            quiet = io.StringIO()
            call_command("load_geography", verbosity=0, stdout=quiet)
            call_command("seed_demo", verbosity=0, stdout=quiet)

    def bench_course() -> Any:
        """The bench course (made once): three lessons, then an offline quiz."""
        from fortalece.demo.seed.learning import CONTENT, PROGRAMME
        from fortalece.demo.seed.quizzes import BANKS
        from fortalece.learning.models import CourseItem
        from fortalece.learning.services.content import item_create, module_create
        from fortalece.programmes.models import Programme
        from fortalece.quizzes.core.gift import read_gift
        from fortalece.quizzes.services import attempts, bank
        from fortalece.training.models import Course
        from fortalece.training.services.courses import course_create

        programme = Programme.objects.get(code=PROGRAMME)
        course = Course.objects.filter(programme=programme, title=COURSE_TITLE).first()
        if course is not None:
            return course
        source = "First contact care for women and girl victims"
        course = course_create(
            programme=programme,
            title=COURSE_TITLE,
            modality=Course.Modality.ONLINE,
            hours=4,
        )
        module = module_create(course=course, title="El primer contacto")
        for _module_title, _en, lessons in CONTENT[source][1]:
            for title, title_en, minutes, body in lessons[:2]:
                if module.items.count() < 3:
                    item_create(
                        module=module,
                        kind=CourseItem.Kind.LESSON,
                        title=title,
                        title_en=title_en,
                        duration_minutes=minutes,
                        body=body,
                    )
        bank.questions_import(course=course, questions=read_gift(BANKS[source]))
        item = item_create(
            module=module,
            kind=CourseItem.Kind.QUIZ,
            title="Evaluación desde el teléfono",
            title_en="Quiz from the phone",
            duration_minutes=10,
        )
        quiz = attempts.quiz_for_item(item=item)
        quiz.allow_offline = True  # one page, one idempotent submission
        quiz.attempts_allowed = 0  # no limit: the learners hand it in again and again
        quiz.time_limit_minutes = 20
        quiz.full_clean()
        quiz.save()
        return course

    def bench_cohort(course: Any, users: int) -> tuple[Any, list[Any]]:
        """A new cohort for this run (the latest one is the learners' cohort) and its learners:
        accounts with the learner role and a person each, enrolled through the services."""
        from django.utils import timezone

        from fortalece.accounts.models import Role, RoleAssignment, User
        from fortalece.core.choices import Profession
        from fortalece.people.models import Institution, Person
        from fortalece.people.services import person_create
        from fortalece.training.models import Enrolment
        from fortalece.training.services.enrolments import enrolments_bulk_create
        from fortalece.training.services.workshops import workshop_create

        mexico = course.programme.countries.get(code="MX")
        institution = Institution.objects.filter(country=mexico).order_by("pk").first()
        today = timezone.localdate()
        cohort = workshop_create(
            course=course,
            title=f"Cohorte de banco de pruebas {timezone.now():%Y-%m-%d %H:%M}",
            start_date=today,
            end_date=today + datetime.timedelta(weeks=4),
            country=mexico,
            venue="Fortalece (en línea)",
        )
        accounts, person_ids = [], []
        for number in range(1, users + 1):
            email = f"bench-learner-{number:03}@example.invalid"
            user, _created = User.objects.get_or_create(
                email=email, defaults={"first_name": "Aprendiz", "last_name": f"{number:03}"}
            )
            RoleAssignment.objects.get_or_create(user=user, role=Role.LEARNER)
            person = Person.objects.filter(user=user).first()
            if person is None:
                person = person_create(
                    by=None,
                    given_names="Aprendiz",
                    family_names=f"Banco de Pruebas {number:03}",
                    profession=Profession.POLICE,
                    institution=institution,
                    email=email,
                )
                Person.objects.filter(pk=person.pk).update(user=user)
            accounts.append(user)
            person_ids.append(person.pk)
        enrolments_bulk_create(
            workshop=cohort, person_ids=person_ids, status=Enrolment.Status.ENROLLED, by=None
        )
        return cohort, accounts

    def check(record: Path, cohort: Any) -> dict[str, int]:
        """What the clients saw succeed, counted in the database."""
        from fortalece.messaging.models import Comment
        from fortalece.quizzes.models import Attempt

        lines = [line.split("\t") for line in record.read_text().splitlines() if line]
        submitted = {parts[1]: int(parts[2]) for parts in lines if parts[0] == "quiz"}
        comments = [parts[1] for parts in lines if parts[0] == "comment"]
        rows = Counter(
            Attempt.objects.filter(submit_key__in=list(submitted), submitted_at__isnull=False)
            .filter(pk__in=list(submitted.values()))
            .values_list("submit_key", flat=True)
        )
        stored = Counter(
            marker
            for body in Comment.objects.filter(workshop=cohort).values_list("body", flat=True)
            for marker in MARKER.findall(body)
        )
        in_cohort = Attempt.objects.filter(
            enrolment__workshop=cohort, submitted_at__isnull=False
        ).count()
        return {
            "submissions seen": len(submitted),
            "submissions lost": sum(1 for key in submitted if rows[key] == 0),
            "submissions duplicated": sum(rows[key] - 1 for key in submitted if rows[key] > 1),
            "resent": sum(1 for parts in lines if parts[0] == "resent"),
            "GETs reconnected": sum(1 for parts in lines if parts[0] == "reconnected"),
            "submitted in the cohort": in_cohort,
            "comments seen": len(comments),
            "comments lost": sum(1 for marker in comments if stored[marker] == 0),
            "comments duplicated": sum(stored[m] - 1 for m in comments if stored[m] > 1)
            + len(comments)
            - len(set(comments)),
            "comments in the cohort": sum(stored.values()),
        }

    def main() -> int:
        parser = argparse.ArgumentParser(
            description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
        )
        parser.add_argument("--database", required=True)
        parser.add_argument("--users", type=int, default=50)
        parser.add_argument("--minutes", type=float, default=2.0)
        parser.add_argument("--port", type=int, default=8766)
        parser.add_argument("--think-min", type=float, default=1.0)
        parser.add_argument("--think-max", type=float, default=3.0)
        args = parser.parse_args()
        if args.database in harness.PROTECTED:
            print("This test creates users, answers and comments: use a database of its own.")
            return 1
        env = harness.server_env(args.database, FORTALECE_COMMENT_RATE=COMMENT_RATE)
        prepare_demo()
        from django.urls import reverse

        from fortalece.learning.models import CourseItem

        course = bench_course()
        cohort, accounts = bench_cohort(course, args.users)
        items = CourseItem.objects.filter(module__course=course).order_by("position")
        lessons = [
            reverse("learning:item", args=[i.pk])
            + " "
            + reverse("messaging:comment_post", args=[i.pk])
            for i in items
            if i.kind == CourseItem.Kind.LESSON
        ]
        quiz = next(i.pk for i in items if i.kind == CourseItem.Kind.QUIZ)
        keys = harness.make_sessions(accounts)
        folder = Path(tempfile.mkdtemp(prefix="fortalece-learners-"))
        (folder / "sessions.txt").write_text("\n".join(keys))
        record = folder / "succeeded.tsv"
        record.touch()
        env.update(
            FORTALECE_LOAD_SESSIONS=str(folder / "sessions.txt"),
            FORTALECE_LOAD_LESSONS=",".join(lessons),
            FORTALECE_LOAD_QUIZ=reverse("quizzes:quiz", args=[quiz]),
            FORTALECE_LOAD_HOME=reverse("learning:my_learning"),
            FORTALECE_LOAD_RECORD=str(record),
            FORTALECE_LOAD_THINK=f"{args.think_min},{args.think_max}",
        )
        server = harness.start_gunicorn(env, args.port)
        prefix = str(folder / "Learner")
        try:
            warm = harness.warm_up(
                args.port,
                keys[0],
                [env["FORTALECE_LOAD_HOME"], env["FORTALECE_LOAD_QUIZ"]]
                + [pair.split(" ")[0] for pair in lessons],
            )
            cpu = harness.cpu_seconds(server)
            harness.run_locust(
                locustfile=__file__,
                user_class="Learner",
                users=args.users,
                minutes=args.minutes,
                port=args.port,
                prefix=prefix,
                env=env,
            )
            cpu = harness.cpu_seconds(server) - cpu
        finally:
            harness.stop_gunicorn(server)
            harness.drop_sessions(keys)
        results = harness.stats_by_name(prefix)
        counts = check(record, cohort)
        print(
            f"{args.users} learners, {args.minutes:g} min, think time "
            f"{args.think_min:g}–{args.think_max:g} s, {harness.GUNICORN}, "
            f"database {args.database}"
        )
        print(f"comment rate limit raised for the run: FORTALECE_COMMENT_RATE={COMMENT_RATE}")
        print(f"warm-up before the run, not measured: {warm} page views by one learner")
        harness.print_table("request", results)
        for name, error, times in harness.failures(prefix)[:5]:
            print(f"  error ×{times}: {name}: {error[:120]}")
        for label, value in counts.items():
            print(f"{label:<28}{value:>9}")
        total = results["Aggregated"]
        cores = os.cpu_count() or 1
        print(
            f"gunicorn CPU during the run: {cpu:.0f} s of the {cores * 60 * args.minutes:.0f} s "
            f"that {cores} cores give, {1000 * cpu / max(total['requests'], 1):.0f} ms a request "
            "(PostgreSQL not included)"
        )
        bad = counts["submissions lost"] + counts["submissions duplicated"]
        bad += counts["comments lost"] + counts["comments duplicated"]
        verdict = total["p95"] < 300 and total["failures"] == 0 and bad == 0
        print(
            "target: p95 < 300 ms, 0 errors, 0 lost or duplicated — "
            f"{'met' if verdict else 'NOT met'} "
            f"(p95 {total['p95']:.0f} ms, {total['failures']:.0f} errors, {bad} lost/duplicated)"
        )
        print(f"locust CSV and what succeeded: {folder}")
        return 0 if bad == 0 else 1

    raise SystemExit(main())

else:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import _locust as harness

    harness.write_final_stats()
    import random
    import re
    import uuid
    from html.parser import HTMLParser
    from http.cookiejar import Cookie
    from urllib.parse import urlencode

    from geventhttpclient.client import HTTPClientPool
    from locust import between, task
    from locust.contrib.fasthttp import FastHttpUser

    def _session_keys() -> list[str]:
        path = os.environ.get("FORTALECE_LOAD_SESSIONS", "")
        return Path(path).read_text().split() if path else []

    KEYS = _session_keys()
    # (lesson page, its comment form's action), as main() reversed them
    LESSONS = [
        tuple(pair.split(" ", 1))
        for pair in os.environ.get("FORTALECE_LOAD_LESSONS", "").split(",")
    ]
    QUIZ = os.environ.get("FORTALECE_LOAD_QUIZ", "/")
    HOME = os.environ.get("FORTALECE_LOAD_HOME", "/")
    RECORD = os.environ.get("FORTALECE_LOAD_RECORD", os.devnull)
    THINK = [float(x) for x in os.environ.get("FORTALECE_LOAD_THINK", "1,3").split(",")]
    RESEND = 0.25  # the share of submissions sent a second time (a retry, the outbox)
    CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    OPEN_ATTEMPT = re.compile(r'<a class="btn" href="(/[^"]*/attempt/\d+/)"')

    class Forms(HTMLParser):
        """The forms of a page: action, inputs and the options of each select."""

        def __init__(self, html: str) -> None:
            super().__init__()
            self.forms: list[dict[str, Any]] = []
            self._select = ""
            self.feed(html)

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            a = {k: v or "" for k, v in attrs}
            if tag == "form":
                self.forms.append({"action": a.get("action", ""), "inputs": [], "selects": {}})
            elif not self.forms:
                return
            elif tag == "input" and a.get("name"):
                self.forms[-1]["inputs"].append(a)
            elif tag == "select":
                self._select = a.get("name", "")
                self.forms[-1]["selects"][self._select] = []
            elif tag == "option" and self._select and a.get("value"):
                self.forms[-1]["selects"][self._select].append(a["value"])

        def handle_endtag(self, tag: str) -> None:
            if tag == "select":
                self._select = ""

        def form(self, ending: str) -> dict[str, Any] | None:
            return next((f for f in self.forms if f["action"].endswith(ending)), None)

    def answers(form: dict[str, Any]) -> dict[str, list[str]]:
        """What a learner sends: hidden fields as they are, an answer picked for the rest."""
        data: dict[str, list[str]] = {}
        choices: dict[str, list[str]] = {}
        for field in form["inputs"]:
            kind, name = field.get("type", "text"), field["name"]
            if kind == "hidden":
                data[name] = [field.get("value", "")]
            elif kind in ("radio", "checkbox"):
                choices.setdefault(name, []).append(field.get("value", ""))
            else:
                data[name] = [random.choice(["911", "4", "3", "masculinidades"])]
        for field in form["inputs"]:
            name = field["name"]
            if field.get("type") == "radio" and name in choices:
                data[name] = [random.choice(choices.pop(name))]
            elif field.get("type") == "checkbox" and name in choices:
                values = choices.pop(name)
                data[name] = random.sample(values, random.randint(1, len(values)))
        for name, options in form["selects"].items():
            if options:
                data[name] = [random.choice(options)]
        return data

    def remember(*parts: object) -> None:
        """One line per success the client saw (gevent: one writer at a time)."""
        with open(RECORD, "a", encoding="utf-8") as handle:
            handle.write("\t".join(map(str, parts)) + "\n")

    class ReconnectCounted(HTTPClientPool):
        """Each learner's connection pool, counting the GETs sent again on a new connection.

        geventhttpclient sends a GET again by itself when the kept-alive connection it reused
        turns out closed by the server at that very moment, as browsers do, and never a POST
        (RFC 9110 9.2.2); with one connection a learner (``concurrency = 1``) at most once.
        gunicorn keeps idle connections 75 s, as the container does (its own 2 s is shorter
        than a learner's pause). Every resend is written down as "reconnected"."""

        def get_client(self, url: Any) -> Any:
            client = super().get_client(url)
            if not getattr(client, "_fortalece_counted", False):
                sockets, send = client._connection_pool.get_socket, client.request
                taken = [0]

                def get_socket() -> Any:
                    taken[0] += 1
                    return sockets()

                def request(method: str, request_uri: str, **kwargs: Any) -> Any:
                    taken[0] = 0
                    try:
                        return send(method, request_uri, **kwargs)
                    finally:
                        if taken[0] > 1:
                            remember("reconnected", request_uri)

                client._connection_pool.get_socket = get_socket
                client.request = request
                client._fortalece_counted = True
            return client

    FORM = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}

    def form_body(data: dict[str, list[str]]) -> str:
        """A form as the browser sends it (a field listed once per value)."""
        return urlencode(data, doseq=True)

    class Learner(FastHttpUser):
        """A learner on a phone: My learning, lessons, a comment now and then, the quiz.

        geventhttpclient (``FastHttpUser``) rather than requests: the load generator runs on
        the same two cores as the server, and costs a few times less CPU a request."""

        wait_time = between(THINK[0], THINK[1])
        concurrency = 1  # one kept-alive connection, as a phone's one tab uses in turn
        max_retries = 0  # nothing sent again but the GETs above

        def on_start(self) -> None:
            agent = self.client.client
            agent.clientpool = ReconnectCounted(**agent.clientpool.client_args)
            host = self.host.split("//", 1)[-1].split(":", 1)[0].split("/", 1)[0]
            self.client.cookiejar.set_cookie(
                Cookie(
                    version=0,
                    name="sessionid",
                    value=KEYS.pop() if KEYS else "",
                    port=None,
                    port_specified=False,
                    domain=host,
                    domain_specified=False,
                    domain_initial_dot=False,
                    path="/",
                    path_specified=True,
                    secure=False,
                    expires=None,
                    discard=True,
                    comment=None,
                    comment_url=None,
                    rest={},
                )
            )
            self.csrf = ""
            self.read()

        def _keep_csrf(self, html: str) -> None:
            found = CSRF.search(html)
            if found:
                self.csrf = found.group(1)

        @task(1)
        def my_learning(self) -> None:
            self.client.get(HOME, name="my learning")

        @task(6)
        def read(self) -> None:
            page = self.client.get(random.choice(LESSONS)[0], name="lesson")
            self._keep_csrf(page.text)

        @task(1)
        def comment(self) -> None:
            marker = uuid.uuid4().hex
            with self.client.post(
                random.choice(LESSONS)[1],
                data=form_body(
                    {"csrfmiddlewaretoken": [self.csrf], "body": [f"Duda de la lección ({marker})"]}
                ),
                headers={**FORM, "HX-Request": "true", "HX-Target": "comments"},
                name="comment (htmx)",
                catch_response=True,
            ) as answer:
                if answer.status_code != 200:
                    answer.failure(f"status {answer.status_code}")
                elif marker not in answer.text or "message--error" in answer.text:
                    answer.failure("the comment is not in the list sent back")
                else:
                    remember("comment", marker)
                    self._keep_csrf(answer.text)

        @task(2)
        def quiz(self) -> None:
            with self.client.get(QUIZ, name="quiz page", catch_response=True) as page:
                start = Forms(page.text).form("/start/")
                open_attempt = OPEN_ATTEMPT.search(page.text)
                if start is None and open_attempt is None:
                    page.failure(f"status {page.status_code}: no start form, no open attempt")
                    return
            if start is not None:
                opened = self.client.post(
                    start["action"],
                    data=form_body(answers(start)),
                    headers=FORM,
                    name="quiz start",
                    catch_response=True,
                )
            else:  # an attempt left open (a run stopped half-way): the page offers it
                opened = self.client.get(
                    open_attempt.group(1),  # type: ignore[union-attr]
                    name="quiz attempt (open)",
                    catch_response=True,
                )
            with opened as attempt:
                form = Forms(attempt.text).form("/submit/")
                if form is None:
                    attempt.failure(f"no submit form at {attempt.url}")
                    return
            data = answers(form)
            sends = 2 if random.random() < RESEND else 1
            location = ""
            for send in range(sends):
                with self.client.post(
                    form["action"],
                    data=form_body(data),
                    headers=FORM,
                    name="quiz submit" if send == 0 else "quiz submit (sent again)",
                    allow_redirects=False,
                    catch_response=True,
                ) as answer:
                    target = answer.headers.get("Location", "")
                    if answer.status_code != 302 or "/result/" not in target:
                        answer.failure(f"status {answer.status_code} {target}")
                        return
                    if location and target != location:
                        answer.failure("sent again: another result than the first time")
                        return
                    location = target
                    attempt_pk = target.rstrip("/").split("/")[-2]
                    remember("quiz" if send == 0 else "resent", data["key"][0], attempt_pk)
            self.client.get(location, name="quiz result")
