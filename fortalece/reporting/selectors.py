"""Dashboard figures, aggregated in SQL on the reach table (one narrow table, GROUP BY).

``plain_*`` functions compute the same numbers straight from enrolments with
``COUNT(DISTINCT person)``: the benchmark times both and a test proves they agree.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from fortalece.core.choices import Profession, Sex
from fortalece.reporting.models import ProgrammeReach
from fortalece.reporting.suppression import suppress


@dataclass(frozen=True)
class DashboardFilters:
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    subdivision_id: int | None = None


def reach_rows(programme_id: int, filters: DashboardFilters) -> QuerySet[ProgrammeReach]:
    rows = ProgrammeReach.objects.filter(programme_id=programme_id)
    if filters.date_from:
        rows = rows.filter(first_reached_on__gte=filters.date_from)
    if filters.date_to:
        rows = rows.filter(first_reached_on__lte=filters.date_to)
    if filters.subdivision_id:
        rows = rows.filter(subdivision_id=filters.subdivision_id)
    return rows


def _grouped(rows: QuerySet[ProgrammeReach], column: str) -> list[tuple[Any, int]]:
    return list(
        rows.order_by().values_list(column).annotate(n=Count("pk")).values_list(column, "n")
    )


def dashboard(programme: Any, filters: DashboardFilters, *, suppress_small: bool) -> dict[str, Any]:
    from fortalece.geography.models import Subdivision
    from fortalece.training.models import Enrolment, Workshop

    rows = reach_rows(programme.pk, filters)
    totals = rows.aggregate(reached=Count("pk"), completed=Count("pk", filter=Q(completed=True)))
    minimum = settings.FORTALECE_MIN_CELL_SIZE

    def table(pairs: list[tuple[Any, int]], labels: dict[Any, str]) -> list[tuple[str, int | None]]:
        pairs = sorted(pairs, key=lambda p: -p[1])
        counts = [n for _, n in pairs]
        shown = suppress(counts, minimum) if suppress_small else list(counts)
        return [(labels.get(key, "—"), value) for (key, _), value in zip(pairs, shown, strict=True)]

    by_state_raw = _grouped(rows, "subdivision_id")
    states = dict(
        Subdivision.objects.filter(pk__in=[k for k, _ in by_state_raw if k]).values_list(
            "pk", "name"
        )
    )
    by_month = [
        (month.strftime("%Y-%m"), n)
        for month, n in rows.order_by()
        .annotate(month=TruncMonth("first_reached_on"))
        .values_list("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
        .order_by("month")
        if month
    ]
    held = Workshop.objects.filter(programme=programme, end_date__lt=timezone.localdate()).filter(
        Exists(
            Enrolment.objects.filter(workshop=OuterRef("pk"), status__in=Enrolment.REACHED_STATUSES)
        )
    )
    if filters.subdivision_id:
        held = held.filter(subdivision_id=filters.subdivision_id)
    if filters.date_from:
        held = held.filter(start_date__gte=filters.date_from)
    if filters.date_to:
        held = held.filter(start_date__lte=filters.date_to)
    from fortalece.cascade.models import Award

    reached = totals["reached"] or 0
    return {
        "awards": Award.objects.filter(programme=programme).count(),
        "reached": reached,
        "completed": totals["completed"] or 0,
        "completion_rate": round(100 * totals["completed"] / reached) if reached else None,
        "workshops_held": held.count(),
        "by_sex": table(_grouped(rows, "sex"), {k: str(v) for k, v in Sex.choices}),
        "by_profession": table(
            _grouped(rows, "profession"), {k: str(v) for k, v in Profession.choices}
        ),
        "by_state": table(by_state_raw, {**states, None: "—"}),
        "by_month": by_month,
        "suppressed": suppress_small,
        "minimum": minimum,
    }


# The same headline numbers straight from enrolments (the baseline the reach table replaces).


def plain_reached(programme_id: int) -> int:
    from fortalece.training.models import Enrolment

    return (
        Enrolment.objects.filter(
            workshop__programme_id=programme_id, status__in=Enrolment.REACHED_STATUSES
        )
        .values("person_id")
        .distinct()
        .count()
    )


def plain_by(programme_id: int, column: str) -> dict[Any, int]:
    """People reached by ``sex`` / ``profession`` / ``subdivision`` computed from enrolments."""
    from fortalece.training.models import Enrolment

    field = {
        "sex": "person__sex",
        "profession": "person__profession",
        "subdivision": "person__institution__subdivision_id",
    }[column]
    rows = (
        Enrolment.objects.filter(
            workshop__programme_id=programme_id, status__in=Enrolment.REACHED_STATUSES
        )
        .order_by()
        .values_list(field)
        .annotate(n=Count("person_id", distinct=True))
    )
    return dict(rows.values_list(field, "n"))


def reach_table_reached(programme_id: int) -> int:
    return ProgrammeReach.objects.filter(programme_id=programme_id).count()


def reach_table_by(programme_id: int, column: str) -> dict[Any, int]:
    field = {"sex": "sex", "profession": "profession", "subdivision": "subdivision_id"}[column]
    return dict(_grouped(ProgrammeReach.objects.filter(programme_id=programme_id), field))
