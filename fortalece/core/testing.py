"""Test helpers shared by every app: users with roles, and the permission matrix."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.test import Client

from fortalece.accounts import otp
from fortalece.accounts.mfa import MFA_REQUIRED_ROLES, VERIFIED_AT
from fortalece.accounts.models import RoleAssignment, TOTPDevice, User
from fortalece.core.middleware import REFRESHED_AT

PASSWORD = "correct horse battery staple"  # noqa: S105
# Users whose role needs MFA are enrolled with this authenticator secret (base32);
# ``totp_code()`` gives its current code for sign-in tests.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105


def totp_code(secret: str = TOTP_SECRET, at: float | None = None) -> str:
    import time

    return otp.totp(secret, time.time() if at is None else at)


def enrol_totp(user: User, secret: str = TOTP_SECRET) -> None:
    TOTPDevice.objects.update_or_create(user=user, defaults={"secret": secret})


def make_user(
    role: str | None = None,
    *,
    email: str | None = None,
    active: bool = True,
    person: Any = None,
    **scope: Any,
) -> User:
    """A user holding ``role`` in ``scope`` (country=, subdivision=, programme= or institution=)."""
    count = User.objects.count()
    user = User.objects.create_user(
        email=email or f"{role or 'nobody'}-{count}@example.org",
        password=PASSWORD,
        is_active=active,
    )
    if role:
        RoleAssignment.objects.create(user=user, role=role, **scope)
        if role in MFA_REQUIRED_ROLES:
            enrol_totp(user)
    if person is not None:
        person.user = user
        person.save(update_fields=["user"])
    return user


def client_for(user: User | None, *, mfa: bool = True) -> Client:
    """A client signed in as ``user``. ``mfa``: this session has just given a second factor
    (as signing in with a code does), so pages and sensitive actions need no further code."""
    client = Client()
    if user is not None:
        client.force_login(user)
        session = client.session
        # As after the first page since signing in (the sign-in time noted, the expiry
        # marked fresh): the next requests do not write the session (SessionRefreshMiddleware).
        session["signed_in_at"] = session[REFRESHED_AT] = time.time()
        if mfa:
            session[VERIFIED_AT] = time.time()
        session.save()
    return client


@dataclass
class Expect:
    """One row of a permission matrix: who asks, and the status codes that are acceptable."""

    label: str
    user: User | None
    allowed: bool


def assert_permission_matrix(
    url: str, rows: Iterable[Expect], *, method: str = "get", data: dict[str, Any] | None = None
) -> None:
    """Anonymous -> sign-in redirect; refused -> 403/404; allowed -> 200 (or a redirect on POST).

    Inactive users are refused like anonymous ones.
    """
    failures = []
    for row in rows:
        client = client_for(row.user)
        response = getattr(client, method)(url, data or {})
        code = response.status_code
        if row.user is None or not row.user.is_active:
            ok = code == 302 and "/accounts/login/" in response["Location"]
        elif row.allowed:
            ok = code == 200 or (method == "post" and code == 302)
        else:
            ok = code in (403, 404)
        if not ok:
            failures.append(f"{row.label}: {method.upper()} {url} -> {code}")
    assert not failures, "Permission matrix failures:\n" + "\n".join(failures)  # noqa: S101


def query_count(client: Client, url: str) -> int:
    """How many SQL queries one GET of ``url`` takes (the page must answer 200)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)  # noqa: S101
    return len(context.captured_queries)


def run_at_once(work: Callable[[Callable[[], object]], object], times: int = 2) -> list[object]:
    """Run ``work(wait)`` ``times`` times at once, for races (two tabs, a retried request).

    On PostgreSQL each run is a thread with its own connection and ``wait`` is a barrier that
    lines the threads up (locks and unique keys meet for real); SQLite serialises writes, so
    there the runs follow each other and ``wait`` does nothing. Returns the runs' results and
    raises the first error any run hit.
    """
    from django.db import connection

    results: list[object] = []
    errors: list[BaseException] = []
    if connection.vendor != "postgresql":
        return [work(lambda: None) for _ in range(times)]
    barrier = threading.Barrier(times)

    def run() -> None:
        from django.db import connection as thread_connection

        try:
            results.append(work(barrier.wait))
        except BaseException as error:  # noqa: BLE001 - handed to the test below
            errors.append(error)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results
