"""Site-wide promises from SECURITY.md: every non-public URL needs a login, headers are set."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from fortalece.core.testing import client_for, make_user

pytestmark = pytest.mark.django_db

# Pages anyone may open: signing in, resetting a password, switching language, health checks,
# verifying a certificate, the Open Badges documents, answering a survey link, and the
# installable app's worker, manifest and offline page (the same for everyone), the public help
# page for victims with its poster, and the referral pages' offline worker (no data in it).
PUBLIC_PREFIXES = (
    "help/",
    "referrals/sw.js",
    "sw.js",
    "manifest.webmanifest",
    "offline/",
    "accounts/",
    "i18n/",
    "healthz",
    "static/",
    "media/",
    "verify/",
    "badges/",
    "evaluation/s/",
    "api/v1/docs",
    "api/v1/openapi.json",
)
# The REST API answers 401 (no token) instead of sending anyone to a sign-in page.
API_PREFIX = "api/v1/"
ADMIN_PREFIX = "django-admin/"


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def _concrete(route: str) -> str:
    route = re.sub(r"<int:[^>]+>", "1", route)
    route = re.sub(r"<uuid:[^>]+>", "00000000-0000-0000-0000-000000000000", route)
    route = re.sub(r"<(?:str|slug|path):[^>]+>", "x", route)
    route = re.sub(r"<[^>]+>", "1", route)
    return "/" + route.lstrip("^").rstrip("$").replace("\\Z", "")


def _routes():
    return sorted(set(_walk(get_resolver().url_patterns)))


def test_url_sweep_finds_routes():
    assert len(_routes()) > 10


@pytest.mark.parametrize("route", _routes())
def test_anonymous_user_is_sent_to_sign_in_on_every_private_url(client, route):
    if route.startswith(PUBLIC_PREFIXES) or route.startswith(ADMIN_PREFIX) or "(?P" in route:
        return
    url = _concrete(route)
    if route.startswith(API_PREFIX):
        for method in ("get", "post"):
            status = getattr(client, method)(url).status_code
            assert status in (401, 404, 405), (method, url, status)
        return
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        assert response.status_code in (302, 403, 404, 405), (method, url, response.status_code)
        if response.status_code == 302:
            assert "/accounts/login/" in response["Location"], (method, url)


def test_security_headers_on_every_response(client):
    response = client.get("/accounts/login/")
    csp = response["Content-Security-Policy"]
    assert "object-src 'none'" in csp
    assert "base-uri 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_signed_in_pages_are_not_cached():
    user = make_user("administrator")
    response = client_for(user).get("/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_login_page_renders_in_spanish_and_english(client):
    spanish = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="es")
    english = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert spanish.status_code == english.status_code == 200
    assert b'lang="es"' in spanish.content
    assert b'lang="en"' in english.content


def test_sessions_end_12_hours_after_sign_in_however_active(settings):
    import time

    user = make_user("administrator")
    client = client_for(user)
    assert client.get("/").status_code == 200
    session = client.session
    session["signed_in_at"] = time.time() - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    response = client.get("/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302  # signed out for good
