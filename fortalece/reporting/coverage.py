"""Coverage of a workforce: the share of each institution's (and state's) recorded
headcount that a programme trained, who is due for a refresher, and rates per 100,000
inhabitants and women. Every figure is one ``GROUP BY`` in SQL on ``Headcount``,
``ReachYear`` or ``Person``; the number of queries does not depend on the rows.

An institution's force is its latest headcount on or before the chosen day. People
trained are those of its staff in ``ReachYear`` for the chosen programmes (unique people,
by their current institution). A person is due for a refresher of a programme with
``refresher_months`` when their last completion in it is at least that old and they are not
enrolled or nominated in one of its workshops that has not started yet.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum

from fortalece.core.choices import Profession, Sex
from fortalece.geography.models import Subdivision
from fortalece.people.models import Institution, Person
from fortalece.reporting.disclosure import protect
from fortalece.reporting.models import Headcount, ReachYear
from fortalece.training.models import Enrolment


def latest_headcounts(institutions: QuerySet[Any], on: datetime.date) -> QuerySet[Headcount]:
    """Each institution's rows on its latest date on or before ``on``."""
    latest = (
        Headcount.objects.filter(institution=OuterRef("institution"), as_of__lte=on)
        .order_by("-as_of")
        .values("as_of")[:1]
    )
    return Headcount.objects.filter(
        institution__in=institutions.values("pk"), as_of__lte=on, as_of=Subquery(latest)
    )


def refresher_q(programmes: Sequence[Any], on: datetime.date) -> Q | None:
    """People (``Person`` rows) due for a refresher of any of ``programmes`` on ``on``."""

    conditions = []
    for programme in programmes:
        if not programme.refresher_months:
            continue
        cutoff = on - relativedelta(months=programme.refresher_months)
        mine = ReachYear.objects.filter(person=OuterRef("pk"), programme=programme)
        upcoming = Enrolment.objects.filter(
            person=OuterRef("pk"),
            workshop__programme=programme,
            workshop__start_date__gte=on,
            status__in=(Enrolment.Status.NOMINATED, Enrolment.Status.ENROLLED),
        )
        conditions.append(
            Q(Exists(mine.filter(last_completed_on__lte=cutoff)))
            & ~Q(Exists(mine.filter(last_completed_on__gt=cutoff)))
            & ~Q(Exists(upcoming))
        )
    result: Q | None = None
    for condition in conditions:
        result = condition if result is None else result | condition
    return result


def due_people(
    institutions: QuerySet[Any], programmes: Sequence[Any], on: datetime.date
) -> QuerySet[Any]:

    condition = refresher_q(programmes, on)
    if condition is None:
        return Person.objects.none()
    return Person.objects.filter(institution__in=institutions.values("pk")).filter(condition)


def _pct(part: int | None, whole: int | None) -> float | None:
    if part is None or not whole:
        return None
    return round(100 * part / whole, 1)


def _rate(count: int | None, population: int | None) -> float | None:
    if count is None or not population:
        return None
    return round(100000 * count / population, 1)


