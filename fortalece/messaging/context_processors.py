"""The bell's unread count on every page: one query, only when a template shows it."""

from __future__ import annotations

import functools
from typing import Any

from django.http import HttpRequest

from fortalece.messaging.models import Notification


def unread_count(user: Any) -> int:
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


def bell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or getattr(request, "mfa_pending", False):
        return {"bell_enabled": False}
    # Templates call a callable when they read it; cached so that two reads are one query.
    return {"bell_enabled": True, "bell_unread": functools.cache(lambda: unread_count(user))}
