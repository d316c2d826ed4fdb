"""Writes of the API app: personal access tokens and KoboToolbox feeds."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fortalece.api.models import ApiToken, KoboFeed, KoboSubmission
from fortalece.core.audit import audit
from fortalece.core.models import AuditEvent
from fortalece.impact.services.surveys import link_create, response_save

TOKEN_PREFIX = "ftk"  # noqa: S105 - a marker that makes leaked tokens easy to scan for
_TOKEN = re.compile(r"^ftk_([0-9a-f]{8})_([A-Za-z0-9_-]{20,100})$")
# Writing last_used_at on every request would turn reads into writes; once a minute is enough.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def token_create(
    *,
    user: Any,
    name: str,
    can_write: bool = False,
    programmes: Iterable[Any] = (),
    expires_at: datetime.datetime | None = None,
) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns it with the secret text, which is never stored."""
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError(_("The expiry date must be in the future."))
    for _attempt in range(5):
        prefix = secrets.token_hex(4)
        if not ApiToken.objects.filter(prefix=prefix).exists():
            break
    raw = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user,
        name=name.strip() or _("API token"),
        prefix=prefix,
        key_hash=_digest(raw),
        can_write=can_write,
        expires_at=expires_at,
    )
    token.programmes.set(list(programmes))
    audit(AuditEvent.Kind.TOKEN_CREATED, user=user, token=prefix, can_write=can_write)
    return token, raw


@transaction.atomic
def token_revoke(*, token: ApiToken, by: Any) -> ApiToken:
    """Revoke ``token`` (idempotent); the audit log records who revoked it."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit(AuditEvent.Kind.TOKEN_REVOKED, user=by, token=token.prefix, owner=token.user_id)
    return token


def token_authenticate(raw: str) -> ApiToken | None:
    """The usable token ``raw`` stands for, or None. Constant-time comparison of hashes."""
    match = _TOKEN.match(raw or "")
    if not match:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .prefetch_related("programmes")
        .filter(prefix=match.group(1))
        .first()
    )
    if token is None or not hmac.compare_digest(token.key_hash, _digest(raw)):
        return None
    if not token.is_usable or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


@transaction.atomic
def kobo_feed_create(
    *,
    instrument: Any,
    wave: str,
    audience: str,
    workshop: Any = None,
    code_field: str = "",
    by: Any,
) -> tuple[KoboFeed, str]:
    """A survey link fed by KoboToolbox, and the secret its REST Service must send."""
    link = link_create(
        instrument=instrument, wave=wave, audience=audience, workshop=workshop, by=by
    )
    secret = secrets.token_urlsafe(32)
    feed = KoboFeed.objects.create(
        link=link, code_field=code_field.strip(), secret_hash=_digest(secret), created_by=by
    )
    return feed, secret


def kobo_secret_matches(feed: KoboFeed, secret: str) -> bool:
    return bool(secret) and hmac.compare_digest(feed.secret_hash, _digest(secret))


class SubmissionError(ValueError):
    """A push that cannot be stored; the message says why (shown to Kobo's REST Service log)."""


def _bare(key: str) -> str:
    return key.rsplit("/", 1)[-1].strip().lower()


def kobo_submission_receive(*, feed: KoboFeed, payload: Any) -> tuple[KoboSubmission, bool]:
    """Store one pushed submission once. Only the instrument's questions are kept: names,
    phone numbers or anything else in the form never reach the database."""
    if not isinstance(payload, dict):
        raise SubmissionError(_("The submission must be a JSON object."))
    uuid = str(payload.get("_uuid") or payload.get("meta/instanceID") or "")
    uuid = uuid.removeprefix("uuid:").strip()
    if not uuid or len(uuid) > 64:
        raise SubmissionError(_("The submission has no _uuid (or meta/instanceID)."))
    existing = KoboSubmission.objects.filter(feed=feed, uuid=uuid).first()
    if existing:
        return existing, False

    values = {_bare(k): v for k, v in payload.items() if not str(k).startswith("_")}
    items = feed.link.instrument.definition.get("items", [])
    answers: dict[str, str] = {}
    for item in items:
        value = values.get(item["name"].lower())
        if value is None or isinstance(value, dict | list):
            continue
        answers[item["name"]] = str(value)[:200]
    if not answers:
        raise SubmissionError(_("The submission answers none of the instrument's questions."))
    if feed.code_field:
        code = str(values.get(_bare(feed.code_field)) or "").strip()[:40]
        if not code:
            raise SubmissionError(
                _("The submission has no value for the code field '%(field)s'.")
                % {"field": feed.code_field}
            )
    else:
        code = uuid[:40]
    try:
        with transaction.atomic():
            response, created = response_save(link=feed.link, code=code, answers=answers)
            submission = KoboSubmission.objects.create(
                feed=feed, uuid=uuid, response=response, duplicate_code=not created
            )
            KoboFeed.objects.filter(pk=feed.pk).update(last_received_at=timezone.now())
    except IntegrityError:
        # The same submission pushed twice at the same moment: the other push stored it.
        return KoboSubmission.objects.get(feed=feed, uuid=uuid), False
    return submission, True