def coverage_report(
    *,
    institutions: QuerySet[Any],
    programmes: Sequence[Any],
    on: datetime.date,
    by: str,
    suppress_small: bool,
) -> dict[str, Any]:
    """Rows per institution (``by="institution"``) or state (``"state"``): force, women in
    the force, trained, women trained, shares, due for a refresher, rates per 100,000 (states);
    and a table by profession. Donors: trained and due counts below the minimum are hidden,
    with complementary cells, and the shares computed from them with them."""

    key = "institution_id" if by == "institution" else "institution__subdivision_id"
    heads = latest_headcounts(institutions, on).order_by()
    force = {
        row[key]: row
        for row in heads.values(key).annotate(
            force=Sum("count"), force_women=Sum("count", filter=Q(sex=Sex.FEMALE))
        )
    }
    counted = institutions.filter(pk__in=heads.values("institution_id"))
    ids = [p.pk for p in programmes]
    reach = ReachYear.objects.filter(
        programme_id__in=ids, institution__in=counted.values("pk"), year__lte=on.year
    ).order_by()
    trained = {
        row[key]: row
        for row in reach.values(key).annotate(
            trained=Count("person_id", distinct=True),
            trained_women=Count("person_id", distinct=True, filter=Q(sex=Sex.FEMALE)),
        )
    }
    due_key = "institution_id" if by == "institution" else "institution__subdivision_id"
    due = dict(
        due_people(counted, programmes, on)
        .order_by()
        .values(due_key)
        .annotate(n=Count("pk"))
        .values_list(due_key, "n")
    )
    keys = sorted(force, key=lambda k: (k is None, k))
    if by == "institution":
        names = {
            i.pk: (str(i), i.subdivision.name if i.subdivision else "")
            for i in Institution.objects.filter(pk__in=keys).select_related("subdivision")
        }
        places: dict[Any, Any] = {}
    else:
        states = {s.pk: s for s in Subdivision.objects.filter(pk__in=[k for k in keys if k])}
        names = {k: (states[k].name if k in states else "—", "") for k in keys}
        places = states
        everyone = dict(
            ReachYear.objects.filter(
                programme_id__in=ids, year__lte=on.year, subdivision_id__in=keys
            )
            .order_by()
            .values("subdivision_id")
            .annotate(n=Count("person_id", distinct=True))
            .values_list("subdivision_id", "n")
        )
    rows = []
    for k in keys:
        t = trained.get(k, {})
        women = t.get("trained_women", 0)
        rows.append(
            {
                "key": k,
                "name": names.get(k, ("—", ""))[0],
                "place": names.get(k, ("", ""))[1],
                "force": force[k]["force"] or 0,
                "force_women": force[k]["force_women"] or 0,
                "trained": t.get("trained", 0),
                "trained_women": women,
                "due": due.get(k, 0),
            }
        )
    minimum = settings.FORTALECE_MIN_CELL_SIZE
    if suppress_small and rows:
        cells = [[r["trained_women"], r["trained"] - r["trained_women"]] for r in rows]
        hidden = protect(cells, minimum)
        hidden_due = protect([[r["due"]] for r in rows], minimum)
        for r, flags, due_flags in zip(rows, hidden, hidden_due, strict=False):
            if flags[0]:
                r["trained_women"] = None
            if flags[2] or (flags[0] and flags[1]):
                r["trained"] = None
            if due_flags[0]:
                r["due"] = None
    for r in rows:
        r["share"] = _pct(r["trained"], r["force"])
        r["share_women"] = _pct(r["trained_women"], r["force_women"])
        state = places.get(r["key"])
        if state is not None:
            in_state = everyone.get(r["key"], 0)
            small = suppress_small and (r["trained"] is None or 0 < in_state < minimum)
            r["per_100k"] = _rate(None if small else in_state, state.population)
            r["women_per_100k"] = _rate(r["trained_women"], state.population_female)
    overall = reach.aggregate(
        trained=Count("person_id", distinct=True),
        trained_women=Count("person_id", distinct=True, filter=Q(sex=Sex.FEMALE)),
    )
    total = {
        "force": sum(r["force"] for r in rows),
        "force_women": sum(r["force_women"] for r in rows),
        "trained": overall["trained"] if all(r["trained"] is not None for r in rows) else None,
        "trained_women": overall["trained_women"]
        if all(r["trained_women"] is not None for r in rows)
        else None,
        "due": sum(r["due"] or 0 for r in rows)
        if all(r["due"] is not None for r in rows)
        else None,
    }
    total["share"] = _pct(total["trained"], total["force"])
    total["share_women"] = _pct(total["trained_women"], total["force_women"])
    return {
        "rows": rows,
        "total": total,
        "professions": profession_table(heads, reach, suppress_small=suppress_small),
        "minimum": minimum,
        "suppressed": suppress_small,
        "refresher": [p for p in programmes if p.refresher_months],
    }


def profession_table(
    heads: QuerySet[Headcount], reach: QuerySet[ReachYear], *, suppress_small: bool
) -> list[dict[str, Any]]:
    force = dict(heads.values("profession").annotate(n=Sum("count")).values_list("profession", "n"))
    trained = dict(
        reach.values("profession")
        .annotate(n=Count("person_id", distinct=True))
        .values_list("profession", "n")
    )
    labels = dict(Profession.choices)
    keys = sorted(force, key=lambda k: -(force[k] or 0))
    counts = [trained.get(k, 0) for k in keys]
    hidden = (
        [row[0] for row in protect([[n] for n in counts], settings.FORTALECE_MIN_CELL_SIZE)]
        if suppress_small and counts
        else [False] * len(counts)
    )
    return [
        {
            "label": labels.get(k, k),
            "force": force[k] or 0,
            "trained": None if flag else n,
            "share": None if flag else _pct(n, force[k]),
        }
        for k, n, flag in zip(keys, counts, hidden, strict=False)
    ]
