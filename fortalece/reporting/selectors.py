"""Dashboard figures, aggregated in SQL on the reach table (one narrow table, GROUP BY).

``plain_*`` functions compute the same numbers straight from enrolments with
``COUNT(DISTINCT person)``: the benchmark times both and a test proves they agree.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from fortalece.cascade.models import Award
from fortalece.core.choices import Profession, Sex
from fortalece.geography.models import Subdivision
from fortalece.programmes.models import Target
from fortalece.programmes.policies import programme_policy
from fortalece.reporting.suppression import COMPLEMENTARY, SMALL, hide
from fortalece.training.models import Enrolment, ProgrammeReach, Workshop


@dataclass(frozen=True)
class DashboardFilters:
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    subdivision_id: int | None = None

    @property
    def active(self) -> bool:
        return bool(self.date_from or self.date_to or self.subdivision_id)


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


def sees_exact_figures(user: Any, programme: Any) -> bool:
    """Exact counts or published figures on ``programme``'s dashboard (the programme
    policy decides)."""

    return programme_policy.sees_exact_figures(user, [programme.pk])


def _months(first: datetime.date, last: datetime.date) -> list[str]:
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = year + (month == 12), month % 12 + 1
    return months


def month_series(counts: dict[str, int]) -> list[tuple[str, int]]:
    """Every month from the first to the last with people, empty months as 0 (a time axis
    without gaps). Keys are ``YYYY-MM``."""
    if not counts:
        return []
    keys = sorted(counts)
    first = datetime.date(int(keys[0][:4]), int(keys[0][5:7]), 1)
    last = datetime.date(int(keys[-1][:4]), int(keys[-1][5:7]), 1)
    return [(month, counts.get(month, 0)) for month in _months(first, last)]


Cell = int | str  # a count, or the mark of a hidden one ("<5", "hidden")


def publish(
    pairs: list[tuple[str, int]], *, minimum: int, suppress_small: bool, sensitive: set[str]
) -> list[tuple[str, Cell]]:
    """A disaggregated table ready to show, largest group first.

    Published figures (``suppress_small``): cells below ``minimum`` become "<minimum", with
    complementary suppression marked "hidden" (such a cell is not small, only hidden so that a
    small one cannot be worked out). Exact figures: only the ``sensitive`` labels (sex not
    stated or other) are hidden when small. Hidden rows go last in label order, so their
    position says nothing about their size.
    """
    pairs = sorted(pairs, key=lambda p: (-p[1], p[0]))
    counts = [n for _, n in pairs]
    if suppress_small:
        marks = hide(counts, minimum)
    else:
        marks = [SMALL if label in sensitive and 0 < n < minimum else n for label, n in pairs]
    shown = _marked(marks, minimum)
    visible: list[tuple[str, Cell]] = [
        (label, v) for (label, _), v in zip(pairs, shown, strict=True) if isinstance(v, int)
    ]
    hidden: list[tuple[str, Cell]] = sorted(
        ((label, v) for (label, _), v in zip(pairs, shown, strict=True) if isinstance(v, str)),
        key=lambda row: row[0],
    )
    return visible + hidden


def _marked(marks: list[int | str], minimum: int) -> list[Cell]:
    text = {SMALL: f"<{minimum}", COMPLEMENTARY: gettext("hidden")}
    return [text[m] if isinstance(m, str) else m for m in marks]


def dashboard(programme: Any, filters: DashboardFilters, *, suppress_small: bool) -> dict[str, Any]:
    """Every figure of the reach dashboard in a fixed number of queries, whatever the size.

    ``suppress_small`` publishes the figures for donor viewers: small cells hidden in every
    table, and the headline counts too when a filter narrows them below the minimum.
    """

    rows = reach_rows(programme.pk, filters)
    # One pass over the reach rows (a million for a national force) gives the headline and
    # the three tables: at most sexes × professions × states × 2 groups, summed here.
    by_sex_n: dict[Any, int] = {}
    by_profession_n: dict[Any, int] = {}
    by_state_n: dict[Any, int] = {}
    reached = completed = 0
    for sex, profession, state, done, n in (
        rows.order_by()
        .values_list("sex", "profession", "subdivision_id", "completed")
        .annotate(n=Count("pk"))
        .values_list("sex", "profession", "subdivision_id", "completed", "n")
    ):
        reached += n
        completed += n if done else 0
        by_sex_n[sex] = by_sex_n.get(sex, 0) + n
        by_profession_n[profession] = by_profession_n.get(profession, 0) + n
        by_state_n[state] = by_state_n.get(state, 0) + n
    minimum = settings.FORTALECE_MIN_CELL_SIZE

    sex_labels = {k: str(v) for k, v in Sex.choices}
    sensitive = {sex_labels[Sex.OTHER], sex_labels[Sex.NOT_STATED]}

    def table(pairs: list[tuple[Any, int]], labels: dict[Any, str]) -> list[tuple[str, Cell]]:
        named = [(labels.get(key, str(key)), n) for key, n in pairs]
        return publish(named, minimum=minimum, suppress_small=suppress_small, sensitive=sensitive)

    by_state_raw = list(by_state_n.items())
    states: dict[Any, str] = dict(
        Subdivision.objects.filter(pk__in=[k for k, _ in by_state_raw if k]).values_list(
            "pk", "name"
        )
    )
    states[None] = gettext("State not recorded")
    # Grouped by day (a few thousand rows at most, whatever the number of people) and summed
    # into months here: SQLite's month truncation is a Python function called once per row.
    per_month: dict[str, int] = {}
    for day, n in (
        rows.order_by()
        .values_list("first_reached_on")
        .annotate(n=Count("pk"))
        .values_list("first_reached_on", "n")
    ):
        key = f"{day.year:04d}-{day.month:02d}"
        per_month[key] = per_month.get(key, 0) + n
    by_month: list[tuple[str, Cell]] = list(month_series(per_month))
    if suppress_small:
        shown = _marked(hide([int(n) for _, n in by_month], minimum), minimum)
        by_month = [(m, v) for (m, _), v in zip(by_month, shown, strict=True)]
    held = Workshop.objects.filter(
        programme=programme,
        end_date__lt=timezone.localdate(),
        validation=Workshop.Validation.VALIDATED,
    ).filter(
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

    # A filter (one state, a few months) turns the headline into a cell like any other.
    hide_headline = suppress_small and filters.active and 0 < reached < minimum
    hide_completed = hide_headline or (
        suppress_small and filters.active and 0 < completed < minimum
    )
    return {
        "awards": Award.objects.filter(programme=programme).count(),
        "reached": None if hide_headline else reached,
        "completed": None if hide_completed else completed,
        "completion_rate": (
            round(100 * completed / reached) if reached and not hide_completed else None
        ),
        "workshops_held": held.count(),
        "by_sex": table(list(by_sex_n.items()), sex_labels),
        "by_profession": table(
            list(by_profession_n.items()), {k: str(v) for k, v in Profession.choices}
        ),
        "by_state": table(by_state_raw, states),
        "by_month": by_month,
        "suppressed": suppress_small,
        "minimum": minimum,
    }


def publish_progress(progress: list[dict[str, Any]], *, minimum: int) -> list[dict[str, Any]]:
    """Target progress as donors see it: a people count below ``minimum`` is hidden, with its
    percentage (which would give it away). Workshop counts are not about people: kept."""

    published = []
    for row in progress:
        people = row["target"].metric != Target.Metric.WORKSHOPS_HELD
        if people and 0 < row["current"] < minimum:
            row = {**row, "current": None, "percent": None, "bar": 0.0}
        published.append(row)
    return published


# The same headline numbers straight from enrolments (the baseline the reach table replaces).


def plain_reached(programme_id: int) -> int:

    return (
        Enrolment.objects.filter(Enrolment.COUNTED, workshop__programme_id=programme_id)
        .values("person_id")
        .distinct()
        .count()
    )


def plain_completed(programme_id: int) -> int:
    """People with at least one completed enrolment in the programme."""

    return (
        Enrolment.objects.filter(
            workshop__programme_id=programme_id,
            status=Enrolment.Status.COMPLETED,
            workshop__validation=Workshop.Validation.VALIDATED,
        )
        .values("person_id")
        .distinct()
        .count()
    )


def plain_by(programme_id: int, column: str) -> dict[Any, int]:
    """People reached by ``sex`` / ``profession`` / ``subdivision`` computed from enrolments."""

    field = {
        "sex": "person__sex",
        "profession": "person__profession",
        "subdivision": "person__institution__subdivision_id",
    }[column]
    rows = (
        Enrolment.objects.filter(Enrolment.COUNTED, workshop__programme_id=programme_id)
        .order_by()
        .values_list(field)
        .annotate(n=Count("person_id", distinct=True))
    )
    return dict(rows.values_list(field, "n"))


def reach_table_reached(programme_id: int) -> int:
    return ProgrammeReach.objects.filter(programme_id=programme_id).count()


def reach_table_completed(programme_id: int) -> int:
    return ProgrammeReach.objects.filter(programme_id=programme_id, completed=True).count()


def reach_table_by(programme_id: int, column: str) -> dict[Any, int]:
    field = {"sex": "sex", "profession": "profession", "subdivision": "subdivision_id"}[column]
    return dict(_grouped(ProgrammeReach.objects.filter(programme_id=programme_id), field))
