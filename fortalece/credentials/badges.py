"""Open Badges 2.0 (1EdTech) documents for hosted verification.

Version 3.0 (Verifiable Credentials) needs signing keys and a JSON-LD proof suite that no
well-kept Python library provides end to end today; 2.0 hosted verification is what badge
backpacks accept and needs only stable public URLs. Pure functions of plain data.
"""

import hashlib
from typing import Any

CONTEXT = "https://w3id.org/openbadges/v2"


def issuer(*, url: str, name: str, homepage: str) -> dict[str, Any]:
    return {"@context": CONTEXT, "type": "Issuer", "id": url, "name": name, "url": homepage}


def badge_class(
    *, url: str, name: str, description: str, image: str, criteria: str, issuer_url: str
) -> dict[str, Any]:
    return {
        "@context": CONTEXT,
        "type": "BadgeClass",
        "id": url,
        "name": name,
        "description": description or name,
        "image": image,
        "criteria": {"narrative": criteria},
        "issuer": issuer_url,
    }


def hashed_identity(identity: str, salt: str) -> str:
    return "sha256$" + hashlib.sha256((identity.strip().lower() + salt).encode()).hexdigest()


def assertion(
    *,
    url: str,
    badge_url: str,
    recipient_type: str,
    recipient_identity: str,
    salt: str,
    issued_on: str,
    evidence_url: str,
    revoked: bool = False,
    revocation_reason: str = "",
) -> dict[str, Any]:
    document: dict[str, Any] = {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": url,
        "recipient": {
            "type": recipient_type,
            "hashed": True,
            "salt": salt,
            "identity": hashed_identity(recipient_identity, salt),
        },
        "badge": badge_url,
        "verification": {"type": "hosted"},
        "issuedOn": issued_on,
        "evidence": evidence_url,
    }
    if revoked:
        document["revoked"] = True
        document["revocationReason"] = revocation_reason
    return document
