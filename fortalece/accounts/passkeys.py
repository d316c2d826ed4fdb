"""Passkeys (WebAuthn) as a second factor, with fido2 (see ``accounts/mfa.py``).

A passkey is the phone's own screen lock, a fingerprint or a security key: nothing to type, and
nothing a phishing page can reuse, because the browser binds each answer to this site's origin.
It counts as a second factor after the password, like a code from an authenticator app.

The flow, twice (registering, then signing in): the server makes a one-time challenge and keeps
it in the session (``begin_*``); the browser asks the authenticator and sends back its signed
answer; the server checks it against the challenge, which is removed from the session first,
so an answer cannot be replayed (``complete_*``).

The relying party is the host the user reached (``request.get_host()`` without the port).
Browsers allow passkeys only in a secure context: https, or http://localhost in development
(not http://127.0.0.1: an IP address cannot be a relying party id).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from fido2.server import Fido2Server
from fido2.utils import websafe_encode
from fido2.webauthn import (
    AttestedCredentialData,
    AuthenticationResponse,
    PublicKeyCredentialRpEntity,
    PublicKeyCredentialUserEntity,
    RegistrationResponse,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from fortalece.accounts.models import Passkey, User

REGISTER_STATE = "fortalece_passkey_register_state"
AUTHENTICATE_STATE = "fortalece_passkey_authenticate_state"
MAX_PASSKEYS = 10


def rp_id(request: HttpRequest) -> str:
    return urlsplit("//" + request.get_host()).hostname or ""


def _server(request: HttpRequest) -> Fido2Server:
    return Fido2Server(PublicKeyCredentialRpEntity(id=rp_id(request), name="Fortalece"))


def _credentials(user: User) -> list[AttestedCredentialData]:
    return [
        AttestedCredentialData(bytes(data))
        for data in Passkey.objects.filter(user=user).values_list("credential_data", flat=True)
    ]


def _refused() -> ValidationError:
    return ValidationError(_("The passkey was not accepted. Try again, or use a code."))


def begin_registration(request: HttpRequest, user: User) -> dict[str, Any]:
    """The options the browser passes to ``navigator.credentials.create``."""
    if Passkey.objects.filter(user=user).count() >= MAX_PASSKEYS:
        raise ValidationError(
            _("You have %(count)s passkeys, the most allowed. Remove one first.")
            % {"count": MAX_PASSKEYS}
        )
    options, state = _server(request).register_begin(
        PublicKeyCredentialUserEntity(
            # An opaque handle, never the e-mail: the authenticator may show or sync it.
            id=f"fortalece-user-{user.pk}".encode(),
            name=user.email,
            display_name=user.get_full_name() or user.email,
        ),
        credentials=_credentials(user),
        resident_key_requirement=ResidentKeyRequirement.DISCOURAGED,
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    request.session[REGISTER_STATE] = state
    return dict(options)


@transaction.atomic
def complete_registration(request: HttpRequest, user: User, response: Any, name: str) -> Passkey:
    state = request.session.pop(REGISTER_STATE, None)
    if not state or not isinstance(response, dict):
        raise _refused()
    try:
        data = _server(request).register_complete(state, RegistrationResponse.from_dict(response))
    except (ValueError, TypeError, KeyError) as error:
        raise _refused() from error
    credential = data.credential_data
    if credential is None:
        raise _refused()
    credential_id = websafe_encode(credential.credential_id)
    if Passkey.objects.filter(credential_id=credential_id).exists():
        raise ValidationError(_("This passkey is already registered."))
    return Passkey.objects.create(
        user=user,
        name=(name or "").strip()[:80] or _("Passkey"),
        credential_id=credential_id,
        credential_data=bytes(credential),
        sign_count=data.counter,
    )


def begin_authentication(request: HttpRequest, user: User) -> dict[str, Any]:
    """The options the browser passes to ``navigator.credentials.get``."""
    credentials = _credentials(user)
    if not credentials:
        raise _refused()
    options, state = _server(request).authenticate_begin(
        credentials, user_verification=UserVerificationRequirement.PREFERRED
    )
    request.session[AUTHENTICATE_STATE] = state
    return dict(options)


@transaction.atomic
def complete_authentication(request: HttpRequest, user: User, response: Any) -> Passkey:
    """The passkey that signed this session's challenge; ``ValidationError`` otherwise.

    The challenge leaves the session before the answer is checked (one try per challenge), and
    the passkey's row is locked while its counter is compared and stored.
    """
    state = request.session.pop(AUTHENTICATE_STATE, None)
    if not state or not isinstance(response, dict):
        raise _refused()
    try:
        parsed = AuthenticationResponse.from_dict(response)
        used = _server(request).authenticate_complete(state, _credentials(user), parsed)
    except (ValueError, TypeError, KeyError) as error:
        raise _refused() from error
    passkey = (
        Passkey.objects.select_for_update()
        .filter(user=user, credential_id=websafe_encode(used.credential_id))
        .first()
    )
    if passkey is None:
        raise _refused()
    counter = parsed.response.authenticator_data.counter
    if (counter or passkey.sign_count) and counter <= passkey.sign_count:
        raise _refused()
    Passkey.objects.filter(pk=passkey.pk).update(sign_count=counter, last_used_at=timezone.now())
    return passkey


def remove(user: User, pk: int) -> bool:
    return Passkey.objects.filter(user=user, pk=pk).delete()[0] > 0
