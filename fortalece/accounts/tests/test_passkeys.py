"""Passkeys as a second factor (accounts/passkeys.py): registered and used through the same
JSON the browser sends, signed here by a software authenticator (a real P-256 key), so the
server's checks — challenge, origin, relying party, signature, counter — all run."""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.cache import cache
from django.test import Client
from fido2.cose import ES256
from fido2.utils import websafe_decode, websafe_encode
from fido2.webauthn import (
    AttestationObject,
    AttestedCredentialData,
    AuthenticatorData,
    CollectedClientData,
)

from fortalece.accounts import mfa
from fortalece.accounts.models import Passkey, RecoveryCode, Role, TOTPDevice
from fortalece.core.figures import record
from fortalece.core.models import AuditEvent
from fortalece.core.testing import client_for, make_user

ORIGIN = "http://localhost"
RP_ID = "localhost"
FLAGS = AuthenticatorData.FLAG.UP | AuthenticatorData.FLAG.UV


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


class SoftPasskey:
    """What a phone's authenticator does, with a key held in memory."""

    def __init__(self, counter: int = 0) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(32)
        self.counter = counter

    def _auth_data(self, credential: bytes = b"") -> AuthenticatorData:
        flags = FLAGS | (AuthenticatorData.FLAG.AT if credential else 0)
        rp_hash = hashlib.sha256(RP_ID.encode()).digest()
        return AuthenticatorData.create(rp_hash, flags, self.counter, credential)

    def create(self, options: dict[str, Any], origin: str = ORIGIN) -> dict[str, Any]:
        public = options["publicKey"]
        client_data = CollectedClientData.create(
            type="webauthn.create", challenge=websafe_decode(public["challenge"]), origin=origin
        )
        credential = AttestedCredentialData.create(
            b"\0" * 16, self.credential_id, ES256.from_cryptography_key(self.key.public_key())
        )
        attestation = AttestationObject.create("none", self._auth_data(bytes(credential)), {})
        return {
            "id": websafe_encode(self.credential_id),
            "rawId": websafe_encode(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": websafe_encode(bytes(client_data)),
                "attestationObject": websafe_encode(bytes(attestation)),
            },
            "clientExtensionResults": {},
        }

    def get(self, options: dict[str, Any], origin: str = ORIGIN) -> dict[str, Any]:
        self.counter += 1
        client_data = CollectedClientData.create(
            type="webauthn.get",
            challenge=websafe_decode(options["publicKey"]["challenge"]),
            origin=origin,
        )
        auth_data = self._auth_data()
        signature = self.key.sign(bytes(auth_data) + client_data.hash, ec.ECDSA(hashes.SHA256()))
        return {
            "id": websafe_encode(self.credential_id),
            "rawId": websafe_encode(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": websafe_encode(bytes(client_data)),
                "authenticatorData": websafe_encode(bytes(auth_data)),
                "signature": websafe_encode(signature),
            },
            "clientExtensionResults": {},
        }


def _post(client: Client, name: str, body: Any = None, query: str = "") -> Any:
    from django.urls import reverse

    return client.post(
        reverse(name) + query,
        data=json.dumps(body or {}),
        content_type="application/json",
        HTTP_HOST="localhost",
    )


def _register(client: Client, passkey: SoftPasskey, name: str = "My phone") -> Any:
    options = _post(client, "mfa:passkey_register_options").json()
    return _post(
        client, "mfa:passkey_register", {"credential": passkey.create(options), "name": name}
    )


def _staff_without_factor():
    """An administrator (needs a second factor) who has none yet."""
    user = make_user(Role.ADMINISTRATOR)
    TOTPDevice.objects.filter(user=user).delete()
    return user


def _sign_in(user) -> Client:
    """Password given, second factor not yet (as after allauth's form)."""
    return client_for(user, mfa=False)


@pytest.mark.django_db
def test_an_administrator_sets_up_a_passkey_as_the_second_factor_and_gets_recovery_codes():
    user = _staff_without_factor()
    client = _sign_in(user)
    assert client.get("/", HTTP_HOST="localhost").url.startswith("/accounts/mfa/setup/")
    response = _register(client, SoftPasskey(), "Work phone")
    assert response.status_code == 200, response.content
    assert response.json()["redirect"] == "/accounts/mfa/recovery-codes/"
    assert Passkey.objects.get(user=user).name == "Work phone"
    assert RecoveryCode.objects.filter(user=user).count() == 10
    assert mfa.mfa_enrolled(user)
    assert client.get("/", HTTP_HOST="localhost").status_code == 200
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.MFA_ENROLLED, user=user).exists()


