"""Issue 8's light pages: a learner's first visit to a lesson transfers at most 150 KB
compressed (HTML, CSS, JS, fonts, icons, the service worker and what it keeps), a later visit at
most 30 KB; no request leaves our origin. Printed and recorded as the "page_weight" figure.

Bytes are counted where they leave the server: a WSGI wrapper around Django's live server
adds up each response's status line, headers and body as sent. Pages are gzipped by
``GZipMiddleware`` (settings); static files are gzipped by the wrapper as WhiteNoise serves
them in production (its precompressed copies), with WhiteNoise's long cache lifetime.
"""

from __future__ import annotations

import gzip
import threading
from collections.abc import Iterator

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.db import connections
from django.test.testcases import LiveServerThread
from playwright.sync_api import Browser, Page

from fortalece.core.figures import record
from fortalece.core.testing import client_for
from fortalece.learning.tests.factories import CourseItemFactory, CourseModuleFactory
from tests.browser.conftest import PHONE
from tests.browser.test_learning import online_cohort

pytestmark = pytest.mark.django_db(transaction=True)

FIRST_VISIT_LIMIT = 150 * 1024
LATER_VISIT_LIMIT = 30 * 1024
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml",
                "application/manifest+json")  # fmt: skip


class Weighing(StaticFilesHandler):
    """Django's live-server handler, counting what it sends (and gzipping static files)."""

    lock = threading.Lock()
    sent: list[tuple[str, int]] = []

    def __call__(self, environ, start_response):  # type: ignore[no-untyped-def]
        path = environ.get("PATH_INFO", "")
        static = self._should_handle(path)
        accepts = "gzip" in environ.get("HTTP_ACCEPT_ENCODING", "")
        captured: dict = {}

        def capture(status, headers, exc_info=None):  # type: ignore[no-untyped-def]
            captured["status"], captured["headers"] = status, list(headers)
            return lambda data: None

        body = b"".join(super().__call__(environ, capture))
        headers = captured["headers"]
        names = {k.lower(): v for k, v in headers}
        if static:
            headers = [(k, v) for k, v in headers if k.lower() != "cache-control"]
            headers.append(("Cache-Control", "public, max-age=31536000, immutable"))
            kind = names.get("content-type", "")
            if accepts and kind.startswith(COMPRESSIBLE) and "content-encoding" not in names:
                body = gzip.compress(body, 9)
                headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
                headers += [("Content-Encoding", "gzip"), ("Content-Length", str(len(body)))]
                headers.append(("Vary", "Accept-Encoding"))
        size = len(captured["status"]) + sum(len(k) + len(v) + 4 for k, v in headers) + len(body)
        with self.lock:
            self.sent.append((path, size))
        start_response(captured["status"], headers)
        return [body]


@pytest.fixture
def weighed_server(transactional_db) -> Iterator[str]:
    connections_override = {
        conn.alias: conn for conn in connections.all() if conn.vendor == "sqlite" and
        conn.is_in_memory_db()
    }  # fmt: skip
    for conn in connections_override.values():
        conn.inc_thread_sharing()
    thread = LiveServerThread("localhost", Weighing, connections_override, 0)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://localhost:{thread.port}"
    thread.terminate()
    for conn in connections_override.values():
        conn.dec_thread_sharing()


def _signed_in_page(browser: Browser, base: str, user) -> Page:  # type: ignore[no-untyped-def]
    session = client_for(user).cookies["sessionid"].value
    context = browser.new_context(
        viewport=PHONE,
        locale="es-MX",
        is_mobile=True,
        has_touch=True,
        extra_http_headers={"Accept-Language": "es-MX"},
    )
    context.add_cookies([{"name": "sessionid", "value": session, "url": base}])
    return context.new_page()


def _weigh(page: Page, url: str) -> tuple[int, list[tuple[str, int]]]:
    Weighing.sent.clear()
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)  # the worker's install requests, if any, are under way
    page.wait_for_load_state("networkidle")
    with Weighing.lock:
        rows = list(Weighing.sent)
    return sum(size for _path, size in rows), rows


def test_a_lesson_weighs_less_than_150_kb_first_and_30_kb_later(browser, weighed_server):
    course, enrolment = online_cohort()
    module = CourseModuleFactory(course=course, title="Primer contacto")
    body = "".join(
        f"<h2>Paso {n}</h2><p>Escuche a la persona sin interrumpir y anote los hechos con sus "
        "palabras; explique cada medida de protección y a quién puede llamar.</p>"
        for n in range(1, 13)
    )
    lesson = CourseItemFactory(module=module, title="Escucha activa", body=body)
    second = CourseItemFactory(module=module, title="Valoración del riesgo", body=body)
    from fortalece.accounts.models import User

    page = _signed_in_page(browser, weighed_server, User.objects.get(email="itzel@example.org"))
    import urllib.request

    urllib.request.urlopen(weighed_server + "/accounts/login/", timeout=120).read()  # noqa: S310
    foreign: list[str] = []
    page.on(
        "request",
        lambda r: foreign.append(r.url) if not r.url.startswith(weighed_server) else None,
    )

    first, first_rows = _weigh(page, f"{weighed_server}/learning/take/items/{lesson.pk}/")
    assert "Paso 12" in page.content()
    page.wait_for_function("() => Boolean(navigator.serviceWorker.controller)")
    later, later_rows = _weigh(page, f"{weighed_server}/learning/take/items/{lesson.pk}/")
    other, other_rows = _weigh(page, f"{weighed_server}/learning/take/items/{second.pk}/")

    print(f"\npage weight, first lesson visit: {first / 1024:.1f} KB ({len(first_rows)} responses)")
    for path, size in first_rows:
        print(f"  {size / 1024:7.1f} KB  {path}")
    print(f"page weight, same lesson again: {later / 1024:.1f} KB ({len(later_rows)} responses)")
    print(f"page weight, next lesson: {other / 1024:.1f} KB ({len(other_rows)} responses)")
    record(
        "page_weight",
        first_visit_kb=round(first / 1024, 1),
        later_visit_kb=round(later / 1024, 1),
        next_lesson_kb=round(other / 1024, 1),
        limit_first_kb=150,
        limit_later_kb=30,
    )
    assert foreign == []  # no third-party request
    assert any(path.endswith(".css") for path, _ in first_rows)  # a cold cache was measured
    assert first <= FIRST_VISIT_LIMIT
    assert later <= LATER_VISIT_LIMIT and other <= LATER_VISIT_LIMIT
    # Later visits fetch only the page itself: CSS, JS and icons come from the phone.
    assert not any("/static/" in path for path, _ in later_rows + other_rows)
    page.context.close()
