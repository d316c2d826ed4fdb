"""Multi-factor authentication (SECURITY.md, ASVS 6.3.2): policy, services and enforcement.

Every staff role that can see personal data needs a second factor: a code from an authenticator
app (TOTP, ``accounts/otp.py``), a passkey (``accounts/passkeys.py``) or a single-use recovery
code. Donor viewers (aggregates only)
and learners (only themselves) may sign in with their password alone.

The second factor is checked per session, whatever the sign-in path (allauth's form, the admin
site, a test client): ``MFAMiddleware`` sends a signed-in user who needs MFA to set it up when
they have no authenticator app yet, and to enter a code when this session has not had one.
Sensitive actions (exports of personal data, merges, role changes) ask for a fresh code when
the last one is older than ``FORTALECE_MFA_FRESH_SECONDS`` (``SensitiveActionMixin``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from fortalece.accounts import otp
from fortalece.accounts.models import Passkey, RecoveryCode, Role, TOTPDevice, User

# Roles whose holders see names, scores or survey answers of other people.
MFA_REQUIRED_ROLES = frozenset(
    {
        Role.ADMINISTRATOR,
        Role.PROGRAMME_MANAGER,
        Role.TRAINER,
        Role.ME_OFFICER,
        Role.FOCAL_POINT,
    }
)
# Session keys: when this session last gave a second factor; when we last found that the
# user needs none (re-checked every few minutes, in case a role was added).
VERIFIED_AT = "fortalece_mfa_verified_at"
NOT_REQUIRED_AT = "fortalece_mfa_not_required_at"
SETUP_KEY = "fortalece_mfa_setup_key"
NEW_RECOVERY_CODES = "fortalece_mfa_new_recovery_codes"
RECHECK_SECONDS = 300
# Failed codes per user before a pause (documented in docs/security.md).
MAX_FAILURES = 5
FAILURE_WINDOW_SECONDS = 15 * 60


def fresh_seconds() -> int:
    return int(getattr(settings, "FORTALECE_MFA_FRESH_SECONDS", 300))


def mfa_required(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or user.is_staff:
        return True
    return user.role_assignments.filter(role__in=MFA_REQUIRED_ROLES).exists()


def mfa_enrolled(user: Any) -> bool:
    """An authenticator app or a passkey (``accounts/passkeys.py``)."""
    return (
        TOTPDevice.objects.filter(user=user).exists() or Passkey.objects.filter(user=user).exists()
    )


def session_verified(request: HttpRequest) -> bool:
    return request.session.get(VERIFIED_AT) is not None


def recently_verified(request: HttpRequest) -> bool:
    at = request.session.get(VERIFIED_AT)
    return at is not None and time.time() - float(at) < fresh_seconds()


def mark_verified(request: HttpRequest) -> None:
    request.session[VERIFIED_AT] = time.time()


# --- services -----------------------------------------------------------------------------


@transaction.atomic
def mfa_enrol(*, user: User, secret: str, code: str, now: float | None = None) -> list[str]:
    """Confirm the authenticator app with its first code; returns new recovery codes."""
    from django.core.exceptions import ValidationError

    matched = otp.match_totp(secret, code, now=now or time.time(), last_step=None)
    if matched is None:
        raise ValidationError(_("That code is not right. Check the time on your phone."))
    TOTPDevice.objects.update_or_create(
        user=user, defaults={"secret": secret, "last_step": matched}
    )
    return recovery_codes_regenerate(user=user)


@transaction.atomic
def recovery_codes_regenerate(*, user: User) -> list[str]:
    codes = otp.new_recovery_codes()
    RecoveryCode.objects.filter(user=user).delete()
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_sha256=otp.hash_recovery_code(c)) for c in codes
    )
    return codes


@transaction.atomic
def mfa_reset(*, user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    Passkey.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()


def _failures_key(user: User) -> str:
    return f"fortalece:mfa-failures:{user.pk}"


def mfa_locked(user: User) -> bool:
    return int(cache.get(_failures_key(user), 0)) >= MAX_FAILURES


@transaction.atomic
def mfa_verify(*, user: User, code: str, now: float | None = None) -> str | None:
    """``"totp"`` or ``"recovery_code"`` when ``code`` is right and unused, else None.

    The device row is locked while the code is checked and its step stored, so two requests
    with the same code cannot both pass.
    """
    if mfa_locked(user):
        return None
    device = TOTPDevice.objects.select_for_update().filter(user=user).first()
    if device is not None:
        matched = otp.match_totp(
            device.secret, code, now=now or time.time(), last_step=device.last_step
        )
        if matched is not None:
            TOTPDevice.objects.filter(pk=device.pk).update(last_step=matched)
            cache.delete(_failures_key(user))
            return "totp"
    used = RecoveryCode.objects.filter(
        user=user, code_sha256=otp.hash_recovery_code(code), used_at__isnull=True
    ).update(used_at=timezone.now())
    if used:
        cache.delete(_failures_key(user))
        return "recovery_code"
    key = _failures_key(user)
    cache.add(key, 0, FAILURE_WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, FAILURE_WINDOW_SECONDS)
    return None


# --- enforcement --------------------------------------------------------------------------


def safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("core:home")


def verify_redirect(request: HttpRequest, next_url: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("mfa:verify") + "?" + urlencode({"next": next_url}))


def sensitive_action_response(request: HttpRequest) -> HttpResponse | None:
    """None when the user may go on; otherwise a redirect to confirm with a fresh code."""
    if recently_verified(request) or not mfa_required(request.user):
        return None
    messages.info(
        request,
        _("Confirm it is you with a code from your authenticator app, then do it again."),
    )
    back = request.path if request.method == "GET" else request.headers.get("Referer", "")
    return verify_redirect(request, safe_next(request, back))


class SensitiveActionMixin:
    """Put after ``PolicyRequiredMixin``: POSTs need a second factor from the last minutes."""

    sensitive_methods: tuple[str, ...] = ("POST",)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and request.method in self.sensitive_methods:
            response = sensitive_action_response(request)
            if response is not None:
                return response
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


def _exempt(path: str) -> bool:
    return path.startswith(("/accounts/mfa/", "/i18n/", "/static/")) or path == reverse(
        "account_logout"
    )


class MFAMiddleware:
    """Signed-in users who need MFA reach nothing but MFA set-up, the code form and sign-out
    until this session has had a second factor."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or session_verified(request):
            return self.get_response(request)
        checked = request.session.get(NOT_REQUIRED_AT)
        if checked is not None and time.time() - float(checked) < RECHECK_SECONDS:
            return self.get_response(request)
        if _exempt(request.path):
            # The code and set-up pages: no menu until the second factor is given.
            request.mfa_pending = mfa_enrolled(user) or mfa_required(user)  # type: ignore[attr-defined]
            return self.get_response(request)
        if mfa_enrolled(user):
            return verify_redirect(request, request.get_full_path())
        if mfa_required(user):
            return HttpResponseRedirect(reverse("mfa:setup"))
        request.session[NOT_REQUIRED_AT] = time.time()
        return self.get_response(request)
