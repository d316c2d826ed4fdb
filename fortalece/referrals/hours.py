"""Open-now and nearest-service logic, free of Django (pure functions, tested with Hypothesis).

Times are local to the service's state: a service in Cancún opens at 08:00 Cancún time.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from zoneinfo import ZoneInfo

DEFAULT_TZ = "America/Mexico_City"
# Mexican states whose clock differs from Mexico City's (the rest use DEFAULT_TZ).
STATE_TZ = {
    "MX-ROO": "America/Cancun",
    "MX-BCN": "America/Tijuana",
    "MX-SON": "America/Hermosillo",
    "MX-BCS": "America/Mazatlan",
    "MX-SIN": "America/Mazatlan",
    "MX-NAY": "America/Mazatlan",
    "MX-CHH": "America/Chihuahua",
}


def state_tz(code: str | None) -> ZoneInfo:
    return ZoneInfo(STATE_TZ.get(code or "", DEFAULT_TZ))


@dataclass(frozen=True)
class Slot:
    weekday: int  # 0 = Monday
    opens: dt.time
    closes: dt.time  # closes <= opens: the slot runs past midnight into the next day
    all_day: bool = False


def _intervals(slot: Slot, week_start: dt.datetime) -> list[tuple[dt.datetime, dt.datetime]]:
    """The slot as naive local intervals for the week starting at ``week_start`` (a Monday
    00:00) and the weeks either side, so that slots across midnight/Sunday are found."""
    out = []
    for shift in (-7, 0, 7):
        day = week_start + dt.timedelta(days=slot.weekday + shift)
        if slot.all_day:
            out.append((day, day + dt.timedelta(days=1)))
            continue
        start = day.replace(hour=slot.opens.hour, minute=slot.opens.minute)
        end = day.replace(hour=slot.closes.hour, minute=slot.closes.minute)
        if end <= start:
            end += dt.timedelta(days=1)
        out.append((start, end))
    return out


def is_open(slots: list[Slot], now: dt.datetime, tz: ZoneInfo, *, open_24h: bool = False) -> bool:
    if open_24h:
        return True
    local = now.astimezone(tz).replace(tzinfo=None)
    week_start = (local - dt.timedelta(days=local.weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    return any(s <= local < e for slot in slots for s, e in _intervals(slot, week_start))


def next_opening(
    slots: list[Slot], now: dt.datetime, tz: ZoneInfo, *, open_24h: bool = False
) -> dt.datetime | None:
    """When the service next opens (aware, in ``tz``); ``now`` if it is open; None if never."""
    if open_24h or is_open(slots, now, tz):
        return now.astimezone(tz)
    local = now.astimezone(tz).replace(tzinfo=None)
    week_start = (local - dt.timedelta(days=local.weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    starts = [s for slot in slots for s, _e in _intervals(slot, week_start) if s > local]
    if not starts:
        return None
    return min(starts).replace(tzinfo=tz)


EARTH_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(lat: float, lon: float, km: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) containing every point within ``km``."""
    dlat = math.degrees(km / EARTH_KM)
    cos = max(math.cos(math.radians(lat)), 1e-6)
    dlon = min(180.0, math.degrees(km / (EARTH_KM * cos)))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


@dataclass(frozen=True)
class Candidate:
    pk: int
    name: str
    lat: float | None
    lon: float | None


def rank(
    candidates: list[Candidate], lat: float | None, lon: float | None
) -> list[tuple[Candidate, float | None]]:
    """Nearest first; equal distances by name then pk; services without coordinates (or no
    origin) after those with a distance, by name then pk."""
    placed: list[tuple[Candidate, float]] = []
    unplaced: list[tuple[Candidate, float | None]] = []
    for c in candidates:
        if lat is None or lon is None or c.lat is None or c.lon is None:
            unplaced.append((c, None))
        else:
            placed.append((c, haversine_km(lat, lon, c.lat, c.lon)))
    placed.sort(key=lambda x: (round(x[1], 6), x[0].name.casefold(), x[0].pk))
    unplaced.sort(key=lambda x: (x[0].name.casefold(), x[0].pk))
    return [*placed, *unplaced]


def _nth_monday(year: int, month: int, n: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(7 - first.weekday()) % 7 + 7 * (n - 1))


def mx_holidays(year: int) -> set[dt.date]:
    """Mexico's statutory rest days (Ley Federal del Trabajo, art. 74)."""
    days = {
        dt.date(year, 1, 1),
        _nth_monday(year, 2, 1),  # Constitution Day
        _nth_monday(year, 3, 3),  # Benito Juárez
        dt.date(year, 5, 1),
        dt.date(year, 9, 16),
        _nth_monday(year, 11, 3),  # Revolution Day
        dt.date(year, 12, 25),
    }
    if (year - 2024) % 6 == 0:  # a new president takes office
        days.add(dt.date(year, 10, 1))
    return days


def is_holiday(day: dt.date) -> bool:
    return day in mx_holidays(day.year)


def open_state(
    slots: list[Slot],
    now: dt.datetime,
    tz: ZoneInfo,
    *,
    open_24h: bool = False,
    open_on_holidays: bool = True,
) -> tuple[bool, dt.datetime | None]:
    """(open now, next opening: ``now`` when open) with public holidays: a service that does
    not open on holidays has no slot starting on one (a slot begun the evening before still
    runs past midnight)."""
    if open_24h:
        return True, now.astimezone(tz)
    local = now.astimezone(tz).replace(tzinfo=None)
    week_start = (local - dt.timedelta(days=local.weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    # This week and the weeks either side, and two more: a holiday can push the next
    # opening of a weekly slot a week further.
    intervals = [
        iv
        for slot in slots
        for start in (week_start, week_start + dt.timedelta(days=14))
        for iv in _intervals(slot, start)
    ]

    def allowed(start: dt.datetime) -> bool:
        return open_on_holidays or not is_holiday(start.date())

    if any(s <= local < e and allowed(s) for s, e in intervals):
        return True, now.astimezone(tz)
    starts = [s for s, _e in intervals if s > local and allowed(s)]
    return False, (min(starts).replace(tzinfo=tz) if starts else None)
