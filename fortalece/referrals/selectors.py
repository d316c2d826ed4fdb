"""Reads for the directory: nearest services open now (SQL bounding box, exact distance in
Python on the few candidates)."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from fortalece.referrals import hours
from fortalece.referrals.models import Service
from fortalece.referrals.policies import service_policy


@dataclass(frozen=True)
class Found:
    service: Service
    km: float | None
    open_now: bool
    next_opening: dt.datetime | None


def nearest_services(
    *,
    user: Any,
    now: dt.datetime,
    lat: float | None,
    lon: float | None,
    kind: str = "",
    radius_km: float = 50.0,
    limit: int = 10,
    queryset: QuerySet[Service] | None = None,
) -> list[Found]:
    """Open services first (nearest first), then closed ones with their next opening;
    services without coordinates are listed after those with a distance."""
    qs = (
        queryset
        if queryset is not None
        else service_policy.instances_user_has_permission_for(user, "view")
    )
    if kind:
        qs = qs.filter(kind=kind)
    if lat is not None and lon is not None:
        lo_lat, hi_lat, lo_lon, hi_lon = hours.bounding_box(lat, lon, radius_km)
        qs = qs.filter(
            latitude__gte=lo_lat, latitude__lte=hi_lat, longitude__gte=lo_lon, longitude__lte=hi_lon
        )
    rows = list(qs.select_related("subdivision").prefetch_related("hours")[:2000])
    by_pk = {s.pk: s for s in rows}
    ranked = hours.rank(
        [hours.Candidate(s.pk, s.name, s.latitude, s.longitude) for s in rows], lat, lon
    )
    found = []
    for cand, km in ranked:
        if km is not None and km > radius_km:
            continue
        s = by_pk[cand.pk]
        is_open, opens = hours.open_state(
            s.slots(), now, s.tz, open_24h=s.open_24h, open_on_holidays=s.open_on_holidays
        )
        found.append(Found(s, km, is_open, opens))
    found.sort(key=lambda f: not f.open_now)  # stable: keeps distance order within groups
    return found[:limit]


def stale_months() -> int:
    from django.conf import settings

    return int(getattr(settings, "FORTALECE_REFERRALS_STALE_MONTHS", 6))


def stale_cutoff(today: dt.date, months: int | None = None) -> dt.date:
    """Entries last verified before this day (or never) are flagged for re-verification."""
    months = stale_months() if months is None else months
    year, month = divmod(today.month - 1 - months, 12)
    year += today.year
    month += 1
    day = min(today.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day)


def stale_q(today: dt.date) -> Any:
    from django.db.models import Q

    return Q(verified_on__isnull=True) | Q(verified_on__lt=stale_cutoff(today))


def directory(
    *,
    queryset: QuerySet[Service],
    today: dt.date,
    query: str = "",
    subdivision: Any = None,
    kind: str = "",
    stale: bool = False,
) -> QuerySet[Service]:
    qs = queryset.select_related("subdivision", "municipality")
    if query:
        qs = qs.filter(name__icontains=query)
    if subdivision is not None:
        qs = qs.filter(subdivision=subdivision)
    if kind:
        qs = qs.filter(kind=kind)
    if stale:
        qs = qs.filter(stale_q(today))
    return qs.order_by("subdivision__name", "name", "pk")


def counts_by_state(*, queryset: QuerySet[Service], today: dt.date) -> list[dict[str, Any]]:
    """Services per state and how many were verified in the last six months (reports)."""
    from django.db.models import Count, Q

    since = stale_cutoff(today, 6)
    rows = (
        queryset.values("subdivision__name", "subdivision__code")
        .annotate(
            total=Count("pk"),
            verified=Count("pk", filter=Q(verified_on__gte=since)),
        )
        .order_by("subdivision__name")
    )
    return [dict(row) for row in rows]
