"""``notify``: the one door through which every app tells people something.

It writes a ``Notification`` per recipient (the bell), then, per the recipient's
``Preference`` for that kind: e-mails it at once (and sends a web push), leaves it for the
daily digest, or leaves it in the bell only ("off"). Texts are rendered in each recipient's
own language: pass a lazy string or a callable returning the text.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fortalece.messaging import push as web_push
from fortalece.messaging.models import DEFAULT_DELIVERY, Delivery, Kind, Notification, Preference

logger = logging.getLogger(__name__)

Text = str | Callable[[], str] | Any  # a str, a lazy translation, or a callable
UNSUBSCRIBE_SALT = "fortalece.messaging.unsubscribe"


def _render(text: Text) -> str:
    value = text() if callable(text) else text
    return str(value)[:300]


def _safe_path(url: str) -> str:
    """Only paths on this site: a notification never links elsewhere."""
    url = (url or "").strip()
    if not url.startswith("/") or url.startswith("//") or "\\" in url:
        return ""
    return url[:300]


def absolute(path: str) -> str:
    return settings.FORTALECE_PUBLIC_URL.rstrip("/") + path


def deliveries(users: Iterable[Any], kind: str) -> dict[int, str]:
    """Each user's delivery for ``kind`` (their choice, else the default): one query."""
    ids = [u.pk for u in users]
    chosen = dict(
        Preference.objects.filter(user_id__in=ids, kind=kind).values_list("user_id", "delivery")
    )
    default = DEFAULT_DELIVERY.get(Kind(kind), Delivery.IMMEDIATELY)
    return {pk: chosen.get(pk, default) for pk in ids}


def delivery_for(user: Any, kind: str) -> str:
    return deliveries([user], kind)[user.pk]


def unsubscribe_token(user: Any, kind: str) -> str:
    return signing.dumps({"u": user.pk, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("k") not in Kind.values:
        return None
    if not isinstance(data.get("u"), int):
        return None
    return data["u"], data["k"]


def unsubscribe_url(user: Any, kind: str) -> str:
    return absolute(
        reverse("messaging:unsubscribe", kwargs={"token": unsubscribe_token(user, kind)})
    )


def send_email(
    *, user: Any, kind: str, subject: str, items: list[Notification], digest: bool = False
) -> None:
    """One e-mail (a notification, or a digest of several) with unsubscribe links."""
    if not user.email:
        return
    kinds = sorted({n.kind for n in items})
    context = {
        "user": user,
        "items": [
            {"text": n.text, "link": absolute(n.url) if n.url else "", "kind": n.get_kind_display()}
            for n in items
        ],
        "digest": digest,
        "unsubscribe": [{"label": Kind(k).label, "url": unsubscribe_url(user, k)} for k in kinds],
        "preferences_url": absolute(reverse("messaging:preferences")),
    }
    body = render_to_string("messaging/email/notification.txt", context)
    html = render_to_string("messaging/email/notification.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        to=[user.email],
        headers={"List-Unsubscribe": f"<{context['unsubscribe'][0]['url']}>"},
    )
    message.attach_alternative(html, "text/html")
    message.send()


def notify(
    recipients: Iterable[Any], kind: str, text: Text, url: str = "", *, push: bool = True
) -> list[Notification]:
    """Tell ``recipients`` (users) something: the bell, then e-mail and push per preference."""
    kind = Kind(kind)
    users = {u.pk: u for u in recipients if u is not None and u.is_active}
    if not users:
        return []
    path = _safe_path(url)
    chosen = deliveries(users.values(), kind)
    rows = []
    for user in users.values():
        with translation.override(user.language or settings.LANGUAGE_CODE):
            rows.append(Notification(recipient=user, kind=kind, text=_render(text), url=path))
    created = Notification.objects.bulk_create(rows)
    now = timezone.now()
    emailed = []
    for notification in created:
        user = users[notification.recipient_id]
        if chosen[user.pk] != Delivery.IMMEDIATELY:
            continue
        with translation.override(user.language or settings.LANGUAGE_CODE):
            subject = _("Fortalece: %(kind)s") % {"kind": Kind(kind).label}
            send_email(user=user, kind=kind, subject=subject, items=[notification])
            if push:
                web_push.send_to_user(
                    user, title=str(Kind(kind).label), body=notification.text, url=path or "/"
                )
        emailed.append(notification.pk)
    if emailed:
        Notification.objects.filter(pk__in=emailed).update(emailed_at=now)
    return created
