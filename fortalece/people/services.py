from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fortalece.core.audit import history_actor
from fortalece.people import hooks
from fortalece.people.matching import LIKELY, Record, compare
from fortalece.people.models import Institution, Person
from fortalece.people.names import family_key, normalise, normalise_phone

PERSON_FIELDS = (
    "given_names",
    "family_names",
    "sex",
    "profession",
    "rank",
    "institution",
    "email",
    "phone",
)
REACH_FIELDS = {"sex", "profession", "institution"}
REASON_LABELS = {
    "same_email": gettext_lazy("same email"),
    "same_phone": gettext_lazy("same phone"),
    "similar_name_same_institution": gettext_lazy("similar name in the same institution"),
    "similar_name": gettext_lazy("similar name"),
}


def person_normalise(person: Person) -> Person:
    """Fill the derived search fields (also used by bulk imports)."""
    person.given_names = " ".join(person.given_names.split())
    person.family_names = " ".join(person.family_names.split())
    person.email = person.email.strip().lower()
    person.search_name = normalise(f"{person.given_names} {person.family_names}")
    person.family_key = family_key(person.family_names)
    return person


@dataclass
class DuplicateCandidate:
    person: Person
    score: int
    reasons: list[str]

    @property
    def reason_labels(self) -> list[str]:
        return [str(REASON_LABELS.get(r, r)) for r in self.reasons]


def person_find_duplicates(
    *,
    given_names: str,
    family_names: str,
    email: str = "",
    phone: str = "",
    institution_id: int | None = None,
    exclude_id: int | None = None,
    limit: int = 5,
    queryset: Any = None,
) -> list[DuplicateCandidate]:
    """Likely duplicates: blocked in SQL (same email, phone or family name), scored in Python."""
    blocking = Q(family_key=family_key(family_names))
    if email.strip():
        blocking |= Q(email__iexact=email.strip())
    phone_digits = normalise_phone(phone)
    if len(phone_digits) >= 7:
        blocking |= Q(phone__endswith=phone_digits[-7:])
    candidates = (queryset if queryset is not None else Person.objects.all()).filter(blocking)
    if exclude_id:
        candidates = candidates.exclude(pk=exclude_id)
    probe = Record(given_names, family_names, email, phone, institution_id)
    found = []
    for person in candidates.select_related("institution")[:500]:
        match = compare(
            probe,
            Record(
                person.given_names,
                person.family_names,
                person.email,
                person.phone,
                person.institution_id,
            ),
        )
        if match.score >= LIKELY and match.reasons:
            found.append(DuplicateCandidate(person, match.score, match.reasons))
    found.sort(key=lambda c: (-c.score, c.person.pk))
    return found[:limit]


@transaction.atomic
def person_create(*, by: Any, **fields: Any) -> Person:
    with history_actor(by):
        unknown = set(fields) - set(PERSON_FIELDS)
        if unknown:
            raise ValueError(f"Unknown person fields {sorted(unknown)}")
        person = person_normalise(Person(**fields))
        person.full_clean()
        person.save()
        return person


@transaction.atomic
def person_update(*, person: Person, by: Any, **fields: Any) -> Person:
    with history_actor(by):
        unknown = set(fields) - set(PERSON_FIELDS)
        if unknown:
            raise ValueError(f"Unknown person fields {sorted(unknown)}")
        changed = {k for k, v in fields.items() if getattr(person, k) != v}
        for name, value in fields.items():
            setattr(person, name, value)
        person_normalise(person)
        person.full_clean()
        person.save()
        if changed & REACH_FIELDS:
            hooks.people_changed([person.pk])  # training refreshes the person's reach rows
        return person


@transaction.atomic
def institution_create(**fields: Any) -> Institution:
    institution = Institution(**fields)
    institution.full_clean()
    institution.save()
    return institution


@transaction.atomic
def institution_update(*, institution: Institution, **fields: Any) -> Institution:
    # Place and type are copied into the reach rollups; a new name is not.
    changed_place = any(
        name in fields and fields[name] != getattr(institution, name)
        for name in ("subdivision", "municipality", "country", "kind")
    )
    for name, value in fields.items():
        setattr(institution, name, value)
    institution.full_clean()
    institution.save()
    if changed_place:
        hooks.people_changed(institution.people.values_list("pk", flat=True))
    return institution


@transaction.atomic
def institution_delete(*, institution: Institution) -> None:
    if institution.people.exists():
        raise ValidationError(_("This institution still has people. Move or delete them first."))
    institution.delete()
