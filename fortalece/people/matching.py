"""How alike two people's records are. Pure Python (rapidfuzz), no Django.

Used on creation, on import rows and on the "possible duplicates" page.
"""

from dataclasses import dataclass, field

from rapidfuzz import fuzz

from fortalece.people.names import normalise, normalise_phone

LIKELY = 85


@dataclass(frozen=True)
class Record:
    given_names: str
    family_names: str
    email: str = ""
    phone: str = ""
    institution_id: int | None = None


@dataclass
class Match:
    score: int
    reasons: list[str] = field(default_factory=list)


def compare(a: Record, b: Record) -> Match:
    """Score 0–100 and the reasons, symmetric in ``a`` and ``b``."""
    reasons = []
    name_a = normalise(f"{a.given_names} {a.family_names}")
    name_b = normalise(f"{b.given_names} {b.family_names}")
    name_score = int(round(fuzz.token_sort_ratio(name_a, name_b))) if name_a and name_b else 0
    score = name_score
    if a.email and b.email and a.email.strip().lower() == b.email.strip().lower():
        reasons.append("same_email")
        score = max(score, 95)
    phone_a, phone_b = normalise_phone(a.phone), normalise_phone(b.phone)
    if len(phone_a) >= 7 and phone_a == phone_b:
        reasons.append("same_phone")
        score = max(score, 90)
    if name_score >= LIKELY:
        same_place = a.institution_id is not None and a.institution_id == b.institution_id
        reasons.append("similar_name_same_institution" if same_place else "similar_name")
        if same_place:
            score = min(100, score + 5)
    return Match(score=score, reasons=reasons)