@pytest.mark.django_db
def test_the_next_sign_in_takes_the_passkey_and_a_replayed_answer_is_refused():
    user = _staff_without_factor()
    passkey = SoftPasskey()
    assert _register(_sign_in(user), passkey).status_code == 200
    client = _sign_in(user)
    assert client.get("/", HTTP_HOST="localhost").url.startswith("/accounts/mfa/code/")
    assert (
        'data-passkey="verify"'
        in client.get("/accounts/mfa/code/", HTTP_HOST="localhost").content.decode()
    )
    options = _post(client, "mfa:passkey_options").json()
    answer = passkey.get(options)
    response = _post(client, "mfa:passkey_verify", {"credential": answer}, "?next=/people/")
    assert response.status_code == 200, response.content
    assert response.json()["redirect"] == "/people/"
    assert client.get("/", HTTP_HOST="localhost").status_code == 200
    assert Passkey.objects.get(user=user).sign_count == 1

    # The same answer again, in another session: its challenge is gone.
    other = _sign_in(user)
    _post(other, "mfa:passkey_options")
    replay = _post(other, "mfa:passkey_verify", {"credential": answer})
    assert replay.status_code == 400
    assert other.get("/", HTTP_HOST="localhost").status_code == 302
    # And in the first session, whose challenge was used.
    assert _post(client, "mfa:passkey_verify", {"credential": answer}).status_code == 400
    record("mfa_passkeys", sign_in="passkey", replayed_answer="refused", reused_challenge="refused")


@pytest.mark.django_db
def test_a_cloned_passkey_whose_counter_went_back_is_refused():
    user = _staff_without_factor()
    passkey = SoftPasskey(counter=5)
    _register(_sign_in(user), passkey)
    client = _sign_in(user)
    options = _post(client, "mfa:passkey_options").json()
    passkey.counter = 2  # the clone signs with an older counter
    response = _post(client, "mfa:passkey_verify", {"credential": passkey.get(options)})
    assert response.status_code == 400
    assert client.get("/", HTTP_HOST="localhost").status_code == 302


@pytest.mark.django_db
def test_an_answer_for_another_site_or_from_another_key_is_refused():
    user = _staff_without_factor()
    passkey = SoftPasskey()
    _register(_sign_in(user), passkey)
    client = _sign_in(user)
    options = _post(client, "mfa:passkey_options").json()
    phished = passkey.get(options, origin="https://fortalece-login.example")
    assert _post(client, "mfa:passkey_verify", {"credential": phished}).status_code == 400

    stranger = SoftPasskey()
    stranger.credential_id = passkey.credential_id  # same id, different key
    options = _post(client, "mfa:passkey_options").json()
    forged = stranger.get(options)
    assert _post(client, "mfa:passkey_verify", {"credential": forged}).status_code == 400
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.MFA_FAILED, user=user).count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [b"", b"not json", b"[]", b'{"credential": "x"}', b'{"credential": {"id": 1}}', b"\xff"],
)
def test_garbage_answers_get_a_clear_refusal_never_a_500(body):
    user = _staff_without_factor()
    _register(_sign_in(user), SoftPasskey())
    client = _sign_in(user)
    _post(client, "mfa:passkey_options")
    response = client.post(
        "/accounts/mfa/passkeys/verify/",
        data=body,
        content_type="application/json",
        HTTP_HOST="localhost",
    )
    assert response.status_code == 400
    assert response.json()["error"]


@pytest.mark.django_db
def test_adding_a_second_passkey_needs_a_recent_factor_and_the_only_one_cannot_be_removed():
    user = _staff_without_factor()
    first = SoftPasskey()
    _register(_sign_in(user), first)
    stale = _sign_in(user)  # second factor not given in this session
    assert _post(stale, "mfa:passkey_register_options").status_code in (302, 403)
    assert Passkey.objects.filter(user=user).count() == 1

    client = client_for(user)
    only = Passkey.objects.get(user=user)
    client.post(f"/accounts/mfa/passkeys/{only.pk}/remove/", HTTP_HOST="localhost")
    assert Passkey.objects.filter(user=user).count() == 1

    assert _register(client, SoftPasskey(), "Security key").status_code == 200
    assert Passkey.objects.filter(user=user).count() == 2
    # The same authenticator twice is refused (it is excluded, and its id is unique).
    assert _register(client, first).status_code == 400
    client.post(f"/accounts/mfa/passkeys/{only.pk}/remove/", HTTP_HOST="localhost")
    assert list(Passkey.objects.filter(user=user).values_list("name", flat=True)) == [
        "Security key"
    ]


@pytest.mark.django_db
def test_one_cannot_remove_or_use_someone_elses_passkey():
    owner, other = _staff_without_factor(), make_user(Role.ADMINISTRATOR)
    passkey = SoftPasskey()
    _register(_sign_in(owner), passkey)
    client = client_for(other)
    target = Passkey.objects.get(user=owner)
    client.post(f"/accounts/mfa/passkeys/{target.pk}/remove/", HTTP_HOST="localhost")
    assert Passkey.objects.filter(pk=target.pk).exists()
    # The other user's session asks for the owner's passkey: it is not theirs.
    options = _post(_sign_in(other), "mfa:passkey_options")
    assert options.status_code == 400


@pytest.mark.django_db
def test_an_administrator_reset_removes_passkeys_too():
    user = _staff_without_factor()
    _register(_sign_in(user), SoftPasskey())
    mfa.mfa_reset(user=user)
    assert not Passkey.objects.filter(user=user).exists()
    assert not mfa.mfa_enrolled(user)


@pytest.mark.django_db
def test_the_passkeys_page_lists_them_escaped_in_spanish():
    user = _staff_without_factor()
    _register(_sign_in(user), SoftPasskey(), "<script>alert(1)</script>")
    client = client_for(user)
    client.cookies["django_language"] = "es"
    html = client.get("/accounts/mfa/passkeys/", HTTP_HOST="localhost").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    assert "Llaves de acceso" in html
