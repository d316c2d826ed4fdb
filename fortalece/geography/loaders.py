"""Loading countries, subdivisions and municipalities (used by ``load_geography``)."""

import csv
import gettext
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pycountry
from django.db import transaction

from fortalece.geography.core.names import subdivision_name
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
            "name": subdivision_name(record.code, record.country_code, record.name),
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


MX_MUNICIPALITIES = DATA / "mx-municipalities-inegi.csv"
POPULATION_COLUMNS = {
    "population": "POPULATION_2020",
    "population_female": "POPULATION_2020_FEMALE",
    "population_male": "POPULATION_2020_MALE",
}


def _population(row: dict[str, str], column: str, number: int, errors: list[str]) -> int | None:
    value = row.get(column, "").replace(",", "")
    if not value:
        return None
    if not value.isascii() or not value.isdigit():
        errors.append(f"row {number}, column {column}: '{value}' is not a whole number")
        return None
    return int(value)


@transaction.atomic
def load_mexican_municipalities(path: Path = MX_MUNICIPALITIES) -> int:
    """Load INEGI's municipality catalogue: all rows or none, errors name row and column.

    By default the copy shipped in ``data/`` (all 2,478 municipalities with the 2020 census
    population, see ``data/README.md``). Accepts INEGI's own column names too (``CVE_ENT``,
    ``CVE_MUN``, ``NOM_MUN`` or ``CVEGEO``). Each state's population becomes the sum of its
    municipalities' when the file has populations.
    """
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
    rows: dict[str, dict[str, object]] = {}
    for number, row in _read_rows(text):
        code = row.get("CVEGEO") or (
            row.get("CVE_ENT", "").zfill(2) + row.get("CVE_MUN", "").zfill(3)
        )
        name = row.get("NOM_MUN") or row.get("NOMGEO") or row.get("MUNICIPALITY_NAME") or ""
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
        values: dict[str, object] = {
            "subdivision": state,
            "name": name[:160],
            "seat": (row.get("SEAT_NAME") or row.get("NOM_CAB") or "")[:160],
        }
        for field, column in POPULATION_COLUMNS.items():
            values[field] = _population(row, column, number, errors)
        rows[code] = values
    if errors:
        raise MunicipalityFileError("\n".join(errors[:50]))
    existing = {m.code: m for m in Municipality.objects.filter(code__in=list(rows))}
    Municipality.objects.bulk_create(
        [Municipality(code=c, **v) for c, v in rows.items() if c not in existing],  # type: ignore[arg-type]
        batch_size=1000,
    )
    changed = []
    for code, values in rows.items():
        current = existing.get(code)
        if current is not None and any(getattr(current, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(current, key, value)
            changed.append(current)
    Municipality.objects.bulk_update(
        changed, ["subdivision", "name", "seat", *POPULATION_COLUMNS], batch_size=1000
    )
    if any(v["population"] is not None for v in rows.values()):
        _sum_state_populations()
    return len(rows)


def _sum_state_populations() -> None:
    from django.db.models import Sum

    totals = (
        Municipality.objects.filter(subdivision__country__code="MX")
        .values("subdivision_id")
        .annotate(**{f: Sum(f) for f in POPULATION_COLUMNS})
    )
    states = {s.pk: s for s in Subdivision.objects.filter(country__code="MX")}
    for row in totals:
        values: dict[str, Any] = dict(row)
        state = states[values["subdivision_id"]]
        for field in POPULATION_COLUMNS:
            setattr(state, field, values[field])
    Subdivision.objects.bulk_update(list(states.values()), list(POPULATION_COLUMNS))
