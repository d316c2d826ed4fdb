"""Lines of SECURITY.md that had no test of their own (docs/security.md maps every line)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import path

import fortalece
from fortalece.core.testing import PASSWORD, client_for, make_user

ROOT = Path(fortalece.__file__).parent


def _sources() -> list[Path]:
    return sorted(
        p
        for p in ROOT.rglob("*.py")
        if "tests" not in p.relative_to(ROOT).parts and "migrations" not in p.parts
    )


# --- accounts and sessions ------------------------------------------------------------------


@pytest.mark.django_db
def test_passwords_need_12_characters_refuse_common_ones_and_have_no_composition_rules():
    for weak in ("Short1!abc", "password1234", "qwerty123456"):
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("mesa verde lluvia tarde")  # long, no digit, no capital: fine


def test_idle_and_absolute_session_limits():
    assert settings.SESSION_COOKIE_AGE <= 30 * 60
    # idle: renewed while active, at most a minute before the timeout (test_sessions.py)
    assert "fortalece.core.middleware.SessionRefreshMiddleware" in settings.MIDDLEWARE
    assert 0 <= settings.SESSION_REFRESH_SECONDS <= 60
    assert settings.SESSION_ABSOLUTE_SECONDS <= 12 * 60 * 60
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == settings.CSRF_COOKIE_SAMESITE == "Lax"


@pytest.mark.django_db
def test_signing_in_gives_a_new_session_id():
    make_user("learner", email="learner-session@example.org")
    client = Client()
    client.get("/accounts/login/")
    client.session.save()
    before = client.session.session_key
    response = client.post(
        "/accounts/login/", {"login": "learner-session@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session.session_key and client.session.session_key != before


@pytest.mark.django_db
def test_a_password_change_ends_every_other_session_and_sign_out_ends_this_one():
    from fortalece.geography.tests.factories import CountryFactory

    user = make_user("programme_manager", country=CountryFactory(code="MX"))
    phone, laptop = client_for(user), client_for(user)
    assert phone.get("/").status_code == laptop.get("/").status_code == 200
    user.set_password("another long passphrase")
    user.save()
    assert phone.get("/").status_code == 302  # the old session's hash no longer matches
    assert laptop.get("/").status_code == 302
    fresh = client_for(user)
    assert fresh.get("/").status_code == 200
    fresh.post("/accounts/logout/")
    assert fresh.get("/").status_code == 302


# --- input, output, injection ---------------------------------------------------------------

QUERY_METHODS = {"filter", "exclude", "order_by", "values", "values_list", "annotate", "extra"}


def _mentions_request_input(node: ast.AST) -> bool:
    return any(
        isinstance(n, ast.Attribute)
        and n.attr in {"GET", "POST"}
        and isinstance(n.value, ast.Name)
        and n.value.id == "request"
        for n in ast.walk(node)
    )


def _field_names_from_input(tree: ast.AST) -> list[int]:
    """Calls that could take a field name or lookup from the request: a positional argument
    of order_by/values…, or a ``**`` expansion, built from ``request.GET``/``POST``."""
    lines = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr not in QUERY_METHODS:
            continue
        positional = node.args if node.func.attr != "filter" else []
        starred = [k.value for k in node.keywords if k.arg is None]
        if any(_mentions_request_input(a) for a in [*positional, *starred]):
            lines.append(node.lineno)
    return lines


def test_no_field_name_or_lookup_comes_from_the_request():
    offenders = {
        str(p.relative_to(ROOT)): lines
        for p in _sources()
        if (lines := _field_names_from_input(ast.parse(p.read_text(encoding="utf-8"))))
    }
    assert not offenders, offenders


def test_the_field_name_check_catches_an_offender():
    bad = "def v(request):\n    return qs.order_by(request.GET.get('sort'))\n"
    worse = "def v(request):\n    return qs.exclude(**{request.POST['f']: 1})\n"
    fine = "def v(request):\n    return qs.filter(pk=query_int(request.GET.get('x')))\n"
    assert _field_names_from_input(ast.parse(bad)) == [2]
    assert _field_names_from_input(ast.parse(worse)) == [2]
    assert _field_names_from_input(ast.parse(fine)) == []


def test_no_eval_or_exec_anywhere():
    offenders = [
        f"{p.relative_to(ROOT)}:{node.lineno}"
        for p in _sources()
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in {"eval", "exec", "compile", "__import__"}
    ]
    assert not offenders, offenders


def test_templates_load_no_third_party_script_style_or_image():
    """No CDN and no trackers: scripts, styles, images and frames come from this site."""
    external = re.compile(
        r"<(?:script|img|iframe|link)\b[^>]*\b(?:src|href)=[\"']?(?:https?:)?//", re.I
    )
    offenders = [
        str(p.relative_to(ROOT))
        for p in ROOT.rglob("templates/**/*.html")
        if external.search(p.read_text(encoding="utf-8"))
    ]
    assert not offenders, offenders


def _boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("secret detail: SELECT * FROM people_person")


urlpatterns = [path("boom/", _boom)]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_users_never_see_a_stack_trace():
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Traceback" not in body and "secret detail" not in body and "people_person" not in body


@pytest.mark.django_db
def test_sign_in_is_throttled_after_5_failures_in_15_minutes():
    """allauth's ACCOUNT_RATE_LIMITS ("5/15m/ip,5/15m/key"): the 6th try is refused even with
    the right password."""
    from django.core.cache import cache

    cache.clear()
    make_user("learner", email="throttle@example.org")
    client = Client()
    for _ in range(5):
        client.post("/accounts/login/", {"login": "throttle@example.org", "password": "wrong"})
    response = client.post(
        "/accounts/login/", {"login": "throttle@example.org", "password": PASSWORD}
    )
    assert response.status_code in (200, 429)  # the form again, or "too many requests"
    assert "_auth_user_id" not in client.session
    cache.clear()
