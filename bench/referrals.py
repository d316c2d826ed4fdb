"""Benchmark: nearest services open now among 50,000 services.

    createdb -h 127.0.0.1 -U postgres fortalece_bench_referrals
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fortalece_bench_referrals \
        .venv/bin/python bench/referrals.py

Migrates, creates 50,000 services scattered over Mexico (with opening hours), then runs
``nearest_services`` (bounding box on the (latitude, longitude) index, exact distance in
Python) from 200 random points as an administrator; prints median and p95 in ms.
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fortalece.settings_test")
os.environ.setdefault("FORTALECE_ALLOW_INSECURE_KEY", "1")

N = int(os.environ.get("BENCH_SERVICES", "50000"))


def main() -> None:
    import datetime as dt

    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from fortalece.accounts.models import User
    from fortalece.geography.models import Country, Subdivision
    from fortalece.referrals.models import OpeningHours, Service
    from fortalece.referrals.selectors import nearest_services

    mx, _ = Country.objects.get_or_create(
        code="MX", defaults={"alpha3": "MEX", "name_en": "Mexico", "name_es": "México"}
    )
    state, _ = Subdivision.objects.get_or_create(
        code="MX-MIC", defaults={"country": mx, "name": "Michoacán"}
    )
    rng = random.Random(11)
    if Service.objects.count() < N:
        Service.objects.all().delete()
        kinds = list(Service.Kind.values)
        services = Service.objects.bulk_create(
            Service(
                name=f"(demo) Servicio {i:05d}",
                kind=rng.choice(kinds),
                country=mx,
                subdivision=state,
                latitude=rng.uniform(14.5, 32.7),
                longitude=rng.uniform(-117.1, -86.7),
                open_24h=rng.random() < 0.1,
                is_demo=True,
            )
            for i in range(N)
        )
        OpeningHours.objects.bulk_create(
            OpeningHours(service=s, weekday=d, opens=dt.time(9), closes=dt.time(17))
            for s in services
            for d in range(5)
        )
    admin, _ = User.objects.get_or_create(
        email="bench-referrals@example.org", defaults={"is_superuser": True}
    )
    now = timezone.now()
    times = []
    for _ in range(200):
        lat, lon = rng.uniform(16, 30), rng.uniform(-110, -90)
        start = time.perf_counter()
        nearest_services(user=admin, now=now, lat=lat, lon=lon, kind="shelter", radius_km=50)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    print(
        f"{N} services: median {statistics.median(times):.1f} ms, "
        f"p95 {times[int(len(times) * 0.95)]:.1f} ms (200 searches, 50 km, one type)"
    )


if __name__ == "__main__":
    main()
