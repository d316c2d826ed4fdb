"""The role × scope × URL matrix, generated from the URL conf and the demo data.

For every URL pattern, every demo account (one per role, each with its scope), objects inside
and outside that scope (real demo rows: one the policies allow and one they refuse, for GET and
for POST), the page is asked and its answer compared with what the rule in ``access_rules.py``
says the policies allow:

* a **leak** is an answer (2xx, or a redirect anywhere but sign-in) to a request the policies
  refuse; for REST API lists, any item the user may not see;
* an **over-refusal** is a 403/404 to a GET the policies allow (the rule is wrong, or the page
  refuses more than its policy says).

Every request runs in a savepoint that is rolled back, so POSTs change nothing for the next.
CI prints "N requests, 0 leaks" (``access_matrix`` figure).
"""

from __future__ import annotations

import functools
import importlib
import inspect
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from fortalece.accounts.models import User
from fortalece.core.figures import record
from fortalece.core.testing import client_for
from fortalece.core.tests.access_rules import LIBRARY_MODULES, RULES, Rule

pytestmark = pytest.mark.django_db

REFUSED_REDIRECTS = ("/accounts/login/", "/accounts/mfa/", "/login/?next=")


def _walk(patterns: Any, ns: str | None = None):  # type: ignore[no-untyped-def]
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            name_space = f"{ns}:{inner}" if ns and inner else inner or ns
            yield from _walk(pattern.url_patterns, name_space)
        elif isinstance(pattern, URLPattern):
            name = f"{ns}:{pattern.name}" if ns else str(pattern.name)
            yield name, pattern


def url_names() -> dict[str, str]:
    """Every named URL pattern -> the module of its view."""
    found: dict[str, str] = {}
    for name, pattern in _walk(get_resolver().url_patterns):
        callback = pattern.callback
        module = getattr(callback, "__module__", "") or ""
        view_class = getattr(callback, "view_class", None)
        if view_class is not None:
            module = view_class.__module__
        if module == "functools":  # ninja's views are partials of its own classes
            module = "ninja"
        found.setdefault(name, module)
    return found


def _library_kind(name: str, module: str) -> str | None:
    if name.startswith("admin:"):  # Django's admin site, whatever module serves the page
        return "admin"
    return next(
        (kind for prefix, kind in LIBRARY_MODULES.items() if module.startswith(prefix)), None
    )


def test_every_url_name_has_a_rule():
    """A new page cannot escape the matrix: its URL name needs a rule in access_rules.py."""
    missing = [
        name
        for name, module in url_names().items()
        if name not in RULES and _library_kind(name, module) is None
    ]
    assert not missing, "URL names with no access rule (add them to access_rules.py): " + str(
        missing
    )
    stale = sorted(set(RULES) - set(url_names()))
    assert not stale, f"Rules for URL names that no longer exist: {stale}"


# --- the demo world ------------------------------------------------------------------------


@dataclass
class Demo:
    users: dict[str, User]
    tokens: dict[str, str]
    media: Any = None
    clients: dict[str, Client] = field(default_factory=dict)


@dataclass
class Tally:
    requests: int = 0
    leaks: list[str] = field(default_factory=list)
    over_refusals: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    routes: set[str] = field(default_factory=set)
    allowed: int = 0  # requests the policies allow
    refused: int = 0  # requests they refuse (in/out of scope, wrong action, crossed ids)
    by_status: Counter[int] = field(default_factory=Counter)


