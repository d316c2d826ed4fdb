"""Reported figures beside counted reach, and the results framework's indicators with what
Fortalece counts for them. Reads aggregate in SQL (one query for all the figures of a
page); writes are services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from fortalece.core.choices import Sex
from fortalece.people.models import Institution
from fortalece.reporting import figures as pure
from fortalece.reporting.coverage import latest_headcounts
from fortalece.reporting.models import (
    ReportedFigure,
    ResultsIndicator,
    ResultsOutcome,
    ResultsPillar,
)
from fortalece.training.models import Enrolment, ProgrammeReach, ReachYear, Workshop

MAX_FIGURES = 60


@transaction.atomic
def reported_figure_save(*, form: Any, programme: Any) -> ReportedFigure:
    figure = form.save(commit=False)
    figure.programme = programme
    figure.full_clean()
    figure.save()
    return figure


@transaction.atomic
def pillar_create(*, programme: Any, number: int, title: str) -> ResultsPillar:
    pillar, _created = ResultsPillar.objects.update_or_create(
        programme=programme, number=number, defaults={"title": title}
    )
    return pillar


@transaction.atomic
def outcome_create(*, pillar: ResultsPillar, code: str, title: str) -> ResultsOutcome:
    outcome, _created = ResultsOutcome.objects.update_or_create(
        pillar=pillar, code=code, defaults={"title": title}
    )
    return outcome


@transaction.atomic
def indicator_save(*, form: Any) -> ResultsIndicator:
    indicator: ResultsIndicator = form.save()
    return indicator


def figures_beside_counted(
    figures: QuerySet[ReportedFigure], *, suppress_small: bool
) -> list[dict[str, Any]]:
    """Each reported figure with the people (and states) Fortalece counted for the same
    programme and years, and the flags of any disagreement; one query for them all."""
    rows = list(
        figures.select_related("programme").order_by("programme__name", "year_from", "pk")[
            :MAX_FIGURES
        ]
    )
    if not rows:
        return []
    measures: dict[str, Any] = {}
    for f in rows:
        where = Q(programme_id=f.programme_id, year__gte=f.year_from, year__lte=f.year_to)
        measures[f"p{f.pk}"] = Count("person_id", distinct=True, filter=where)
        measures[f"s{f.pk}"] = Count("subdivision_id", distinct=True, filter=where)
    counted = ReachYear.objects.filter(programme_id__in={f.programme_id for f in rows}).aggregate(
        **measures
    )
    minimum = settings.FORTALECE_MIN_CELL_SIZE
    reported = {f.pk: pure.Reported(f.pk, f.people, f.year_from, f.year_to, f.states) for f in rows}
    by_programme: dict[int, list[pure.Reported]] = {}
    for f in rows:
        by_programme.setdefault(f.programme_id, []).append(reported[f.pk])
    shrinking = [flag for group in by_programme.values() for flag in pure.inconsistent(group)]
    result: list[dict[str, Any]] = []
    for f in rows:
        people = counted[f"p{f.pk}"] or 0
        states = counted[f"s{f.pk}"] or 0
        flags = pure.against_counted(reported[f.pk], people, states if people else None)
        flags += [flag for flag in shrinking if flag.key == f.pk]
        shown: int | None = people
        if suppress_small and 0 < people < minimum:
            shown = None
            flags = [flag for flag in flags if flag.kind == "shrinks"]
        result.append(
            {
                "figure": f,
                "counted": shown,
                "counted_states": states if shown else None,
                "flags": flags,
                "difference": None if shown is None else f.people - people,
            }
        )
    others = {f.pk: f for f in rows}
    for row in result:
        for flag in row["flags"]:
            if flag.other:
                row.setdefault("against", []).append(others[flag.other])
    return result


def framework(programme: Any, *, suppress_small: bool) -> list[dict[str, Any]]:
    """Pillars → outcomes → indicators, each indicator with its counted value (whole history
    to date) and the reported figures linked to it."""
    indicators = list(
        ResultsIndicator.objects.filter(outcome__pillar__programme=programme)
        .select_related("outcome", "outcome__pillar")
        .prefetch_related("reported_figures")
        .order_by("outcome__pillar__number", "outcome__code", "pk")
    )
    actuals = counted_measures(programme, {i.measure for i in indicators})
    minimum = settings.FORTALECE_MIN_CELL_SIZE
    pillars: dict[int, dict[str, Any]] = {
        p.pk: {"pillar": p, "outcomes": {}} for p in programme.pillars.order_by("number")
    }
    for outcome in ResultsOutcome.objects.filter(pillar__programme=programme).order_by("code"):
        pillars[outcome.pillar_id]["outcomes"][outcome.pk] = {"outcome": outcome, "indicators": []}
    for indicator in indicators:
        actual = actuals.get(indicator.measure)
        count_measure = indicator.measure not in ("force_share", "reported")
        if suppress_small and count_measure and actual is not None and 0 < actual < minimum:
            actual = None
        small_share = 0 < actuals.get("force_trained", 0) < minimum
        if suppress_small and indicator.measure == "force_share" and small_share:
            actual = None
        reported = sorted(indicator.reported_figures.all(), key=lambda f: f.source_date)
        if indicator.measure == "reported" and reported:
            actual = Decimal(reported[-1].people)
        progress = None
        if actual is not None and indicator.target != indicator.baseline:
            progress = round(
                100
                * (Decimal(actual) - indicator.baseline)
                / (indicator.target - indicator.baseline),
                1,
            )
        pillars[indicator.outcome.pillar_id]["outcomes"][indicator.outcome_id]["indicators"].append(
            {"indicator": indicator, "actual": actual, "progress": progress, "reported": reported}
        )
    return [
        {"pillar": p["pillar"], "outcomes": list(p["outcomes"].values())} for p in pillars.values()
    ]


def counted_measures(programme: Any, wanted: set[str]) -> dict[str, Any]:
    """What Fortalece counts for each measure, for the programme's whole history."""
    values: dict[str, Any] = {}
    if wanted & {"people_reached", "people_completed", "women_reached"}:
        reach = ProgrammeReach.objects.filter(programme=programme).aggregate(
            people_reached=Count("pk"),
            people_completed=Count("pk", filter=Q(completed=True)),
            women_reached=Count("pk", filter=Q(sex=Sex.FEMALE)),
        )
        values.update(reach)
    if "workshops_held" in wanted:
        reached = Enrolment.objects.filter(
            workshop=OuterRef("pk"), status__in=Enrolment.REACHED_STATUSES
        )
        values["workshops_held"] = (
            Workshop.objects.filter(programme=programme, end_date__lt=timezone.localdate())
            .filter(Exists(reached))
            .count()
        )
    if "force_share" in wanted:
        values["force_share"], values["force_trained"] = force_share(programme)
    return values


def force_share(programme: Any) -> tuple[Decimal | None, int]:
    """Share (%) of the recorded force of the institutions in the programme's states (or
    countries) whose staff the programme trained."""
    states = list(programme.subdivisions.values_list("pk", flat=True))
    institutions = (
        Institution.objects.filter(subdivision__in=states)
        if states
        else Institution.objects.filter(country__in=programme.countries.values("pk"))
    )
    heads = latest_headcounts(institutions, timezone.localdate())
    force = heads.aggregate(n=Sum("count"))["n"]
    if not force:
        return None, 0
    trained = ReachYear.objects.filter(
        programme=programme, institution__in=heads.values("institution_id")
    ).aggregate(n=Count("person_id", distinct=True))["n"]
    return round(Decimal(100 * trained) / Decimal(force), 1), trained
