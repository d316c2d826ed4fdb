from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fortalece.people.matching import LIKELY, Record, compare
from fortalece.people.models import Institution, Person, PersonMerge
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
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise ValueError(f"Unknown person fields {sorted(unknown)}")
    person = person_normalise(Person(**fields))
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def person_update(*, person: Person, by: Any, **fields: Any) -> Person:
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
        from fortalece.training.services.reach import reach_refresh_people

        reach_refresh_people(person_ids=[person.pk])
    return person


@transaction.atomic
def person_delete(*, person: Person, by: Any) -> None:
    from fortalece.training.models import ProgrammeReach, WorkshopTrainer

    if WorkshopTrainer.objects.filter(person=person).exists():
        raise ValidationError(
            _("This person is recorded as a trainer of workshops. Remove them as trainer first.")
        )
    ProgrammeReach.objects.filter(person=person).delete()
    person.delete()


# Every field of a person can be taken from either record when two are merged.
MERGEABLE = PERSON_FIELDS


@transaction.atomic
def person_merge(
    *, keep: Person, duplicate: Person, by: Any, field_choices: dict[str, str] | None = None
) -> PersonMerge:
    """Merge ``duplicate`` into ``keep``: all enrolments, attendance and trainer roles move.

    ``field_choices`` maps a field to "keep" or "duplicate" (whose value survives).
    """
    from fortalece.training.models import Attendance, Enrolment, WorkshopTrainer
    from fortalece.training.services.reach import reach_refresh_people

    if keep.pk == duplicate.pk:
        raise ValidationError(_("A person cannot be merged with themself."))
    keep = Person.objects.select_for_update().get(pk=keep.pk)
    duplicate = Person.objects.select_for_update().get(pk=duplicate.pk)
    if keep.user_id and duplicate.user_id:
        raise ValidationError(
            _("Both records have a user account. Deactivate one account before merging.")
        )
    for name, source in (field_choices or {}).items():
        if name in MERGEABLE and source == "duplicate":
            setattr(keep, name, getattr(duplicate, name))
    if duplicate.user_id and not keep.user_id:
        keep.user_id = duplicate.user_id
        duplicate.user = None
        duplicate.save(update_fields=["user"])

    moved = 0
    rank = {
        s: i for i, s in enumerate(["dropped", "nominated", "enrolled", "attended", "completed"])
    }
    for enrolment in Enrolment.objects.filter(person=duplicate).select_related("workshop"):
        twin = Enrolment.objects.filter(person=keep, workshop=enrolment.workshop).first()
        if twin is None:
            enrolment.person = keep
            enrolment.save(update_fields=["person", "updated_at"])
        else:
            for row in Attendance.objects.filter(enrolment=enrolment):
                existing = Attendance.objects.filter(enrolment=twin, session=row.session).first()
                if existing is None:
                    row.enrolment = twin
                    row.save(update_fields=["enrolment"])
                elif row.present and not existing.present:
                    existing.present = True
                    existing.save(update_fields=["present"])
            if rank[enrolment.status] > rank[twin.status]:
                twin.status = enrolment.status
                twin.completed_on = enrolment.completed_on or twin.completed_on
                twin.save(update_fields=["status", "completed_on", "updated_at"])
            enrolment.delete()
            from fortalece.training.services import enrolment_recompute

            enrolment_recompute(enrolments=Enrolment.objects.filter(pk=twin.pk))
        moved += 1
    for role in WorkshopTrainer.objects.filter(person=duplicate):
        if WorkshopTrainer.objects.filter(person=keep, workshop=role.workshop).exists():
            role.delete()
        else:
            role.person = keep
            role.save(update_fields=["person"])
    from fortalece.cascade.models import Accreditation, Award

    Award.objects.filter(person=duplicate).update(person=keep)
    for accreditation in Accreditation.objects.filter(person=duplicate):
        if Accreditation.objects.filter(person=keep, rule=accreditation.rule).exists():
            accreditation.delete()
        else:
            accreditation.person = keep
            accreditation.save(update_fields=["person"])
    merge = PersonMerge.objects.create(
        kept=keep,
        merged_person_id=duplicate.pk,
        merged_name=duplicate.full_name,
        moved_enrolments=moved,
        merged_by=by,
    )
    from fortalece.training.models import ProgrammeReach

    ProgrammeReach.objects.filter(person=duplicate).delete()
    duplicate.delete()
    person_normalise(keep)
    keep.save()
    reach_refresh_people(person_ids=[keep.pk])
    return merge


@transaction.atomic
def institution_create(*, by: Any, **fields: Any) -> Institution:
    institution = Institution(**fields)
    institution.full_clean()
    institution.save()
    return institution


@transaction.atomic
def institution_update(*, institution: Institution, by: Any, **fields: Any) -> Institution:
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
        from fortalece.training.services.reach import reach_refresh_people

        reach_refresh_people(person_ids=list(institution.people.values_list("pk", flat=True)))
    return institution


@transaction.atomic
def institution_delete(*, institution: Institution, by: Any) -> None:
    if institution.people.exists():
        raise ValidationError(_("This institution still has people. Move or delete them first."))
    institution.delete()
