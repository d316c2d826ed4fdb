"""Web push to installed apps (pywebpush, VAPID keys from the environment).

Off unless ``FORTALECE_VAPID_PUBLIC_KEY`` and ``FORTALECE_VAPID_PRIVATE_KEY`` are set. The
payload is JSON ``{title, body, url}``: the service worker shows it and opens ``url`` on a
tap. A subscription the push service says is gone (404/410) is deleted.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from fortalece.messaging.models import PushSubscription

logger = logging.getLogger(__name__)
GONE = (404, 410)


def enabled() -> bool:
    return bool(settings.FORTALECE_VAPID_PUBLIC_KEY and settings.FORTALECE_VAPID_PRIVATE_KEY)


def payload(*, title: str, body: str, url: str) -> dict[str, str]:
    path = url if url.startswith("/") and not url.startswith("//") else "/"
    return {"title": title[:100], "body": body[:300], "url": path}


def send_to_user(user: Any, *, title: str, body: str, url: str) -> bool:
    """Queue a push to each of the user's browsers; False when push is off or none."""
    if not enabled() or not PushSubscription.objects.filter(user=user).exists():
        return False
    push_send.enqueue(user.pk, payload(title=title, body=body, url=url))
    return True


@task()
def push_send(user_id: int, data: dict[str, str]) -> int:
    """Send ``data`` to every subscription of the user; returns how many took it."""
    from pywebpush import WebPushException, webpush

    sent = 0
    for subscription in PushSubscription.objects.filter(user_id=user_id):
        try:
            webpush(
                subscription_info={
                    "endpoint": subscription.endpoint,
                    "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
                },
                data=json.dumps(data),
                vapid_private_key=settings.FORTALECE_VAPID_PRIVATE_KEY,
                vapid_claims={"sub": settings.FORTALECE_VAPID_SUBJECT},
                ttl=24 * 3600,
            )
        except WebPushException as error:
            status = getattr(getattr(error, "response", None), "status_code", None)
            if status in GONE:
                subscription.delete()
            else:
                # Never the endpoint in the log (it identifies a device): the status only.
                logger.warning("Web push failed: %s", status)
            continue
        subscription.last_sent_at = timezone.now()
        subscription.save(update_fields=["last_sent_at"])
        sent += 1
    return sent
