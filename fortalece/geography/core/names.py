"""Subdivision names from pycountry, without the database (the command line's reports).

The same names ``load_geography`` stores: Spanish where the country speaks it, else ISO's.
"""

import gettext
from collections.abc import Iterable
from functools import cache

import pycountry

SPANISH_NAMED = frozenset({"MX", "ES", "CO", "GT", "PE", "EC", "BO", "PA", "DO"})


@cache
def _spanish() -> gettext.NullTranslations:
    return gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["es"], fallback=True)


def subdivision_name(code: str, country_code: str, name: str) -> str:
    """The name Fortalece gives an ISO 3166-2 subdivision."""
    return _spanish().gettext(name) if country_code in SPANISH_NAMED else name


def subdivision_names(codes: Iterable[str]) -> dict[str, str]:
    """``{"MX-ROO": "Quintana Roo", …}`` for the codes that are ISO 3166-2 subdivisions."""
    found = {}
    for code in set(codes):
        record = pycountry.subdivisions.get(code=code) if "-" in code else None
        if record is not None:
            found[code] = subdivision_name(code, record.country_code, record.name)
    return found
