# ruff: noqa: S608 - SQL text is built from model table names and fixed fragments only;
# every value is passed as a query parameter.
"""Cascade figures in SQL: recursive CTEs that run on SQLite and PostgreSQL; who is accredited,
who is close, whose accreditation lapses soon.

The SQL mirrors ``fortalece.cascade.core.graph`` (the reference implementation the tests compare
against). Table names come from model metadata, every value is a query parameter.

The recursion keeps ``(root, person, generation)`` rows with ``UNION`` (which drops repeats) and
stops at ``MAX_GENERATIONS``, so bad data with loops can never recurse forever; loops are
reported by ``cascade_cycles``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from fortalece.cascade.core.accreditation import Criteria
from fortalece.cascade.core.graph import CascadeFigures
from fortalece.cascade.models import Accreditation, AccreditationRule, TrainerAssessment
from fortalece.people.models import Institution, Person
from fortalece.training.models import Enrolment, Workshop, WorkshopTrainer

MAX_GENERATIONS = 12
LAPSING_WITHIN_DAYS = 90


@dataclass(frozen=True)
class CascadeQuery:
    programme_id: int | None = None
    root_id: int | None = None
    root_ids: tuple[int, ...] = ()


def _tables() -> dict[str, str]:

    return {
        "trainer": WorkshopTrainer._meta.db_table,
        "enrolment": Enrolment._meta.db_table,
        "workshop": Workshop._meta.db_table,
        "person": Person._meta.db_table,
    }


def _cte(query: CascadeQuery) -> tuple[str, list[Any]]:

    t = _tables()
    # Only validated workshops count: a trainer's own roll-out waits for a manager.
    params: list[Any] = [
        Enrolment.Status.ATTENDED,
        Enrolment.Status.COMPLETED,
        Workshop.Validation.VALIDATED,
    ]
    programme_filter = ""
    if query.programme_id is not None:
        programme_filter = "AND w.programme_id = %s"
        params.append(query.programme_id)
    root_filter = ""
    if query.root_id is not None:
        root_filter = "WHERE trainer_id = %s"
        params.append(query.root_id)
    elif query.root_ids:
        root_filter = "WHERE trainer_id IN (" + ", ".join(["%s"] * len(query.root_ids)) + ")"
        params.extend(query.root_ids)
    params.append(MAX_GENERATIONS)
    sql = f"""
    WITH RECURSIVE
    edges(trainer_id, learner_id) AS (
        SELECT DISTINCT wt.person_id, e.person_id
        FROM {t["trainer"]} wt
        JOIN {t["enrolment"]} e ON e.workshop_id = wt.workshop_id
        JOIN {t["workshop"]} w ON w.id = wt.workshop_id
        WHERE e.status IN (%s, %s) AND w.validation = %s AND e.person_id <> wt.person_id
              {programme_filter}
    ),
    tree(root_id, person_id, depth) AS (
        SELECT trainer_id, learner_id, 1 FROM edges {root_filter}
        UNION
        SELECT tree.root_id, edges.learner_id, tree.depth + 1
        FROM tree JOIN edges ON edges.trainer_id = tree.person_id
        WHERE tree.depth < %s AND edges.learner_id <> tree.root_id
    ),
    firsts(root_id, person_id, depth) AS (
        SELECT root_id, person_id, MIN(depth) FROM tree GROUP BY root_id, person_id
    ),
    trainers(person_id) AS (SELECT DISTINCT trainer_id FROM edges)
    """
    return sql, params


def _fetch(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def cascade_figures(
    *,
    programme_id: int | None = None,
    root_id: int | None = None,
    root_ids: tuple[int, ...] | None = None,
) -> dict[int, CascadeFigures]:
    """Direct/indirect reach, depth and trainers trained for every trainer (or some)."""
    if root_ids is not None and not root_ids:
        return {}
    query = CascadeQuery(programme_id=programme_id, root_id=root_id, root_ids=root_ids or ())
    cte, params = _cte(query)
    sql = (
        cte
        + """
    SELECT f.root_id,
           SUM(CASE WHEN f.depth = 1 THEN 1 ELSE 0 END),
           SUM(CASE WHEN f.depth > 1 THEN 1 ELSE 0 END),
           MAX(f.depth),
           SUM(CASE WHEN tr.person_id IS NOT NULL THEN 1 ELSE 0 END)
    FROM firsts f LEFT JOIN trainers tr ON tr.person_id = f.person_id
    GROUP BY f.root_id
    """
    )
    return {
        row[0]: CascadeFigures(
            trainer_id=row[0],
            direct=int(row[1]),
            indirect=int(row[2]),
            depth=int(row[3]),
            trainers_trained=int(row[4]),
        )
        for row in _fetch(sql, params)
    }


def cascade_breakdown(
    *, root_id: int, by: str, programme_id: int | None = None
) -> list[tuple[Any, int, int]]:
    """A trainer's cascade by ``sex``, ``profession`` or ``subdivision``.

    Returns ``(value, direct, indirect)`` rows.
    """

    columns = {
        "sex": "p.sex",
        "profession": "p.profession",
        "subdivision": "i.subdivision_id",
    }
    if by not in columns:
        raise ValueError(f"Unknown breakdown {by!r}")
    cte, params = _cte(CascadeQuery(programme_id=programme_id, root_id=root_id))
    t = _tables()
    sql = (
        cte
        + f"""
    SELECT {columns[by]},
           SUM(CASE WHEN f.depth = 1 THEN 1 ELSE 0 END),
           SUM(CASE WHEN f.depth > 1 THEN 1 ELSE 0 END)
    FROM firsts f
    JOIN {t["person"]} p ON p.id = f.person_id
    JOIN {Institution._meta.db_table} i ON i.id = p.institution_id
    GROUP BY {columns[by]}
    ORDER BY 2 DESC
    """
    )
    return [(row[0], int(row[1]), int(row[2])) for row in _fetch(sql, params)]


def cascade_generations(
    *, programme_id: int | None = None, root_id: int | None = None
) -> list[tuple[int, int]]:
    """How many people each generation reaches: [(generation, people)], to see where it stops."""
    cte, params = _cte(CascadeQuery(programme_id=programme_id, root_id=root_id))
    if root_id is None:
        # Whole programme: generations counted from the master trainers (trainers nobody taught).
        sql = (
            cte
            + """
        , roots(person_id) AS (
            SELECT person_id FROM trainers
            WHERE person_id NOT IN (SELECT learner_id FROM edges)
        ),
        best(person_id, depth) AS (
            SELECT f.person_id, MIN(f.depth) FROM firsts f
            JOIN roots r ON r.person_id = f.root_id GROUP BY f.person_id
        )
        SELECT depth, COUNT(*) FROM best GROUP BY depth ORDER BY depth
        """
        )
    else:
        sql = cte + "SELECT depth, COUNT(*) FROM firsts GROUP BY depth ORDER BY depth"
    return [(int(row[0]), int(row[1])) for row in _fetch(sql, params)]


def cascade_cycles(*, programme_id: int | None = None) -> list[int]:
    """Trainers whose cascade leads back to themselves (a loop in the recorded lineage)."""
    cte, params = _cte(CascadeQuery(programme_id=programme_id))
    sql = (
        cte
        + """
    SELECT DISTINCT tree.root_id FROM tree
    JOIN edges ON edges.trainer_id = tree.person_id AND edges.learner_id = tree.root_id
    ORDER BY tree.root_id
    """
    )
    return [int(row[0]) for row in _fetch(sql, params)]


def cascade_children(*, trainer_id: int, programme_id: int | None = None) -> list[int]:
    """The people a trainer taught in person (generation 1), for drawing the tree lazily."""
    cte, params = _cte(CascadeQuery(programme_id=programme_id, root_id=trainer_id))
    return [int(r[0]) for r in _fetch(cte + "SELECT person_id FROM firsts WHERE depth = 1", params)]


# --- Accreditation: counted in SQL -----------------------------------------------------------


def accreditation_candidates(rule: AccreditationRule) -> QuerySet[Any]:
    """People who completed the train-the-trainer course, annotated with the other criteria."""

    today = timezone.localdate()
    completed = Enrolment.objects.filter(
        person=OuterRef("pk"),
        workshop__course=rule.ttt_course_id,
        status=Enrolment.Status.COMPLETED,
    )
    passed = TrainerAssessment.objects.filter(rule=rule, person=OuterRef("pk"), passed=True)
    cofacilitated = (
        WorkshopTrainer.objects.filter(
            person=OuterRef("pk"), workshop__course=rule.course_id, workshop__end_date__lte=today
        )
        .order_by()
        .values("person")
        .annotate(n=Count("workshop", distinct=True))
        .values("n")
    )
    return (
        Person.objects.filter(Exists(completed))
        .annotate(
            passed_assessment=Exists(passed),
            cofacilitations=Coalesce(
                Subquery(cofacilitated, output_field=IntegerField()), Value(0)
            ),
        )
        .select_related("institution")
    )


def accreditation_criteria(rule: AccreditationRule, row: Any) -> Criteria:
    """The criteria a row of ``accreditation_candidates`` meets."""
    return Criteria(
        completed_ttt=True,
        passed_assessment=bool(row.passed_assessment),
        cofacilitations=int(row.cofacilitations),
        needed_cofacilitations=rule.min_cofacilitations,
        assessment_required=rule.requires_assessment,
    )


def accreditation_overview(
    rule: AccreditationRule, *, today: datetime.date | None = None
) -> dict[str, Any]:
    """Accredited (current), lapsing within 90 days, expired or withdrawn, and close candidates."""
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=LAPSING_WITHIN_DAYS)
    accreditations = Accreditation.objects.filter(rule=rule).select_related(
        "person", "person__institution"
    )
    current = Q(status=Accreditation.Status.ACTIVE) & (
        Q(expires_on__isnull=True) | Q(expires_on__gte=today)
    )
    accredited_ids = accreditations.filter(current).values("person_id")
    close = []
    eligible = []
    for row in accreditation_candidates(rule).exclude(pk__in=accredited_ids)[:200]:
        criteria = accreditation_criteria(rule, row)
        if criteria.eligible:
            eligible.append((row, criteria))
        elif criteria.missing == 1:
            close.append((row, criteria))
    return {
        "accredited": accreditations.filter(current).order_by("expires_on"),
        "lapsing": accreditations.filter(current, expires_on__lte=soon).order_by("expires_on"),
        "lapsed": accreditations.exclude(current).order_by("-updated_at"),
        "eligible": eligible,
        "close": close,
    }
