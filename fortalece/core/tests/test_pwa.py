"""The installable app: a manifest with our own icons, a service worker served from the root
(never cached, allowed the whole site), an offline page with nothing personal in it, and the
pages that load the worker and the outbox."""

import json
import re
import struct

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from fortalece.core import icons, pwa
from fortalece.core.testing import client_for

pytestmark = pytest.mark.django_db


def test_the_service_worker_is_served_from_the_root_uncached_for_the_whole_site(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]
    body = response.content.decode()
    version = re.search(r'const VERSION = "([0-9a-f]{12})"', body)
    assert version, body[:400]
    precache = json.loads(re.search(r"const PRECACHE = (\[.*?\]);", body).group(1))
    assert "/static/fortalece/outbox.js" in precache and reverse("core:offline") in precache
    for url in precache:
        if url.startswith("/static/"):
            assert finders.find(url.removeprefix("/static/")), url
    # Django's escaping would break the script: the JSON arrives as written.
    assert "&quot;" not in body
    for handler in ("install", "activate", "fetch", "message", "push", "notificationclick"):
        assert f'addEventListener("{handler}"' in body


def test_the_workers_learner_pages_match_the_url_conf():
    patterns = [re.compile(p) for p in pwa.learner_page_patterns()]
    lesson = reverse("learning:item", args=[42])
    attempt = reverse("quizzes:attempt", args=[7])
    work = reverse("assignments:detail", args=[3])
    for path in (lesson, attempt, work, reverse("learning:my_learning")):
        assert any(p.match(path) for p in patterns), path
    for path in (reverse("learning:item_edit", args=[42]), "/people/", "/learning/"):
        assert not any(p.match(path) for p in patterns), path


def test_the_version_changes_with_the_precached_files(monkeypatch):
    pwa._version.cache_clear()
    one = pwa._version(("/static/a.css",))
    two = pwa._version(("/static/a.css", "/static/b.css"))
    assert one != two and len(one) == 12


def test_the_manifest_makes_the_app_installable(client):
    response = client.get("/manifest.webmanifest", HTTP_ACCEPT_LANGUAGE="es")
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["name"] == "Fortalece" and data["display"] == "standalone"
    assert data["start_url"] == reverse("learning:my_learning")
    assert data["theme_color"] == "#5b2a86" and data["scope"] == "/"
    sizes = {i["sizes"] for i in data["icons"]}
    assert {"192x192", "512x512"} <= sizes
    assert any(i["purpose"] == "maskable" for i in data["icons"])
    for icon in data["icons"]:
        path = finders.find(icon["src"].removeprefix("/static/"))
        with open(path, "rb") as handle:
            head = handle.read(24)
        assert head[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", head[16:24])
        assert f"{width}x{height}" == icon["sizes"]


def test_the_committed_icons_are_the_ones_we_draw():
    for name, size, maskable in icons.ICONS:
        with open(icons.FOLDER / name, "rb") as handle:
            assert handle.read() == icons.icon_bytes(size, maskable), name


def test_the_offline_page_is_public_and_holds_nothing_personal(world):
    page = client_for(world.users["learner"]).get(reverse("core:offline"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "csrfmiddlewaretoken" not in html and "X-CSRFToken" not in html
    assert world.users["learner"].email not in html
    assert "data-offline-saved" in html and "data-outbox-banner" in html


def test_every_page_links_the_manifest_and_loads_the_worker_and_outbox(world):
    html = client_for(world.users["learner"]).get(reverse("learning:my_learning")).content.decode()
    assert 'rel="manifest" href="/manifest.webmanifest"' in html
    assert 'name="fortalece-sw" content="/sw.js"' in html
    assert "fortalece/pwa.js" in html and "fortalece/outbox.js" in html
    assert 'aria-live="polite" data-outbox-live' in html
    assert "data-signout" in html


def test_each_person_gets_their_own_opaque_device_mark(world):
    from fortalece.core.context_processors import device_user_marker

    learner, manager = world.users["learner"], world.users["manager"]
    html = client_for(learner).get(reverse("learning:my_learning")).content.decode()
    mark = device_user_marker(learner)
    assert f'name="fortalece-user" content="{mark}"' in html
    assert mark != device_user_marker(manager) and str(learner.pk) != mark
    assert "fortalece-user" not in client_for(None).get(reverse("account_login")).content.decode()


def test_the_outbox_hears_where_a_redirect_goes_without_using_up_the_message(rf):
    from django.contrib.auth.views import redirect_to_login
    from django.shortcuts import redirect

    from fortalece.core.middleware import OutboxRedirectMiddleware

    done = OutboxRedirectMiddleware(lambda request: redirect("/learning/quizzes/attempt/1/result/"))
    answer = done(rf.post("/x/", HTTP_X_FORTALECE_OUTBOX="1"))
    assert answer.status_code == 204
    assert answer["X-Outbox-Location"] == "/learning/quizzes/attempt/1/result/"
    assert done(rf.post("/x/")).status_code == 302  # a form posted as usual
    to_sign_in = OutboxRedirectMiddleware(lambda request: redirect_to_login("/x/"))
    assert to_sign_in(rf.post("/x/", HTTP_X_FORTALECE_OUTBOX="1")).status_code == 302


def test_a_quiz_answered_through_the_outbox_is_recorded_and_says_where_to_go(world):
    import uuid

    from fortalece.quizzes.services import attempts as services
    from fortalece.quizzes.tests.factories import make_quiz

    q = make_quiz(world, allow_offline=True)
    attempt = services.attempt_start(quiz=q.quiz, enrolment=world.enrolment)
    learner = client_for(world.users["learner"])
    url = reverse("quizzes:submit", args=[attempt.pk])
    answer = learner.post(url, {"all": "1", "key": str(uuid.uuid4())}, HTTP_X_FORTALECE_OUTBOX="1")
    assert answer.status_code == 204
    assert answer["X-Outbox-Location"] == reverse("quizzes:result", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.submitted_at is not None


def test_the_app_shell_is_served_without_the_session(world):
    from django.contrib.sessions.models import Session

    learner = client_for(world.users["learner"])
    key = learner.cookies["sessionid"].value
    before = Session.objects.get(session_key=key).expire_date
    learner.cookies["django_language"] = "en"
    for url in ("/sw.js", "/manifest.webmanifest", reverse("core:offline")):
        response = learner.get(url)
        assert response.status_code == 200 and "sessionid" not in response.cookies, url
        assert response.get("Cache-Control") != "no-store", url  # not a signed-in answer
    assert Session.objects.get(session_key=key).expire_date == before  # not kept alive
    assert '"lang": "en"' in learner.get("/manifest.webmanifest").content.decode()
