import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from fortalece.referrals.models import OpeningHours, Service
from fortalece.referrals.selectors import nearest_services

MX = ZoneInfo("America/Mexico_City")


def svc(world, name, lat, lon, **kw):
    return Service.objects.create(
        name=name,
        kind=kw.pop("kind", Service.Kind.SHELTER),
        country=world.mexico,
        subdivision=world.michoacan,
        latitude=lat,
        longitude=lon,
        **kw,
    )


@pytest.mark.django_db
def test_open_first_nearest_first_far_excluded_unplaced_last(world):
    now = dt.datetime(2026, 12, 2, 3, 0, tzinfo=MX)  # Wednesday 03:00
    near_closed = svc(world, "Cerca cerrado", 19.70, -101.19)
    OpeningHours.objects.create(
        service=near_closed, weekday=2, opens=dt.time(9), closes=dt.time(17)
    )
    svc(world, "Más lejos 24 h", 19.75, -101.19, open_24h=True)
    night = svc(world, "Noche", 19.72, -101.19)
    OpeningHours.objects.create(service=night, weekday=1, opens=dt.time(20), closes=dt.time(4))
    svc(world, "Muy lejos", 25.0, -101.19, open_24h=True)
    unplaced = svc(world, "Sin coordenadas", None, None, open_24h=True)
    svc(world, "Otro tipo", 19.70, -101.19, open_24h=True, kind=Service.Kind.HEALTH)

    found = nearest_services(
        user=world.users["learner"], now=now, lat=19.70, lon=-101.19, kind="shelter"
    )
    assert [f.service.name for f in found] == ["Noche", "Más lejos 24 h", "Cerca cerrado"]
    assert found[-1].open_now is False
    assert found[-1].next_opening == dt.datetime(2026, 12, 2, 9, tzinfo=MX)

    by_place = nearest_services(
        user=world.users["learner"], now=now, lat=None, lon=None, kind="shelter"
    )
    assert unplaced in [f.service for f in by_place]
    assert all(f.km is None for f in by_place)


@pytest.mark.django_db
def test_nothing_visible_for_anonymous(world):
    from django.contrib.auth.models import AnonymousUser

    svc(world, "X", 19.7, -101.19, open_24h=True)
    now = dt.datetime(2026, 12, 2, 3, 0, tzinfo=MX)
    assert nearest_services(user=AnonymousUser(), now=now, lat=19.7, lon=-101.19) == []
