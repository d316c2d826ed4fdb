"""Keeps ``ProgrammeReach`` (one row per person reached per programme) in step with enrolments.

Every service that changes enrolments, attendance or a person's sex/profession/institution
calls ``reach_refresh`` for the people it touched, inside its own transaction. The rows are
recomputed from the enrolments table with set-based SQL, so refreshing 1 or 100,000 people
costs a handful of queries.
"""

from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import Min

from fortalece.people.models import Institution, Person
from fortalece.training.models import Enrolment, ProgrammeReach, Workshop

CHUNK = 5000
# The first key of the reach tables' advisory locks ("REAC"); the second is 0 for the whole
# table or a number derived from the programme id.
REACH_LOCK = 0x52454143


def reach_lock(*, programme_id: int | None) -> None:
    """Serialise writes to the reach tables (PostgreSQL advisory locks, released at commit).

    A whole rebuild excludes every other reach write; a programme's rebuild or refresh
    excludes the others of that programme (and whole rebuilds). Without it, two rebuilds at
    once both DELETE and then both INSERT the same (programme, person) rows: a unique
    violation; two refreshes could add a person's year rollup twice. SQLite serialises
    writers by itself. Called inside the caller's transaction; re-entrant."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        if programme_id is None:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, 0)", [REACH_LOCK])
        else:
            cursor.execute("SELECT pg_advisory_xact_lock_shared(%s, 0)", [REACH_LOCK])
            key = 1 + int(programme_id) % (2**31 - 2)
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [REACH_LOCK, key])


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


@transaction.atomic
def reach_refresh(*, programme_id: int, person_ids: Iterable[int]) -> None:
    """Recompute the reach rows of ``person_ids`` in one programme."""

    ids = sorted(set(person_ids))
    reach_lock(programme_id=programme_id)
    for chunk in _chunks(ids):
        reached = (
            Enrolment.objects.filter(
                workshop__programme_id=programme_id,
                person_id__in=chunk,
            )
            .filter(Enrolment.COUNTED)
            .values("person_id")
            .annotate(first=Min("workshop__start_date"))
        )
        first_by_person = {row["person_id"]: row["first"] for row in reached}
        completed = set(
            Enrolment.objects.filter(
                workshop__programme_id=programme_id,
                person_id__in=list(first_by_person),
                status=Enrolment.Status.COMPLETED,
                workshop__validation=Workshop.Validation.VALIDATED,
            ).values_list("person_id", flat=True)
        )
        ProgrammeReach.objects.filter(programme_id=programme_id, person_id__in=chunk).exclude(
            person_id__in=list(first_by_person)
        ).delete()
        people = Person.objects.filter(pk__in=list(first_by_person)).values(
            "pk", "sex", "profession", "institution__subdivision_id"
        )
        rows = [
            ProgrammeReach(
                programme_id=programme_id,
                person_id=p["pk"],
                sex=p["sex"],
                profession=p["profession"],
                subdivision_id=p["institution__subdivision_id"],
                first_reached_on=first_by_person[p["pk"]],
                completed=p["pk"] in completed,
            )
            for p in people
        ]
        ProgrammeReach.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["programme", "person"],
            update_fields=["sex", "profession", "subdivision", "first_reached_on", "completed"],
        )
    # The year rollup of the indicators page follows the same people.
    # local import: a cycle inside training (reach_rollups takes reach_lock from here).
    from fortalece.training.services.reach_rollups import reach_year_refresh

    reach_year_refresh(programme_id=programme_id, person_ids=ids)


def reach_refresh_people(*, person_ids: Iterable[int]) -> None:
    """Refresh every programme a person has enrolments in (after an edit or a merge)."""

    ids = sorted(set(person_ids))
    programme_ids = set(
        Enrolment.objects.filter(person_id__in=ids)
        .values_list("workshop__programme_id", flat=True)
        .distinct()
    ) | set(
        ProgrammeReach.objects.filter(person_id__in=ids)
        .values_list("programme_id", flat=True)
        .distinct()
    )
    for programme_id in sorted(programme_ids):
        reach_refresh(programme_id=programme_id, person_ids=ids)


@transaction.atomic
def reach_rebuild(*, programme_id: int | None = None) -> int:
    """Rebuild the reach table (or one programme's rows) from enrolments in one statement.

    Set-based ``INSERT … SELECT … GROUP BY``: nothing is loaded into Python, so it scales to
    millions of enrolments. Returns the number of rows written.
    """
    from django.utils import timezone

    reach_lock(programme_id=programme_id)
    rows = ProgrammeReach.objects.all()
    if programme_id is not None:
        rows = rows.filter(programme_id=programme_id)
    rows.delete()
    params: list[Any] = [
        Enrolment.Status.COMPLETED,
        timezone.now(),
        Enrolment.Status.ATTENDED,
        Enrolment.Status.COMPLETED,
        Workshop.Validation.VALIDATED,
    ]
    where = ""
    if programme_id is not None:
        where = "AND w.programme_id = %s"
        params.append(programme_id)
    sql = f"""
        INSERT INTO {ProgrammeReach._meta.db_table}
            (programme_id, person_id, sex, profession, subdivision_id, first_reached_on,
             completed, updated_at)
        SELECT w.programme_id, e.person_id, p.sex, p.profession, i.subdivision_id,
               MIN(w.start_date), MAX(CASE WHEN e.status = %s THEN 1 ELSE 0 END) = 1, %s
        FROM {Enrolment._meta.db_table} e
        JOIN {Workshop._meta.db_table} w ON w.id = e.workshop_id
        JOIN {Person._meta.db_table} p ON p.id = e.person_id
        JOIN {Institution._meta.db_table} i ON i.id = p.institution_id
        WHERE e.status IN (%s, %s) AND w.validation = %s {where}
        GROUP BY w.programme_id, e.person_id, p.sex, p.profession, i.subdivision_id
    """  # noqa: S608 - table names from model metadata; values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount
