"""Reads for the directory: nearest services open now (SQL bounding box, exact distance in
Python on the few candidates)."""

from __future__ import annotations

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
        slots, tz = s.slots(), s.tz
        found.append(
            Found(
                s,
                km,
                hours.is_open(slots, now, tz, open_24h=s.open_24h),
                hours.next_opening(slots, now, tz, open_24h=s.open_24h),
            )
        )
    found.sort(key=lambda f: not f.open_now)  # stable: keeps distance order within groups
    return found[:limit]
