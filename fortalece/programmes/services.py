import csv
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fortalece.programmes.models import Organisation, Programme, ProgrammePartner, SdgTarget, Target

DATA = Path(__file__).resolve().parent / "data"


@transaction.atomic
def sdg_targets_load() -> int:
    rows = list(csv.DictReader((DATA / "sdg_targets.csv").open(encoding="utf-8")))
    for row in rows:
        SdgTarget.objects.update_or_create(
            code=row["code"],
            defaults={
                "goal": int(row["goal"]),
                "title_en": row["title_en"],
                "title_es": row["title_es"],
            },
        )
    return len(rows)


def _set_relations(
    programme: Programme, relations: dict[str, Any], partners: list[dict[str, Any]] | None
) -> None:
    if "countries" in relations:
        programme.countries.set(relations["countries"])
    if "subdivisions" in relations:
        programme.subdivisions.set(relations["subdivisions"])
    if "sdg_targets" in relations:
        programme.sdg_targets.set(relations["sdg_targets"])
    if partners is not None:
        programme.partners.all().delete()
        seen = set()
        for partner in partners:
            key = (partner["organisation"].pk, partner["role"])
            if key in seen:
                continue
            seen.add(key)
            ProgrammePartner.objects.create(
                programme=programme, organisation=partner["organisation"], role=partner["role"]
            )


RELATIONS = ("countries", "subdivisions", "sdg_targets")


@transaction.atomic
def programme_create(*, partners: list[dict[str, Any]] | None = None, **fields: Any) -> Programme:
    relations = {k: fields.pop(k) for k in RELATIONS if k in fields}
    if Programme.objects.filter(code=fields.get("code")).exists():
        raise ValidationError({"code": _("A programme with this short code already exists.")})
    programme = Programme(**fields)
    programme.full_clean()
    programme.save()
    _set_relations(programme, relations, partners or [])
    return programme


@transaction.atomic
def programme_update(
    *, programme: Programme, partners: list[dict[str, Any]] | None = None, **fields: Any
) -> Programme:
    relations = {k: fields.pop(k) for k in RELATIONS if k in fields}
    for name, value in fields.items():
        setattr(programme, name, value)
    programme.full_clean()
    programme.save()
    _set_relations(programme, relations, partners)
    return programme


@transaction.atomic
def programme_delete(*, programme: Programme) -> None:
    if programme.courses.exists() or programme.workshops.exists():
        raise ValidationError(
            _("This programme has courses or workshops. Delete them first, or keep the programme.")
        )
    programme.delete()


@transaction.atomic
def organisation_create(*, name: str, kind: str, acronym: str = "") -> Organisation:
    existing = Organisation.objects.filter(name__iexact=name.strip()).first()
    if existing:
        return existing
    organisation = Organisation(name=name.strip(), kind=kind, acronym=acronym.strip())
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def target_create(*, programme: Programme, subdivisions: Any = (), **fields: Any) -> Target:
    target = Target(programme=programme, **fields)
    target.full_clean()
    target.save()
    target.subdivisions.set(subdivisions)
    return target


@transaction.atomic
def target_update(*, target: Target, subdivisions: Any = None, **fields: Any) -> Target:
    for name, value in fields.items():
        setattr(target, name, value)
    target.full_clean()
    target.save()
    if subdivisions is not None:
        target.subdivisions.set(subdivisions)
    return target


@transaction.atomic
def target_delete(*, target: Target) -> None:
    target.delete()
