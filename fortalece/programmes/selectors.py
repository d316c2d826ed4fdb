from typing import Any

from django.db.models import Prefetch, QuerySet

from fortalece.programmes import hooks
from fortalece.programmes.models import Programme, ProgrammePartner


def programme_list(
    *, queryset: QuerySet[Programme], query: str = "", country: Any = None
) -> QuerySet[Programme]:
    if query:
        queryset = queryset.filter(name__icontains=query)
    if country:
        queryset = queryset.filter(countries=country)
    return queryset.prefetch_related(
        "countries",
        Prefetch("partners", queryset=ProgrammePartner.objects.select_related("organisation")),
    ).order_by("-start_date", "name")


def target_progress(programme: Programme) -> list[dict[str, Any]]:
    """Each target with its current value, counted in SQL; one query per target."""
    results = []
    targets = programme.targets.prefetch_related("subdivisions")
    for target in targets:
        states = [s.pk for s in target.subdivisions.all()]
        # Measured from training's tables by training (programmes/hooks.py).
        current = hooks.target_current(programme, target, states)
        percent = round(100 * current / target.value, 1) if target.value else 0.0
        results.append(
            {
                "target": target,
                "current": current,
                "percent": percent,
                "bar": min(percent, 100.0),
                "done": current >= target.value,
            }
        )
    return results


def programme_counts(programme: Programme) -> dict[str, int]:
    return {
        "courses": programme.courses.count(),
        "workshops": programme.workshops.count(),
        **hooks.counts(programme),  # people reached, from training
    }
