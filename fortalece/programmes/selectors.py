from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from fortalece.programmes.models import Programme, ProgrammePartner, Target


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
    from fortalece.training.models import Enrolment, ProgrammeReach, Workshop

    results = []
    targets = programme.targets.prefetch_related("subdivisions")
    for target in targets:
        states = [s.pk for s in target.subdivisions.all()]
        if target.metric == Target.Metric.WORKSHOPS_HELD:
            reached = Enrolment.objects.filter(
                workshop=OuterRef("pk"), status__in=Enrolment.REACHED_STATUSES
            )
            workshops = Workshop.objects.filter(
                programme=programme,
                end_date__lt=timezone.localdate(),
                validation=Workshop.Validation.VALIDATED,
            ).filter(Exists(reached))
            if states:
                workshops = workshops.filter(subdivision__in=states)
            current = workshops.count()
        else:
            reach = ProgrammeReach.objects.filter(programme=programme)
            if target.metric == Target.Metric.PEOPLE_COMPLETED:
                reach = reach.filter(completed=True)
            if states:
                reach = reach.filter(subdivision__in=states)
            if target.profession:
                reach = reach.filter(profession=target.profession)
            current = reach.count()
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
    from fortalece.training.models import ProgrammeReach

    return {
        "courses": programme.courses.count(),
        "workshops": programme.workshops.count(),
        "reached": ProgrammeReach.objects.filter(programme=programme).count(),
    }