TALLY = Tally()


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any):  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import override_settings

    from fortalece.api.services import token_create
    from fortalece.demo.seed import evaluation
    from fortalece.demo.seed.accounts import DEMO_ACCOUNTS
    from fortalece.imports.services import import_upload

    media = tmp_path_factory.mktemp("matrix-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(media)):
        # The demo study's bootstrap (200 draws) is the impact tests' business; 5 are enough
        # for pages that show it.
        quick = functools.partial(evaluation.seed, draws=5)
        with mock.patch.object(evaluation, "seed", quick):
            call_command("seed_demo", verbosity=0)
        # One account per role (two managers: country-wide and one state), named by email.
        users = {email.split("@")[0]: User.objects.get(email=email) for email, *_ in DEMO_ACCOUNTS}
        # Rows the demo does not make, so that their pages are asked too.
        header = "Nombre(s),Apellidos,Sexo,Profesión,Institución,Estado,Correo\n"
        import_upload(
            user=users["manager"],
            kind="people",
            upload=SimpleUploadedFile("lista.csv", (header + "Ana,Matriz,F,,,,\n").encode()),
        )
        _online_courses(users)
        tokens = {}
        for label, user in users.items():
            if label != "learner":
                tokens[label] = token_create(user=user, name="matrix", can_write=True)[1]
        yield Demo(users=users, tokens=tokens, media=media)
        count = TALLY.requests
        record(
            "access_matrix",
            requests=count,
            leaks=len(TALLY.leaks),
            over_refusals=len(TALLY.over_refusals),
            routes=len(TALLY.routes),
            allowed=TALLY.allowed,
            refused=TALLY.refused,
            roles=len(users),
            note=f"{count} requests, {len(TALLY.leaks)} leaks",
        )
        call_command("flush", interactive=False, verbosity=0)


def _online_courses(users: dict[str, User]) -> None:
    """Online content until ``seed/learning.py`` builds it: a module with a lesson (and a
    file) in the Spotlight diplomas' courses, a course of the trainer's programme and the
    demo learner's courses; the cohorts half-way through it, so that the quiz and assignment
    seeds add their banks, attempts, submissions and grades; an open attempt, a rubric and a
    diploma with an award, so that every learning, quiz and assignment page is asked."""
    import datetime
    from decimal import Decimal

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from fortalece.demo.seed import assignments, quizzes
    from fortalece.learning.models import CourseModule, Diploma, DiplomaAward, ItemProgress
    from fortalece.learning.services import content
    from fortalece.learning.services.diplomas import _new_unique_code
    from fortalece.people.models import Person
    from fortalece.quizzes.models import Attempt, Quiz
    from fortalece.training.models import Course, Enrolment, Workshop

    admin, learner = users["admin"], Person.objects.get(user=users["learner"])
    spotlight = Course.objects.filter(programme__code=quizzes.PROGRAMME)
    if not Enrolment.objects.filter(person=learner, workshop__course__in=spotlight).exists():
        workshop = Workshop.objects.filter(course__in=spotlight).order_by("pk").first()
        assert workshop is not None, "the demo has no Spotlight cohort"
        Enrolment.objects.create(workshop=workshop, person=learner)
    trainer_course = (
        Course.objects.filter(programme__code="mx-vulnerable-groups", workshops__isnull=False)
        .order_by("pk")
        .first()
    )
    courses = (
        Course.objects.filter(
            pk__in=[
                *spotlight.values_list("pk", flat=True),
                *Enrolment.objects.filter(person=learner).values_list(
                    "workshop__course", flat=True
                ),
                *([trainer_course.pk] if trainer_course else []),
            ]
        )
        .exclude(learning_modules__isnull=False)
        .order_by("pk")
    )
    now = timezone.now()
    for course in courses:
        module = content.module_create(course=course, title="Módulo 1")
        lesson = content.item_create(
            module=module, kind="lesson", title="Primera atención", body="<p>Texto</p>"
        )
        content.resource_add(
            item=lesson, upload=SimpleUploadedFile("guia.txt", b"Guia"), title="Guía"
        )
        ItemProgress.objects.bulk_create(
            ItemProgress(
                enrolment=enrolment, item=lesson, started_at=now, completed_at=now, last_seen_at=now
            )
            for enrolment in Enrolment.objects.filter(workshop__course=course).exclude(
                status=Enrolment.Status.DROPPED
            )
        )
    assert CourseModule.objects.exists()
    quizzes.seed(say=lambda *_: None)
    assignments.seed(say=lambda *_: None)
    # An open attempt of the demo learner's (the answering pages), next to the closed ones.
    enrolment = (
        Enrolment.objects.filter(
            person=learner, workshop__course__learning_modules__items__kind="quiz"
        )
        .order_by("pk")
        .first()
    )
    assert enrolment is not None, "the demo learner takes no course with a quiz"
    quiz = Quiz.objects.get(item__module__course=enrolment.workshop.course_id)
    if not Attempt.objects.filter(
        quiz=quiz, enrolment=enrolment, submitted_at__isnull=True
    ).exists():
        quizzes._attempt(quiz, enrolment, now)
    awarded = spotlight.filter(learning_modules__isnull=False).order_by("pk").first()
    assert awarded is not None
    diploma = Diploma.objects.create(
        programme=awarded.programme, title="Diplomado de primera atención", hours=Decimal(40)
    )
    diploma.entries.create(course=awarded, position=1)
    holder = Enrolment.objects.filter(workshop__course=awarded).order_by("pk").first()
    assert holder is not None
    DiplomaAward.objects.create(
        diploma=diploma,
        person=holder.person,
        code=_new_unique_code(),
        holder_name=holder.person.full_name,
        diploma_title=diploma.title,
        hours=diploma.hours,
        completed_on=datetime.date(2024, 6, 1),
        issued_on=datetime.date(2024, 6, 1),
        issued_by=admin,
    )


@pytest.fixture(autouse=True)
def _demo_files(settings: Any, request: Any) -> None:
    """The demo's uploaded files (instruments, imports) stay where the seed put them."""
    if "demo" in request.fixturenames:
        settings.MEDIA_ROOT = str(request.getfixturevalue("demo").media)


def _pool(rule: Rule, user: User) -> list[Any]:
    """Candidate objects: a few the user can probably reach, and some spread over the table."""
    if rule.objects is None:
        return [None]
    candidates: list[Any] = []
    if rule.near is not None:
        candidates += list(rule.near(user)[:3])
    everything = rule.objects()
    pks = list(everything.values_list("pk", flat=True))
    step = max(1, len(pks) // 8)
    spread = everything.model._default_manager.in_bulk(pks[::step][:9])
    candidates += [spread[pk] for pk in pks[::step][:9] if pk in spread]
    seen, unique = set(), []
    for obj in candidates:
        if obj.pk not in seen:
            seen.add(obj.pk)
            unique.append(obj)
    return unique


def _cases(rule: Rule, user: User, method: str) -> list[tuple[Any, bool]]:
    """One object the policies allow for ``method`` and one they refuse (when they exist)."""
    check = rule.get if method == "get" else rule.post
    pool = _pool(rule, user)
    if check is None:
        return [(pool[0], False)] if pool else []
    allowed = next((o for o in pool if check(user, o)), "none")
    refused = next((o for o in pool if not check(user, o)), "none")
    return [(o, ok) for o, ok in ((allowed, True), (refused, False)) if not isinstance(o, str)]


def _granted(client: Client, response: Any, method: str) -> bool:
    code = response.status_code
    if 200 <= code < 300:
        return True
    if 300 <= code < 400:
        location = response.get("Location", "")
        if any(part in location for part in REFUSED_REDIRECTS):
            return False
        if method == "get":  # e.g. grant/withdraw send a GET back to the rule page
            return _granted(client, client.get(location), "get")
        return True
    return False


def _crossed(rule: Rule, user: User, obj: Any) -> dict[str, Any] | None:
    """One parent's id with a child of another parent (``nested`` routes), or ``None``."""
    mine = rule.kwargs(obj)
    parent = next(iter(mine))
    for other in _pool(rule, user):
        theirs = rule.kwargs(other)
        if theirs[parent] != mine[parent]:
            return {**theirs, parent: mine[parent]}
    return None


def _ask(
    demo: Demo,
    name: str,
    rule: Rule,
    role: str,
    user: User,
    obj: Any,
    method: str,
    kwargs: dict[str, Any] | None = None,
) -> Any:
    client = demo.clients.get(role)
    if client is None:
        client = demo.clients[role] = client_for(user)
    if kwargs is None:
        kwargs = rule.kwargs(obj) if obj is not None else {}
    url = reverse(name, kwargs=kwargs) + rule.query
    extra: dict[str, Any] = {}
    if rule.api:
        cache.clear()  # the API's rate limit is not what is measured here
        token = demo.tokens.get(role)
        if token:
            extra["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    with transaction.atomic():
        if method == "post" and rule.body is not None:
            response = client.post(
                url, json.dumps(rule.body(obj, user)), content_type="application/json", **extra
            )
        else:
            response = getattr(client, method)(url, **extra)
        granted = _granted(client, response, method)
        transaction.set_rollback(True)
    return url, response, granted


def _list_leaks(rule: Rule, user: User, response: Any) -> list[int]:
    if rule.listed is None or response.status_code != 200:
        return []
    items = json.loads(response.content).get("items", [])
    ids = {item["id"] for item in items}
    allowed = set(rule.listed(user).filter(pk__in=ids).values_list("pk", flat=True))
    return sorted(ids - allowed)


PRIVATE = sorted(name for name, rule in RULES.items() if rule.kind == "private")


@pytest.mark.parametrize("name", PRIVATE)
def test_access_matrix(demo: Demo, settings: Any, name: str) -> None:
    settings.FORTALECE_MFA_FRESH_SECONDS = 24 * 3600
    rule = RULES[name]
    failures: list[str] = []
    TALLY.routes.add(name)
    for role, user in demo.users.items():
        user = User.objects.get(pk=user.pk)  # a fresh scope for every route
        for method in ("get", "post"):
            if rule.api and (rule.get if method == "get" else rule.post) is None:
                continue  # the API serves this method under the path's other name
            cases = [(obj, allowed, None) for obj, allowed in _cases(rule, user, method)]
            if rule.nested:
                for obj, allowed, _kw in list(cases):
                    crossed = _crossed(rule, user, obj) if allowed else None
                    if crossed is not None:
                        cases.append((obj, False, crossed))
            for obj, allowed, kwargs in cases:
                if rule.api and role not in demo.tokens:
                    allowed = False  # no token, no API
                url, response, granted = _ask(demo, name, rule, role, user, obj, method, kwargs)
                TALLY.requests += 1
                if allowed:
                    TALLY.allowed += 1
                else:
                    TALLY.refused += 1
                TALLY.by_status[response.status_code] += 1
                where = f"{role} {method.upper()} {url} -> {response.status_code}"
                if response.status_code >= 500:
                    TALLY.errors.append(where)
                    failures.append("server error: " + where)
                elif granted and not allowed:
                    TALLY.leaks.append(where)
                    failures.append("LEAK: " + where)
                elif allowed and method == "get" and response.status_code in (403, 404):
                    TALLY.over_refusals.append(where)
                    failures.append("refused although the policy allows: " + where)
                for pk in _list_leaks(rule, user, response):
                    TALLY.leaks.append(f"{where} lists #{pk}")
                    failures.append(f"LEAK: {where} lists #{pk} the user may not see")
    assert not failures, "\n".join(failures)


def test_admin_site_lets_in_no_demo_account(demo: Demo) -> None:
    """Django's admin: only superusers (``is_staff``); no demo role is one."""
    from django.conf import settings

    for role, user in demo.users.items():
        response = client_for(user).get(f"/{settings.FORTALECE_ADMIN_PATH}/")
        TALLY.requests += 1
        assert response.status_code == 302, role
        assert "login" in response["Location"], role


# --- numbers in query strings ---------------------------------------------------------------

PARAMETER = re.compile(r"""GET\.get(?:list)?\(\s*["']([\w-]+)["']""")
# Values a number filter must survive: a superscript digit (a digit to str.isdigit, not to
# int), a number beyond any database id, a negative and a fraction.
ODD_NUMBERS = ("²", "9" * 30, "-1", "1.5")


def _query_parameters(name: str) -> set[str]:
    """Every query-string parameter the page's view module reads, and the page number."""
    module = importlib.import_module(url_names()[name])
    return set(PARAMETER.findall(inspect.getsource(module))) | {"page"}


PAGES = sorted(
    name
    for name, rule in RULES.items()
    if rule.kind == "private" and not rule.api and rule.get is not None
)


@pytest.mark.parametrize("name", PAGES)
def test_odd_numbers_in_query_strings_never_give_a_server_error(demo: Demo, name: str) -> None:
    """Every page answers 200/400 (or its usual redirect), never 500, to ``?x=²`` and other
    odd numbers on each parameter its view reads (issue 14: ``query_int``)."""
    rule = RULES[name]
    failures = []
    for label in ("admin", "manager"):
        user = demo.users[label]
        cases = [obj for obj, allowed in _cases(rule, user, "get") if allowed]
        if not cases:
            continue
        kwargs = rule.kwargs(cases[0]) if cases[0] is not None else {}
        url = reverse(name, kwargs=kwargs)
        client = client_for(user)
        for parameter in sorted(_query_parameters(name)):
            for value in ODD_NUMBERS:
                with transaction.atomic():
                    response = client.get(url, {parameter: value})
                    transaction.set_rollback(True)
                TALLY.requests += 1
                if response.status_code not in (200, 302, 400):
                    failures.append(f"{label} {url}?{parameter}={value} -> {response.status_code}")
    assert not failures, "\n".join(failures)
