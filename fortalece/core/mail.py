"""E-mail leaves through the background worker, so a mail server that is down or slow never
turns a page into an error or a wait.

``EMAIL_BACKEND`` is :class:`QueuedEmailBackend`: it serialises each message into a task.
The task sends it through the backend configured by ``EMAIL_URL``
(``settings.FORTALECE_EMAIL_DELIVERY_BACKEND``) and, when that fails, enqueues itself again
with a growing delay (1, 5, 15, 60 minutes) before it gives up and is marked failed.
"""

from __future__ import annotations

import base64
import datetime
import logging
from collections.abc import Sequence
from email.mime.base import MIMEBase
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

RETRY_DELAYS_MINUTES = (1, 5, 15, 60)


def message_to_dict(message: EmailMessage) -> dict[str, Any]:
    """A JSON-safe copy of ``message`` (tasks' arguments are stored as JSON)."""
    attachments = []
    for attachment in message.attachments:
        if isinstance(attachment, MIMEBase):
            filename = attachment.get_filename() or "attachment"
            payload = attachment.get_payload(decode=True)
            content = payload if isinstance(payload, bytes) else b""
            mimetype = attachment.get_content_type()
        else:
            filename, content, mimetype = attachment
        raw = content.encode() if isinstance(content, str) else content
        attachments.append([filename, base64.b64encode(raw).decode(), mimetype])
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": {str(k): str(v) for k, v in (message.extra_headers or {}).items()},
        "alternatives": [
            [str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
        "attachments": attachments,
    }


def message_from_dict(data: dict[str, Any]) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
    )
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    for filename, content, mimetype in data["attachments"]:
        message.attach(filename, base64.b64decode(content), mimetype)
    return message


@task()
def send_email(message: dict[str, Any], attempt: int = 1) -> int:
    """Send one message through the delivery backend; on failure, try again later."""
    connection = get_connection(settings.FORTALECE_EMAIL_DELIVERY_BACKEND, fail_silently=False)
    try:
        return connection.send_messages([message_from_dict(message)]) or 0
    except Exception as error:
        # Never the addresses or the text in the log: the error type and attempt only.
        logger.warning("E-mail delivery failed (attempt %s): %s", attempt, type(error).__name__)
        if attempt > len(RETRY_DELAYS_MINUTES) or not send_email.get_backend().supports_defer:
            raise
        delay = datetime.timedelta(minutes=RETRY_DELAYS_MINUTES[attempt - 1])
        send_email.using(run_after=timezone.now() + delay).enqueue(message, attempt + 1)
        return 0


class QueuedEmailBackend(BaseEmailBackend):
    """Hands each message to the worker instead of talking to a mail server in the request."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        queued = 0
        for message in email_messages:
            if not message.recipients():
                continue
            try:
                send_email.enqueue(message_to_dict(message))
            except Exception:
                if not self.fail_silently:
                    raise
                logger.exception("Could not queue an e-mail")
                continue
            queued += 1
        return queued
