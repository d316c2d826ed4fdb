"""Indicators across programmes and countries, aggregated in SQL on ``ReachYear``.

One ``GROUP BY`` per table on the year rollup (``rollups.py``), whatever the number of
people. ``naive_breakdown`` computes the same figures straight from enrolments with
``COUNT(DISTINCT person)``: the benchmark (``bench/indicators.py``) times both and the tests
prove they agree.

Published figures (donor viewers): every people count goes through ``disclosure.protect``
(small cells and complementary cells hidden, with the row, column and grand totals), and
the other measures of a row whose people count is hidden are hidden with it.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils.translation import gettext, gettext_lazy

from fortalece.cascade.models import Accreditation
from fortalece.cascade.selectors import cascade_generations
from fortalece.core.choices import Profession, Sex
from fortalece.geography.models import Country, Municipality, Subdivision
from fortalece.people.models import Institution
from fortalece.programmes.models import Programme, ProgrammePartner
from fortalece.programmes.policies import programme_policy
from fortalece.programmes.selectors import target_progress
from fortalece.reporting.disclosure import protect
from fortalece.reporting.narrative import Facts
from fortalece.reporting.selectors import publish_progress
from fortalece.training.models import Enrolment, ReachCube, ReachYear, Workshop
from fortalece.training.services.reach_rollups import ALL_YEARS

# Published sex columns: "other" and "not stated" together, so they are rarely a small cell.
SEX_COLUMNS = ("female", "male", "other")


def sex_column_labels() -> list[str]:
    return [gettext("Women"), gettext("Men"), gettext("Other / not stated")]


@dataclass(frozen=True)
class Breakdown:
    key: str
    label: Any
    column: str | None  # ReachYear column; None for the course-kind breakdowns
    partition: bool  # True: each person in one row (a total row is published)


BREAKDOWNS = [
    Breakdown("sex", gettext_lazy("Sex"), None, True),
    Breakdown("profession", gettext_lazy("Profession"), "profession", True),
    Breakdown("institution_kind", gettext_lazy("Institution type"), "institution_kind", True),
    Breakdown("institution", gettext_lazy("Institution"), "institution_id", True),
    Breakdown("country", gettext_lazy("Country"), "country_id", True),
    Breakdown("state", gettext_lazy("State"), "subdivision_id", True),
    Breakdown("municipality", gettext_lazy("Municipality"), "municipality_id", True),
    Breakdown("modality", gettext_lazy("Modality"), None, False),
    Breakdown("delivery", gettext_lazy("Online / in person"), None, False),
    Breakdown("ttt", gettext_lazy("Train-the-trainer or not"), None, False),
    Breakdown("year", gettext_lazy("Year"), "year", False),
]
BREAKDOWN_BY_KEY = {b.key: b for b in BREAKDOWNS}

# Course-kind rows: (key, label, ReachYear flag filter, naive enrolment filter).
COURSE_KIND_ROWS: dict[str, list[tuple[str, Any, Q, Any]]] = {
    "modality": [
        ("in_person", gettext_lazy("In person"), Q(in_person=True), "in_person"),
        ("online", gettext_lazy("Online"), Q(online=True), "online"),
        ("blended", gettext_lazy("Blended"), Q(blended=True), "blended"),
    ],
    "delivery": [
        (
            "online",
            gettext_lazy("Online (fully or blended)"),
            Q(online=True) | Q(blended=True),
            ("online", "blended"),
        ),
        (
            "in_person",
            gettext_lazy("In person (fully or blended)"),
            Q(in_person=True) | Q(blended=True),
            ("in_person", "blended"),
        ),
    ],
    "ttt": [
        ("ttt", gettext_lazy("Train-the-trainer course"), Q(train_the_trainer=True), True),
        ("other", gettext_lazy("Other courses"), Q(other_course=True), False),
    ],
}


@dataclass(frozen=True)
class IndicatorFilters:
    programme_ids: tuple[int, ...]
    year_from: int | None = None
    year_to: int | None = None
    country_id: int | None = None

    @property
    def single_year(self) -> bool:
        return self.year_from is not None and self.year_from == self.year_to


@dataclass
class Row:
    key: Any
    label: str
    people: list[int | None]  # per sex column, then the row total
    completed: int | None = None
    participations: int | None = None
    completions: int | None = None
    hours: Decimal | None = None
    hidden: list[bool] = field(default_factory=list)


def rows_for(filters: IndicatorFilters) -> QuerySet[ReachYear]:
    rows = ReachYear.objects.filter(programme_id__in=filters.programme_ids)
    if filters.year_from is not None:
        rows = rows.filter(year__gte=filters.year_from)
    if filters.year_to is not None:
        rows = rows.filter(year__lte=filters.year_to)
    if filters.country_id is not None:
        rows = rows.filter(country_id=filters.country_id)
    return rows


def _distinct(filters: IndicatorFilters) -> bool:
    """One programme and one year: a person has one row, so ``COUNT(*)`` counts people."""
    return not (len(filters.programme_ids) == 1 and filters.single_year)


def _people(filters: IndicatorFilters, condition: Q | None = None) -> Count:
    if _distinct(filters):
        return Count("person_id", distinct=True, filter=condition)
    return Count("pk", filter=condition)


def _sex_group() -> Case:
    return Case(
        When(sex=Sex.FEMALE, then=Value("female")),
        When(sex=Sex.MALE, then=Value("male")),
        default=Value("other"),
        output_field=CharField(),
    )


CUBE_COLUMNS = {
    "profession": "profession",
    "institution_kind": "institution__kind",
    "institution": "institution_id",
    "country": "institution__country_id",
    "state": "institution__subdivision_id",
    "municipality": "institution__municipality_id",
    "year": "year",
}


def uses_cube(filters: IndicatorFilters) -> bool:
    """One programme, and one year or every year: every figure is a sum over ``ReachCube``
    (its rows of that year, or its all-years rows, where a person is one row). A range of
    years counts distinct people on ``ReachYear``."""
    every_year = filters.year_from is None and filters.year_to is None
    return len(filters.programme_ids) == 1 and (filters.single_year or every_year)


def cube_for(filters: IndicatorFilters, *, by_year: bool = False) -> QuerySet[ReachCube]:
    """The cube rows of the filters; ``by_year``: the rows of each year (for the breakdown by
    year, whose rows are each exact), not the all-years ones."""
    rows = ReachCube.objects.filter(programme_id=filters.programme_ids[0])
    if filters.single_year and filters.year_from is not None:
        rows = rows.filter(year=filters.year_from)
    elif by_year:
        rows = rows.exclude(year=ALL_YEARS)
    else:
        rows = rows.filter(year=ALL_YEARS)
    if filters.country_id is not None:
        rows = rows.filter(institution__country_id=filters.country_id)
    return rows


def _source(
    filters: IndicatorFilters, *, by_year: bool = False
) -> tuple[QuerySet[Any], dict[str, Any], Any]:
    """The rows to aggregate, the measures on them, and how to count people under a
    condition: the cube when it gives exact answers, the year rollup otherwise."""
    measures: dict[str, Any]
    if uses_cube(filters):
        measures = {
            "m_people": Sum("people"),
            "m_completed": Sum("people", filter=Q(completed=True)),
            "m_participations": Sum("participations"),
            "m_completions": Sum("completions"),
            "m_hours": Sum("hours"),
        }
        return cube_for(filters, by_year=by_year), measures, lambda q: Sum("people", filter=q)
    measures = {
        "m_people": _people(filters),
        "m_completed": _people(filters, Q(completed=True)),
        "m_participations": Sum("participations"),
        "m_completions": Sum("completions"),
        "m_hours": Sum("hours"),
    }
    return rows_for(filters), measures, lambda q: _people(filters, q)


def headline(filters: IndicatorFilters) -> dict[str, Any]:
    """People trained (unique), who completed, participations, completions, hours."""
    rows, measures, _ = _source(filters)
    totals = rows.aggregate(**measures)
    return {k.removeprefix("m_"): (v or 0) for k, v in totals.items()}


def breakdown_counts(filters: IndicatorFilters, key: str) -> dict[Any, dict[str, Any]]:
    """Raw figures per breakdown value: ``{value: {"by_sex": {col: n}, measures…}}``."""
    spec = BREAKDOWN_BY_KEY[key]
    source, measures, people_where = _source(filters, by_year=key == "year")
    rows = source.annotate(sex_group=_sex_group())
    column = spec.column
    if column is not None and uses_cube(filters):
        column = CUBE_COLUMNS[key]
    result: dict[Any, dict[str, Any]] = {}

    def slot(value: Any) -> dict[str, Any]:
        return result.setdefault(
            value,
            {
                "by_sex": dict.fromkeys(SEX_COLUMNS, 0),
                "people": 0,
                "completed": 0,
                "participations": 0,
                "completions": 0,
                "hours": Decimal(0),
            },
        )

    # A person's sex is the same in all their rows, so per-sex unique counts add up to the
    # unique count of the row: one query per table.
    if key in COURSE_KIND_ROWS:
        kinds = COURSE_KIND_ROWS[key]
        aggregates = {f"k{n}": people_where(q) for n, (_, _, q, _) in enumerate(kinds)}
        record: dict[str, Any]
        for record in rows.order_by().values("sex_group").annotate(**aggregates):  # type: ignore[assignment]
            for n, (value, _, _, _) in enumerate(kinds):
                if record[f"k{n}"]:  # (None from SUM over no rows)
                    target = slot(value)
                    target["by_sex"][record["sex_group"]] += record[f"k{n}"]
                    target["people"] += record[f"k{n}"]
        return result

    group = ["sex_group"] if column is None else [column, "sex_group"]
    for record in rows.order_by().values(*group).annotate(**measures):  # type: ignore[assignment]
        value = record["sex_group"] if column is None else record[column]
        target = slot(value)
        target["by_sex"][record["sex_group"]] += record["m_people"]
        for name in ("people", "completed", "participations", "completions", "hours"):
            target[name] += record[f"m_{name}"] or 0
    return result


def labels_for(key: str, values: Sequence[Any]) -> dict[Any, str]:

    missing = gettext("Not recorded")
    if key == "sex":
        return {
            "female": gettext("Women"),
            "male": gettext("Men"),
            "other": gettext("Other / not stated"),
        }
    if key == "profession":
        return {k: str(v) for k, v in Profession.choices}
    if key == "institution_kind":
        return {k: str(v) for k, v in Institution.Kind.choices}
    if key in COURSE_KIND_ROWS:
        return {value: str(label) for value, label, _, _ in COURSE_KIND_ROWS[key]}
    if key == "year":
        return {v: str(v) for v in values}
    ids = [v for v in values if v is not None]
    names: dict[Any, str]
    if key == "institution":
        names = dict(Institution.objects.filter(pk__in=ids).values_list("pk", "name"))
    elif key == "state":
        names = dict(Subdivision.objects.filter(pk__in=ids).values_list("pk", "name"))
    elif key == "municipality":
        names = {
            m.pk: f"{m.name} ({m.subdivision.name})"
            for m in Municipality.objects.filter(pk__in=ids).select_related("subdivision")
        }
    elif key == "country":
        names = {c.pk: c.name for c in Country.objects.filter(pk__in=ids)}
    else:  # pragma: no cover - every key is handled above
        raise ValueError(key)
    names[None] = missing
    return names


def breakdown_table(filters: IndicatorFilters, key: str, *, suppress_small: bool) -> dict[str, Any]:
    """A breakdown ready to show: rows (largest first, hidden rows last in label order), the
    total row when each person is in one row, and whether anything is hidden."""
    spec = BREAKDOWN_BY_KEY[key]
    raw = breakdown_counts(filters, key)
    labels = labels_for(key, list(raw))
    order = sorted(
        raw,
        key=lambda v: (v if key == "year" else 0, -raw[v]["people"], labels.get(v, str(v))),
    )
    rows = [
        Row(
            key=value,
            label=labels.get(value, str(value)),
            people=[*(raw[value]["by_sex"][c] for c in SEX_COLUMNS), raw[value]["people"]],
            completed=raw[value]["completed"] if key not in COURSE_KIND_ROWS else None,
            participations=raw[value]["participations"] if key not in COURSE_KIND_ROWS else None,
            completions=raw[value]["completions"] if key not in COURSE_KIND_ROWS else None,
            hours=raw[value]["hours"] if key not in COURSE_KIND_ROWS else None,
        )
        for value in order
    ]
    # A person's row in a multi-year or multi-programme period can differ (they moved, or
    # took several kinds of course): then the rows overlap and no total row is published.
    partition = spec.partition
    total = None
    if partition:
        sums: list[int | None] = [
            sum(r.people[j] or 0 for r in rows) for j in range(len(SEX_COLUMNS))
        ]
        total = Row(
            key="total",
            label=gettext("Total"),
            people=[*sums, 0],
            completed=sum(r.completed or 0 for r in rows),
            participations=sum(r.participations or 0 for r in rows),
            completions=sum(r.completions or 0 for r in rows),
            hours=sum((r.hours or Decimal(0) for r in rows), Decimal(0)),
        )
        total.people[-1] = sum(n or 0 for n in total.people[:-1])
    minimum = settings.FORTALECE_MIN_CELL_SIZE
    hidden_any = False
    if suppress_small and rows:
        cells = [[n or 0 for n in r.people[:-1]] for r in rows]
        flags = protect(cells, minimum, column_totals=partition)
        for row, row_flags in zip(rows, flags, strict=False):
            row.hidden = row_flags
        if total is not None:
            total.hidden = flags[-1]
        completed_flags = protect([[r.completed or 0 for r in rows]], minimum, column_totals=False)
        for n, row in enumerate(rows):
            hide_row = row.hidden[-1]
            row.people = [None if h else v for v, h in zip(row.people, row.hidden, strict=True)]
            if hide_row or completed_flags[0][n]:
                row.completed = None
            if hide_row:
                row.participations = row.completions = row.hours = None
            hidden_any = hidden_any or any(row.hidden) or row.completed is None
        if total is not None:
            total.people = [
                None if h else v for v, h in zip(total.people, total.hidden, strict=True)
            ]
            if completed_flags[0][-1]:
                total.completed = None
            if total.hidden[-1]:
                total.participations = total.completions = total.hours = None
        visible = [r for r in rows if r.people[-1] is not None]
        rows = visible + sorted((r for r in rows if r.people[-1] is None), key=lambda r: r.label)
    return {
        "key": key,
        "label": spec.label,
        "rows": rows,
        "total": total,
        "partition": partition,
        "course_kind": key in COURSE_KIND_ROWS,
        "hidden_any": hidden_any,
        "columns": sex_column_labels(),
    }


def trend(filters: IndicatorFilters, *, suppress_small: bool) -> list[tuple[int, int | None]]:
    """People trained per year (unique within the year), small years hidden for donors."""
    minimum = settings.FORTALECE_MIN_CELL_SIZE
    distinct = len(filters.programme_ids) > 1
    people: Any = Count("person_id", distinct=True) if distinct else Count("pk")
    source: QuerySet[Any] = rows_for(filters)
    if not distinct and filters.programme_ids:
        # One programme: a person is one row a year, so the cube's sums are exact.
        source = ReachCube.objects.filter(programme_id=filters.programme_ids[0]).exclude(
            year=ALL_YEARS
        )
        if filters.year_from is not None:
            source = source.filter(year__gte=filters.year_from)
        if filters.year_to is not None:
            source = source.filter(year__lte=filters.year_to)
        if filters.country_id is not None:
            source = source.filter(institution__country_id=filters.country_id)
        people = Sum("people")
    series: list[tuple[int, int | None]] = [
        (year, n)
        for year, n in source.order_by()
        .values_list("year")
        .annotate(n=people)
        .values_list("year", "n")
    ]
    series.sort()
    if not suppress_small:
        return series
    return [(year, None if n is None or 0 < n < minimum else n) for year, n in series]


def accreditations(filters: IndicatorFilters) -> int:
    """Trainers accredited (active accreditations granted in the period)."""

    rows = Accreditation.objects.filter(
        rule__programme_id__in=filters.programme_ids, status=Accreditation.Status.ACTIVE
    )
    if filters.year_from is not None:
        rows = rows.filter(granted_on__gte=datetime.date(filters.year_from, 1, 1))
    if filters.year_to is not None:
        rows = rows.filter(granted_on__lte=datetime.date(filters.year_to, 12, 31))
    if filters.country_id is not None:
        rows = rows.filter(person__institution__country_id=filters.country_id)
    return rows.count()


def published_headline(
    figures: dict[str, Any], *, suppress_small: bool, minimum: int
) -> dict[str, Any]:
    """Donors: a headline people count below the minimum is hidden, with what it would tell."""
    if not suppress_small:
        return figures
    shown = dict(figures)
    for name in ("people", "completed", "accredited"):
        value = shown.get(name)
        if value is not None and 0 < value < minimum:
            shown[name] = None
    if shown["people"] is None:
        shown["participations"] = shown["completions"] = shown["hours"] = None
    return shown


# The same figures straight from enrolments (the baseline the rollup replaces).


def naive_enrolments(filters: IndicatorFilters) -> QuerySet[Any]:

    rows = Enrolment.objects.filter(
        Enrolment.COUNTED, workshop__programme_id__in=filters.programme_ids
    )
    if filters.year_from is not None:
        rows = rows.filter(workshop__start_date__gte=datetime.date(filters.year_from, 1, 1))
    if filters.year_to is not None:
        rows = rows.filter(workshop__start_date__lte=datetime.date(filters.year_to, 12, 31))
    if filters.country_id is not None:
        rows = rows.filter(person__institution__country_id=filters.country_id)
    return rows


NAIVE_COLUMNS = {
    "profession": "person__profession",
    "institution_kind": "person__institution__kind",
    "institution": "person__institution_id",
    "country": "person__institution__country_id",
    "state": "person__institution__subdivision_id",
    "municipality": "person__institution__municipality_id",
}


def naive_headline(filters: IndicatorFilters) -> dict[str, Any]:

    completed = Q(status=Enrolment.Status.COMPLETED)
    totals = naive_enrolments(filters).aggregate(
        people=Count("person_id", distinct=True),
        completed=Count("person_id", distinct=True, filter=completed),
        participations=Count("pk"),
        completions=Count("pk", filter=completed),
        hours=Sum("workshop__course__hours"),
    )
    return {k: (v or 0) for k, v in totals.items()}


def naive_breakdown(filters: IndicatorFilters, key: str) -> dict[Any, dict[str, int]]:
    """People per breakdown value and sex column with ``COUNT(DISTINCT person)``."""
    rows = naive_enrolments(filters).annotate(
        sex_group=Case(
            When(person__sex=Sex.FEMALE, then=Value("female")),
            When(person__sex=Sex.MALE, then=Value("male")),
            default=Value("other"),
            output_field=CharField(),
        )
    )
    result: dict[Any, dict[str, int]] = {}
    if key in COURSE_KIND_ROWS:
        for value, _, _, naive in COURSE_KIND_ROWS[key]:
            if key == "ttt":
                subset = rows.filter(workshop__course__is_train_the_trainer=naive)
            else:
                modalities = (naive,) if isinstance(naive, str) else naive
                subset = rows.filter(workshop__course__modality__in=modalities)
            counts = dict(
                subset.order_by()
                .values_list("sex_group")
                .annotate(n=Count("person_id", distinct=True))
                .values_list("sex_group", "n")
            )
            if counts:
                result[value] = {c: counts.get(c, 0) for c in SEX_COLUMNS}
        return result
    if key == "sex":
        counts = dict(
            rows.order_by()
            .values_list("sex_group")
            .annotate(n=Count("person_id", distinct=True))
            .values_list("sex_group", "n")
        )
        return {c: {**dict.fromkeys(SEX_COLUMNS, 0), c: n} for c, n in counts.items()}
    if key == "year":
        from django.db.models.functions import ExtractYear

        rows = rows.annotate(group=ExtractYear("workshop__start_date"))
        column = "group"
    else:
        column = NAIVE_COLUMNS[key]
    for value, sex, n in (
        rows.order_by()
        .values_list(column, "sex_group")
        .annotate(n=Count("person_id", distinct=True))
        .values_list(column, "sex_group", "n")
    ):
        result.setdefault(value, dict.fromkeys(SEX_COLUMNS, 0))[sex] = n
    return result


def rollup_breakdown(filters: IndicatorFilters, key: str) -> dict[Any, dict[str, int]]:
    """``breakdown_counts`` in the shape of ``naive_breakdown`` (people per sex column)."""
    return {
        value: dict(figures["by_sex"])
        for value, figures in breakdown_counts(filters, key).items()
        if sum(figures["by_sex"].values())
    }


def exact_for(user: Any, programme_ids: Sequence[int]) -> bool:
    """Exact figures only when the user sees exact figures for every chosen programme
    (administrators; managers and M&E officers whose scope covers it). Else published."""

    return programme_policy.sees_exact_figures(user, programme_ids)


def cascade_generations_table(
    programme_id: int, *, suppress_small: bool
) -> list[tuple[str, int | None]]:
    """People reached per cascade generation (the programme's whole history)."""

    rows = cascade_generations(programme_id=programme_id)
    counts = [n for _, n in rows]
    flags = (
        protect([counts], settings.FORTALECE_MIN_CELL_SIZE, column_totals=False)[0]
        if (suppress_small and counts)
        else [False] * (len(counts) + 1)
    )
    return [
        (gettext("Generation %(n)s") % {"n": generation}, None if hidden else n)
        for (generation, n), hidden in zip(rows, flags, strict=False)
    ]


def indicator_report(
    filters: IndicatorFilters, breakdown: str, *, suppress_small: bool
) -> dict[str, Any]:
    """Every figure of the indicators page, each table one ``GROUP BY`` on the rollup."""
    minimum = settings.FORTALECE_MIN_CELL_SIZE
    figures = headline(filters)
    figures["accredited"] = accreditations(filters)
    shown = published_headline(figures, suppress_small=suppress_small, minimum=minimum)
    table = breakdown_table(filters, breakdown, suppress_small=suppress_small)
    if suppress_small and shown["people"] is None:
        table["rows"], table["total"] = [], None
    programmes = list(Programme.objects.filter(pk__in=filters.programme_ids).order_by("name"))
    targets = []
    for programme in programmes[:12]:
        progress = target_progress(programme)
        if suppress_small:
            progress = publish_progress(progress, minimum=minimum)
        targets += [{**row, "programme": programme} for row in progress]
    generations: list[tuple[str, int | None]] = []
    if len(programmes) == 1:
        generations = cascade_generations_table(programmes[0].pk, suppress_small=suppress_small)
    return {
        "headline": shown,
        "table": table,
        "trend": trend(filters, suppress_small=suppress_small),
        "targets": targets,
        "generations": generations,
        "programmes": programmes,
        "minimum": minimum,
        "suppressed": suppress_small,
    }


def narrative_facts(filters: IndicatorFilters, *, suppress_small: bool) -> list[Any]:
    """One ``narrative.Facts`` per programme and country reached in the period, each with the
    ids and filters it came from. Donors: a group below the minimum gets no sentence, and the
    women/men bracket is left out when any of its parts is small."""
    from django.utils.translation import get_language

    minimum = settings.FORTALECE_MIN_CELL_SIZE
    people = Count("pk") if filters.single_year else Count("person_id", distinct=True)
    rows = rows_for(filters).order_by()
    groups: dict[tuple[int, int | None], dict[str, Any]] = {}
    for record in (
        rows.annotate(sex_group=_sex_group())
        .values("programme_id", "country_id", "sex_group")
        .annotate(n=people)
    ):
        key = (record["programme_id"], record["country_id"])
        groups.setdefault(key, {"female": 0, "male": 0, "other": 0})[record["sex_group"]] += record[
            "n"
        ]
    extras: dict[tuple[int, int | None], dict[str, Any]] = {
        (r["programme_id"], r["country_id"]): dict(r)
        for r in rows.values("programme_id", "country_id").annotate(
            people=people,
            states=Count("subdivision_id", distinct=True),
            others=Count("pk", filter=Q(other_course=True)),
        )
    }
    professions: dict[tuple[int, int | None], set[str]] = {}
    for row_programme, row_country, profession in rows.values_list(
        "programme_id", "country_id", "profession"
    ).distinct():
        professions.setdefault((row_programme, row_country), set()).add(profession)
    held = Workshop.objects.filter(
        programme_id__in=filters.programme_ids, validation=Workshop.Validation.VALIDATED
    ).filter(
        Exists(
            Enrolment.objects.filter(workshop=OuterRef("pk"), status__in=Enrolment.REACHED_STATUSES)
        )
    )
    if filters.year_from is not None:
        held = held.filter(start_date__gte=datetime.date(filters.year_from, 1, 1))
    if filters.year_to is not None:
        held = held.filter(start_date__lte=datetime.date(filters.year_to, 12, 31))
    workshops: dict[tuple[int, int | None], int] = {
        (r["programme_id"], r["country_id"]): r["n"]
        for r in held.order_by().values("programme_id", "country_id").annotate(n=Count("pk"))
    }
    spanish = (get_language() or "").startswith("es")
    countries = {c.pk: c for c in Country.objects.filter(pk__in=[k[1] for k in groups if k[1]])}
    implementers: dict[int, str] = {}
    for partner in ProgrammePartner.objects.filter(
        programme_id__in=filters.programme_ids, role=ProgrammePartner.PartnerRole.IMPLEMENTER
    ).select_related("organisation"):
        implementers.setdefault(partner.programme_id, str(partner.organisation))
    names = dict(Programme.objects.filter(pk__in=filters.programme_ids).values_list("pk", "name"))
    facts = []
    for (programme_id, country_id), sexes in sorted(
        groups.items(), key=lambda item: -extras[item[0]]["people"]
    ):
        country: Any = countries.get(country_id) if country_id else None
        if country is None:
            continue
        total = extras[(programme_id, country_id)]["people"]
        female: int | None = sexes["female"]
        male: int | None = sexes["male"]
        other: int | None = sexes["other"]
        if suppress_small:
            if total < minimum:
                continue
            if any(0 < n < minimum for n in sexes.values()):
                female = male = other = None
        facts.append(
            Facts(
                place=country.name_es if spanish else country.name_en,
                implementer=implementers.get(programme_id, ""),
                people=total,
                female=female,
                male=male,
                other=other,
                workshops=workshops.get((programme_id, country_id), 0),
                train_the_trainer=extras[(programme_id, country_id)]["others"] == 0,
                professions=tuple(sorted(professions.get((programme_id, country_id), ()))),
                states=extras[(programme_id, country_id)]["states"],
                year_from=filters.year_from,
                year_to=filters.year_to,
                source={
                    "programme_id": programme_id,
                    "programme": names.get(programme_id, ""),
                    "country_id": country_id,
                    "country": country.name,
                },
            )
        )
    return facts


def map_data(filters: IndicatorFilters, *, suppress_small: bool) -> dict[str, Any]:
    """People trained per Mexican state (with the rate per 100,000 inhabitants and per
    100,000 women from the 2020 census) and per country, suppressed like the tables."""

    states = breakdown_table(filters, "state", suppress_small=suppress_small)
    countries = breakdown_table(filters, "country", suppress_small=suppress_small)
    by_state = {row.key: row for row in states["rows"]}
    state_rows = []
    for state in Subdivision.objects.filter(country__code="MX").order_by("name"):
        row = by_state.get(state.pk)
        people = row.people[-1] if row else 0
        women = row.people[0] if row else 0
        state_rows.append(
            {
                "code": state.code.split("-")[-1],
                "name": state.name,
                "people": people,
                "women": women,
                "per_100k": _rate(people, state.population),
                "women_per_100k": _rate(women, state.population_female),
            }
        )
    codes = {
        c.pk: (c.alpha3, c.name)
        for c in Country.objects.filter(pk__in=[r.key for r in countries["rows"] if r.key])
    }
    country_rows = [
        {"code": codes[row.key][0], "name": codes[row.key][1], "people": row.people[-1]}
        for row in countries["rows"]
        if row.key in codes
    ]
    return {"states": state_rows, "countries": country_rows}


def _rate(count: int | None, population: int | None) -> float | None:
    """Per 100,000, one decimal; ``None`` when the count is hidden or the population unknown."""
    if count is None or not population:
        return None
    return round(100000 * count / population, 1)
