"""Writing the audit log (see ``AuditEvent``)."""

import contextlib
import hashlib
from collections.abc import Iterator
from typing import Any

import pghistory
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import connection
from django.dispatch import receiver
from django.http import HttpRequest

from fortalece.core.models import AuditEvent


def _ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit(
    kind: str, *, request: HttpRequest | None = None, user: Any = None, **detail: Any
) -> None:
    if user is None and request is not None and getattr(request, "user", None) is not None:
        user = request.user if request.user.is_authenticated else None
    AuditEvent.objects.create(
        kind=kind,
        user=user,
        path=(request.path[:300] if request is not None else ""),
        ip_address=_ip(request),
        detail=detail,
    )


@contextlib.contextmanager
def history_actor(by: Any) -> Iterator[None]:
    """History rows written inside name ``by`` as the person who made the change.

    A web request's history already names its signed-in user (``HistoryContextMiddleware``);
    a service that is told who acts says so itself, so that writes from an API token (signed
    in by the view, after the middleware ran), a background job or a command are attributed
    too. PostgreSQL only: elsewhere there are no history triggers to read it.
    """
    user_id = getattr(by, "pk", None)
    if connection.vendor != "postgresql" or user_id is None:
        yield
        return
    with pghistory.context(user=user_id):
        yield


@receiver(user_logged_in)
def _logged_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    audit(AuditEvent.Kind.LOGIN, request=request, user=user)


@receiver(user_logged_out)
def _logged_out(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    audit(AuditEvent.Kind.LOGOUT, request=request, user=user)


@receiver(user_login_failed)
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    typed = str(credentials.get("email") or credentials.get("username") or "")
    digest = hashlib.sha256(typed.strip().lower().encode()).hexdigest()[:16] if typed else ""
    audit(AuditEvent.Kind.LOGIN_FAILED, request=request, user=None, identifier_sha256=digest)
