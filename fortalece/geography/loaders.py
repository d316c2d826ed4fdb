"""Loading countries, subdivisions and municipalities (used by ``load_geography``)."""

import csv
import gettext
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pycountry
from django.db import transaction

from fortalece.geography.models import Country, Municipality, Subdivision

DATA = Path(__file__).resolve().parent / "data"


@dataclass
class LoadResult:
    countries: int = 0
    subdivisions: int = 0
    municipalities: int = 0


def _translator(domain: str, language: str) -> gettext.NullTranslations:
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language], fallback=True)


@transaction.atomic
def load_countries_and_subdivisions(*, only: str | None = None) -> LoadResult:
    """Upsert every ISO 3166-1 country and its top-level ISO 3166-2 subdivisions."""
    result = LoadResult()
    spanish = _translator("iso3166-1", "es")
    spanish_subdivisions = _translator("iso3166-2", "es")
    inegi = {
        row["iso_code"]: row["inegi_code"]
        for row in csv.DictReader((DATA / "mx_inegi_entities.csv").open(encoding="utf-8"))
    }
    existing = {c.code: c for c in Country.objects.all()}
    for record in pycountry.countries:
        if only and record.alpha_2 != only:
            continue
        name_en = getattr(record, "common_name", None) or record.name
        values = {
            "alpha3": record.alpha_3,
            "name_en": name_en,
            "name_es": spanish.gettext(record.name),
        }
        country = existing.get(record.alpha_2)
        if country is None:
            country = Country.objects.create(code=record.alpha_2, **values)
        elif any(getattr(country, k) != v for k, v in values.items()):
            Country.objects.filter(pk=country.pk).update(**values)
        existing[record.alpha_2] = country
        result.countries += 1

    known = {s.code: s for s in Subdivision.objects.all()}
    new = []
    for record in pycountry.subdivisions:
        if record.parent_code or (only and record.country_code != only):
            continue
        country = existing.get(record.country_code)
        if country is None:
            continue
        values = {
            "name": spanish_subdivisions.gettext(record.name)
            if record.country_code in {"MX", "ES", "CO", "GT", "PE", "EC", "BO", "PA", "DO"}
            else record.name,
            "kind": record.type,
            "national_code": inegi.get(record.code, ""),
        }
        current = known.get(record.code)
        if current is None:
            new.append(Subdivision(country=country, code=record.code, **values))
        elif any(getattr(current, k) != v for k, v in values.items()):
            Subdivision.objects.filter(pk=current.pk).update(**values)
        result.subdivisions += 1
    Subdivision.objects.bulk_create(new, batch_size=1000)
    return result


class MunicipalityFileError(ValueError):
    pass


def _read_rows(text: str) -> Iterable[tuple[int, dict[str, str]]]:
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    if not reader.fieldnames:
        raise MunicipalityFileError("The file is empty.")
    reader.fieldnames = [f.strip().upper().lstrip("\ufeff") for f in reader.fieldnames]
    for number, row in enumerate(reader, start=2):
        yield number, {k: (v or "").strip() for k, v in row.items() if k}


@transaction.atomic
def load_mexican_municipalities(path: Path) -> int:
    """Load INEGI's municipality catalogue: all rows or none, errors name row and column."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    states = {
        s.national_code: s
        for s in Subdivision.objects.filter(country__code="MX").exclude(national_code="")
    }
    if len(states) != 32:
        raise MunicipalityFileError(
            "Load Mexico's states first: fortalece load_geography --country MX"
        )
    errors: list[str] = []
    rows: dict[str, tuple[Subdivision, str]] = {}
    for number, row in _read_rows(text):
        code = row.get("CVEGEO") or (
            row.get("CVE_ENT", "").zfill(2) + row.get("CVE_MUN", "").zfill(3)
        )
        name = row.get("NOM_MUN") or row.get("NOMGEO") or ""
        if len(code) != 5 or not code.isdigit():
            errors.append(
                f"row {number}, column CVE_ENT/CVE_MUN: '{code}' is not a 5-digit INEGI code"
            )
            continue
        if not name:
            errors.append(f"row {number}, column NOM_MUN: the name is empty")
            continue
        state = states.get(code[:2])
        if state is None:
            errors.append(f"row {number}, column CVE_ENT: no state has INEGI code {code[:2]}")
            continue
        rows[code] = (state, name)
    if errors:
        raise MunicipalityFileError("\n".join(errors[:50]))
    existing = dict(Municipality.objects.filter(code__in=list(rows)).values_list("code", "pk"))
    Municipality.objects.bulk_create(
        [
            Municipality(code=c, subdivision=s, name=n)
            for c, (s, n) in rows.items()
            if c not in existing
        ],
        batch_size=1000,
    )
    for code, (state, name) in rows.items():
        if code in existing:
            Municipality.objects.filter(pk=existing[code]).update(subdivision=state, name=name)
    return len(rows)
