"""The idle timeout (SECURITY.md: ≤ 30 minutes) without a session write on every request."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.shortcuts import resolve_url
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from fortalece.core.middleware import REFRESHED_AT
from fortalece.core.testing import client_for, make_user

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 2, 15, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _urls_loaded(client):
    """The URLs (and the API's pydantic schemas) loaded before the clock is frozen."""
    client.get("/accounts/login/")


def _expiry(client) -> datetime.datetime:
    return Session.objects.get(session_key=client.cookies["sessionid"].value).expire_date


def _session_writes(client, url: str = "/") -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        status = client.get(url).status_code
    writes = [q for q in captured.captured_queries if "django_session" in q["sql"]]
    return status, sum(1 for q in writes if not q["sql"].startswith("SELECT"))


def test_a_request_inside_the_refresh_window_does_not_write_the_session():
    with freeze_time(START) as clock:
        client = client_for(make_user("administrator"))
        assert client.get("/").status_code == 200  # the first page sets the refresh mark
        expiry = _expiry(client)
        clock.tick(settings.SESSION_REFRESH_SECONDS - 1)
        status, writes = _session_writes(client)
        assert (status, writes) == (200, 0)
        response = client.get("/")
        assert "sessionid" not in response.cookies  # the cookie's Max-Age is left as it was
        assert _expiry(client) == expiry


def test_a_request_after_the_refresh_window_moves_the_expiry_forward():
    with freeze_time(START) as clock:
        client = client_for(make_user("administrator"))
        client.get("/")
        clock.tick(settings.SESSION_REFRESH_SECONDS)
        status, writes = _session_writes(client)
        assert status == 200 and writes == 1
        age = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
        assert (
            _expiry(client)
            == START + datetime.timedelta(seconds=settings.SESSION_REFRESH_SECONDS) + age
        )
        assert client.session[REFRESHED_AT] == pytest.approx(
            START.timestamp() + settings.SESSION_REFRESH_SECONDS
        )


def test_an_idle_session_still_ends_within_the_idle_timeout():
    """Never later than ``SESSION_COOKIE_AGE`` after the last request; at most
    ``SESSION_REFRESH_SECONDS`` earlier."""
    with freeze_time(START) as clock:
        client = client_for(make_user("administrator"))
        assert client.get("/").status_code == 200  # expiry: START + idle timeout
        clock.tick(settings.SESSION_REFRESH_SECONDS - 1)
        assert client.get("/").status_code == 200  # not written: expiry unchanged
        idle = settings.SESSION_COOKIE_AGE - settings.SESSION_REFRESH_SECONDS + 1
        clock.tick(idle)  # the idle timeout since the first request, less the window
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))
        clock.tick(1)
        assert client.get("/").status_code == 302  # signed out for good


def test_an_active_session_stays_open_past_the_idle_timeout():
    with freeze_time(START) as clock:
        client = client_for(make_user("administrator"))
        client.get("/")
        for _ in range(2 * settings.SESSION_COOKIE_AGE // (10 * 60)):  # an hour, a page in 10 min
            clock.tick(10 * 60)
            assert client.get("/").status_code == 200


def test_signing_out_leaves_no_session_to_refresh():
    with freeze_time(START):
        client = client_for(make_user("administrator"))
        client.get("/")
        key = client.cookies["sessionid"].value
        client.post("/accounts/logout/")
        assert not Session.objects.filter(session_key=key).exists()
        assert client.get("/").status_code == 302
