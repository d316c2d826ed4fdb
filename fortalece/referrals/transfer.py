"""CSV/XLSX export and import of directory entries.

The export's columns are the import's: export, correct in a spreadsheet, import again. Import is
all-or-nothing: every row is checked first and each problem is reported with its row number and
column; only a file without problems is saved, in one transaction. Files are read with the
imports app's reader and guard (encodings, delimiters, spreadsheet bombs); downloads are made
formula-safe by ``core.exports``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from fortalece.geography.models import Municipality
from fortalece.imports.core.guard import Limits, check_xlsx
from fortalece.imports.core.reader import FileProblem, read_table
from fortalece.imports.core.vocab import fold
from fortalece.referrals.forms import POPULATION_LABELS
from fortalece.referrals.models import HTTP_ONLY, OpeningHours, Service
from fortalece.referrals.policies import kept_subdivisions, service_policy

COLUMNS = [
    "id",
    "name",
    "type",
    "offer",
    "populations",
    "languages",
    "address",
    "state",
    "municipality",
    "latitude",
    "longitude",
    "phone",
    "whatsapp",
    "website",
    "open_24h",
    "open_on_holidays",
    "hours",
    "verified_on",
]
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DAY_WORDS = {
    **{d: i for i, d in enumerate(DAYS)},
    **{d: i for i, d in enumerate(["lun", "mar", "mie", "jue", "vie", "sab", "dom"])},
}
YES = {"yes", "y", "si", "true", "1", "x", "verdadero"}
NO = {"no", "n", "false", "0", "", "falso"}
MAX_ROWS = 5000


def hours_text(service: Service) -> str:
    """'mon 09:00-17:00; tue 20:00-04:00; sun all day' (closing before opening: next day)."""
    parts = []
    for h in service.hours.all():
        day = DAYS[h.weekday]
        if h.all_day:
            parts.append(f"{day} all day")
        else:
            parts.append(f"{day} {h.opens:%H:%M}-{h.closes:%H:%M}")
    return "; ".join(parts)


def export_rows(services: Any) -> list[list[Any]]:
    return [
        [
            s.pk,
            s.name,
            s.kind,
            s.offer,
            ", ".join(s.populations or []),
            s.languages,
            s.address,
            s.subdivision.code,
            s.municipality.name if s.municipality_id else "",
            s.latitude,
            s.longitude,
            s.phone,
            s.whatsapp,
            s.website,
            "yes" if s.open_24h else "no",
            "yes" if s.open_on_holidays else "no",
            hours_text(s),
            s.verified_on.isoformat() if s.verified_on else "",
        ]
        for s in services.select_related("subdivision", "municipality").prefetch_related("hours")
    ]


@dataclass
class Problem:
    row: int  # the spreadsheet's row number (the header is row 1)
    column: str
    message: str


@dataclass
class Outcome:
    problems: list[Problem] = field(default_factory=list)
    created: int = 0
    updated: int = 0


_TIMES = re.compile(r"^(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})$")
ALL_DAY = {"all day", "todo el dia", "24h", "24 h"}


def parse_hours(text: str) -> list[tuple[int, dt.time, dt.time, bool]]:
    """Read 'mon 09:00-17:00; tue 20:00-04:00; sun all day'; ValueError names a bad part."""
    slots = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        day_word, _sep, rest = part.partition(" ")
        day = DAY_WORDS.get(fold(day_word)[:3])
        rest = rest.strip()
        if day is None:
            raise ValueError(part)
        if fold(rest) in {fold(a) for a in ALL_DAY}:
            slots.append((day, dt.time(0), dt.time(0), True))
            continue
        match = _TIMES.match(rest)
        if not match:
            raise ValueError(part)
        try:
            opens = dt.time.fromisoformat(match[1].zfill(5))
            closes = dt.time.fromisoformat(match[2].zfill(5))
        except ValueError as error:
            raise ValueError(part) from error
        slots.append((day, opens, closes, False))
    return slots


def _flag(text: str) -> bool:
    value = fold(text)
    if value in YES:
        return True
    if value in NO:
        return False
    raise ValueError(text)


class _Places:
    def __init__(self, subdivisions: Any) -> None:
        self.states: dict[str, Any] = {}
        for state in subdivisions:
            for key in (state.name, state.code, state.code.split("-")[-1]):
                self.states[fold(key)] = state
        self.municipalities: dict[tuple[int, str], Any] = {}
        for m in Municipality.objects.filter(subdivision__in=list(self.states.values())):
            self.municipalities[(m.subdivision_id, fold(m.name))] = m


def import_services(*, user: Any, upload: Any) -> Outcome:
    """Check every row; save them all (one transaction) only when none has a problem."""
    name = upload.name or "upload"
    if name.lower().endswith(".xlsx"):
        check_xlsx(upload, Limits(max_rows=MAX_ROWS))
        upload.seek(0)
    table = read_table(name, upload)
    headers = [fold(h).replace(" ", "_") for h in table.headers]
    missing = [c for c in ("name", "type", "state") if c not in headers]
    outcome = Outcome()
    if missing:
        for column in missing:
            outcome.problems.append(Problem(1, column, _("This column is missing.")))
        return outcome
    index = {h: i for i, h in enumerate(headers)}
    places = _Places(kept_subdivisions(user))
    changeable = {
        pk: s
        for pk, s in service_policy.instances_user_has_permission_for(user, "change")
        .in_bulk()
        .items()
    }
    kinds = {fold(k): k for k in Service.Kind.values}
    populations = {fold(k): k for k in POPULATION_LABELS}
    for language in ("es", "en"):  # the labels people write, in either language
        with translation.override(language):
            kinds.update({fold(str(label)): value for value, label in Service.Kind.choices})
            populations.update({fold(str(v)): k for k, v in POPULATION_LABELS.items()})
    planned: list[tuple[Service, list[tuple[int, dt.time, dt.time, bool]]]] = []
    count = 0
    for number, row in enumerate(table.rows, start=2):
        if not any(cell for cell in row):
            continue
        count += 1
        if count > MAX_ROWS:
            outcome.problems.append(
                Problem(number, "", _("At most %(max)s rows at once.") % {"max": MAX_ROWS})
            )
            break

        def cell(column: str, row: list[str] = row) -> str:
            i = index.get(column)
            return row[i].strip() if i is not None and i < len(row) else ""

        def problem(column: str, message: str, number: int = number) -> None:
            outcome.problems.append(Problem(number, column, message))

        raw_id = cell("id")
        if raw_id:
            service = changeable.get(int(raw_id)) if raw_id.isascii() and raw_id.isdigit() else None
            if service is None:
                problem("id", _("No entry with this id that you may change."))
                continue
        else:
            service = Service()
        service.name = cell("name")
        kind = kinds.get(fold(cell("type")))
        if kind is None:
            problem("type", _("Unknown type: %(value)s.") % {"value": cell("type")})
        else:
            service.kind = kind
        state = places.states.get(fold(cell("state")))
        if state is None:
            problem(
                "state",
                _("Unknown state, or not one you keep: %(value)s.") % {"value": cell("state")},
            )
        else:
            service.subdivision = state
            service.country_id = state.country_id
            town = cell("municipality")
            service.municipality = None
            if town:
                service.municipality = places.municipalities.get((state.pk, fold(town)))
                if service.municipality is None:
                    problem(
                        "municipality",
                        _("No municipality %(value)s in this state.") % {"value": town},
                    )
        service.offer = cell("offer")
        service.languages = cell("languages")
        service.address = cell("address")
        service.phone = cell("phone")
        service.whatsapp = cell("whatsapp")
        chosen = []
        for word in filter(None, (w.strip() for w in cell("populations").split(","))):
            if fold(word) in populations:
                chosen.append(populations[fold(word)])
            else:
                problem("populations", _("Unknown group: %(value)s.") % {"value": word})
        service.populations = chosen
        website = cell("website")
        try:
            if website:
                HTTP_ONLY(website)
            service.website = website
        except ValidationError:
            problem("website", _("Only http:// or https:// addresses."))
        for column in ("latitude", "longitude"):
            text = cell(column).replace(",", ".")
            try:
                value = float(text) if text else None
            except ValueError:
                problem(column, _("Not a number: %(value)s.") % {"value": text})
                continue
            limit = 90 if column == "latitude" else 180
            if value is not None and not -limit <= value <= limit:
                problem(column, _("Out of range: %(value)s.") % {"value": text})
                continue
            setattr(service, column, value)
        if (service.latitude is None) != (service.longitude is None):
            problem("longitude", _("Give both latitude and longitude, or neither."))
        for column in ("open_24h", "open_on_holidays"):
            try:
                setattr(service, column, _flag(cell(column)))
            except ValueError:
                problem(column, _("Write yes or no."))
        verified = cell("verified_on")
        try:
            service.verified_on = dt.date.fromisoformat(verified[:10]) if verified else None
        except ValueError:
            problem("verified_on", _("Write the date as YYYY-MM-DD."))
        try:
            slots = parse_hours(cell("hours"))
        except ValueError as error:
            problem(
                "hours",
                _("Hours not understood: %(value)s (e.g. mon 09:00-17:00).")
                % {"value": str(error)},
            )
            slots = []
        try:
            service.full_clean(exclude=["country", "subdivision", "kind", "website"])
        except ValidationError as error:
            for column, messages in error.message_dict.items():
                for message in messages:
                    problem(column, message)
        planned.append((service, slots))
    if count == 0 and not outcome.problems:
        outcome.problems.append(Problem(2, "", _("The file has a header but no rows.")))
    if outcome.problems:
        return outcome
    with transaction.atomic():
        for service, slots in planned:
            is_new = service.pk is None
            service.save()
            if "hours" in index:
                service.hours.all().delete()
                OpeningHours.objects.bulk_create(
                    [
                        OpeningHours(service=service, weekday=d, opens=o, closes=c, all_day=a)
                        for d, o, c, a in slots
                    ]
                )
            if is_new:
                outcome.created += 1
            else:
                outcome.updated += 1
    return outcome


__all__ = ["COLUMNS", "FileProblem", "Outcome", "Problem", "export_rows", "import_services"]
