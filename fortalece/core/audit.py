"""Writing the audit log (see ``AuditEvent``)."""

import hashlib
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
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
