"""Time-based one-time passwords (RFC 6238) and recovery codes. Pure Python, no Django.

A code is accepted for the current 30-second step only (and the one before, for clocks a few
seconds apart), and only for a step later than the last one used: a code cannot be replayed,
even on another server process, because the last used step is stored with the device.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
from urllib.parse import quote, urlencode

PERIOD = 30
DIGITS = 6
RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i


def new_secret() -> str:
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii")


def hotp(secret: str, counter: int) -> str:
    key = base64.b32decode(secret.encode("ascii"), casefold=True)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**DIGITS:0{DIGITS}d}"


def step(now: float) -> int:
    return int(now // PERIOD)


def totp(secret: str, now: float) -> str:
    return hotp(secret, step(now))


def normalise(code: str) -> str:
    return "".join(ch for ch in str(code) if not ch.isspace() and ch != "-").lower()


def match_totp(secret: str, code: str, *, now: float, last_step: int | None) -> int | None:
    """The time step ``code`` belongs to, or None when wrong, expired or already used."""
    typed = normalise(code)
    if len(typed) != DIGITS or not typed.isascii() or not typed.isdigit():
        return None
    current = step(now)
    for candidate in (current, current - 1):
        if last_step is not None and candidate <= last_step:
            continue
        if hmac.compare_digest(hotp(secret, candidate), typed):
            return candidate
    return None


def otpauth_url(secret: str, *, account: str, issuer: str) -> str:
    label = quote(f"{issuer}:{account}")
    query = urlencode({"secret": secret, "issuer": issuer, "digits": DIGITS, "period": PERIOD})
    return f"otpauth://totp/{label}?{query}"


def new_recovery_codes(count: int = RECOVERY_CODE_COUNT) -> list[str]:
    """Codes like ``k7wq-3mzp-x9tr`` (about 70 bits each)."""
    codes = []
    for _ in range(count):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(12))
        codes.append(f"{raw[0:4]}-{raw[4:8]}-{raw[8:12]}")
    return codes


def hash_recovery_code(code: str) -> str:
    return hashlib.sha256(normalise(code).encode("utf-8")).hexdigest()
