"""``ReachYear``: people reached per programme and calendar year, kept in step with enrolments.

Maintained next to ``ProgrammeReach``: every refresh of a person's reach in a programme
recomputes that person's year rows with one ``DELETE`` and one ``INSERT … SELECT … GROUP BY``
(set-based, no rows through Python), and a rebuild is the same statement without the person
filter. Read by ``reporting/indicators.py``.

``ReachCube`` sums the year rows by programme, year and every breakdown; its rows with
``year = ALL_YEARS`` (0) sum each person's years first (flags and "completed" if any year has
them, participations, completions and hours added up), so that one programme over all years
is a sum too: a person has one such row per programme.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, transaction

from fortalece.people.models import Institution, Person
from fortalece.training.models import Course, Enrolment, ReachCube, ReachYear, Workshop
from fortalece.training.services.reach import reach_lock

CHUNK = 5000


def _year(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(EXTRACT(YEAR FROM {column}) AS integer)"
    return f"CAST(strftime('%%Y', {column}) AS integer)"


def _insert_sql(where: str, *, validated_only: bool = True) -> str:
    """The year rows of enrolments in ``where``; ``validated_only=False`` is for the migration
    that created the table, which ran before workshops had a validation state."""

    year = _year("w.start_date")
    return f"""
        INSERT INTO {ReachYear._meta.db_table}
            (programme_id, person_id, year, sex, profession, institution_id, institution_kind,
             country_id, subdivision_id, municipality_id, participations, completions, hours,
             in_person, online, blended, train_the_trainer, other_course, completed,
             last_completed_on)
        SELECT w.programme_id, e.person_id, {year}, p.sex, p.profession, p.institution_id,
               i.kind, i.country_id, i.subdivision_id, i.municipality_id,
               COUNT(*),
               SUM(CASE WHEN e.status = %s THEN 1 ELSE 0 END),
               SUM(c.hours),
               MAX(CASE WHEN c.modality = %s THEN 1 ELSE 0 END) = 1,
               MAX(CASE WHEN c.modality = %s THEN 1 ELSE 0 END) = 1,
               MAX(CASE WHEN c.modality = %s THEN 1 ELSE 0 END) = 1,
               MAX(CASE WHEN c.is_train_the_trainer THEN 1 ELSE 0 END) = 1,
               MAX(CASE WHEN c.is_train_the_trainer THEN 0 ELSE 1 END) = 1,
               MAX(CASE WHEN e.status = %s THEN 1 ELSE 0 END) = 1,
               MAX(CASE WHEN e.status = %s THEN COALESCE(e.completed_on, w.end_date) END)
        FROM {Enrolment._meta.db_table} e
        JOIN {Workshop._meta.db_table} w ON w.id = e.workshop_id
        JOIN {Course._meta.db_table} c ON c.id = w.course_id
        JOIN {Person._meta.db_table} p ON p.id = e.person_id
        JOIN {Institution._meta.db_table} i ON i.id = p.institution_id
        WHERE e.status IN (%s, %s) {"AND w.validation = %s" if validated_only else ""} {where}
        GROUP BY w.programme_id, e.person_id, {year}, p.sex, p.profession, p.institution_id,
                 i.kind, i.country_id, i.subdivision_id, i.municipality_id
    """  # noqa: S608 - table names from model metadata; values are parameters


def _params(*, validated_only: bool = True) -> list[Any]:

    completed = Enrolment.Status.COMPLETED
    return [
        completed,
        Course.Modality.IN_PERSON,
        Course.Modality.ONLINE,
        Course.Modality.BLENDED,
        completed,
        completed,
        Enrolment.Status.ATTENDED,
        completed,
        *([Workshop.Validation.VALIDATED] if validated_only else []),
    ]


CUBE_KEY = (
    "programme_id, year, sex, profession, COALESCE(institution_id, 0), in_person, online, "
    "blended, train_the_trainer, other_course, completed"
)
CUBE_COLUMNS = (
    "programme_id, year, sex, profession, institution_id, in_person, online, blended, "
    "train_the_trainer, other_course, completed"
)


def _add_on_conflict(cube: str) -> str:
    """Rows of the cube that exist already get the new figures added to theirs."""
    return f"""
        ON CONFLICT ({CUBE_COLUMNS}) DO UPDATE SET
            people = {cube}.people + excluded.people,
            participations = {cube}.participations + excluded.participations,
            completions = {cube}.completions + excluded.completions,
            hours = {cube}.hours + excluded.hours"""


def _cube_sql(where: str, *, sign: int, upsert: bool) -> str:
    """Add (``sign`` 1) or subtract (-1) the ReachYear rows matching ``where`` to the cube."""
    cube, year = ReachCube._meta.db_table, ReachYear._meta.db_table
    conflict = _add_on_conflict(cube) if upsert else ""
    return f"""
        INSERT INTO {cube} ({CUBE_COLUMNS}, people, participations, completions, hours)
        SELECT {CUBE_KEY}, {sign} * COUNT(*), {sign} * SUM(participations),
               {sign} * SUM(completions), {sign} * SUM(hours)
        FROM {year} WHERE {where}
        GROUP BY {CUBE_KEY} {conflict}
    """  # noqa: S608 - table names from model metadata; values are parameters


ALL_YEARS = 0  # ReachCube.year of the rows over every year

# A person's year rows in one programme, as one row: the same person (sex, profession and
# institution are copied from the person into every row), a flag if any year has it.
_PERSON_ALL_YEARS = """
    SELECT programme_id, MAX(sex) AS sex, MAX(profession) AS profession,
           COALESCE(MAX(institution_id), 0) AS institution_id,
           MAX(CASE WHEN in_person THEN 1 ELSE 0 END) = 1 AS in_person,
           MAX(CASE WHEN online THEN 1 ELSE 0 END) = 1 AS online,
           MAX(CASE WHEN blended THEN 1 ELSE 0 END) = 1 AS blended,
           MAX(CASE WHEN train_the_trainer THEN 1 ELSE 0 END) = 1 AS train_the_trainer,
           MAX(CASE WHEN other_course THEN 1 ELSE 0 END) = 1 AS other_course,
           MAX(CASE WHEN completed THEN 1 ELSE 0 END) = 1 AS completed,
           SUM(participations) AS participations, SUM(completions) AS completions,
           SUM(hours) AS hours
    FROM {year} WHERE {where} GROUP BY programme_id, person_id
"""
ALL_YEARS_KEY = (
    "programme_id, sex, profession, institution_id, in_person, online, blended, "
    "train_the_trainer, other_course, completed"
)


def _all_years_cube_sql(where: str, *, sign: int, upsert: bool) -> str:
    """Add (``sign`` 1) or subtract (-1) the all-years rows of the people whose year rows
    match ``where`` (all of a person's rows in a programme must match, or none)."""
    cube, year = ReachCube._meta.db_table, ReachYear._meta.db_table
    conflict = _add_on_conflict(cube) if upsert else ""
    people = _PERSON_ALL_YEARS.format(year=year, where=where)
    return f"""
        INSERT INTO {cube} ({CUBE_COLUMNS}, people, participations, completions, hours)
        SELECT programme_id, {ALL_YEARS}, sex, profession, institution_id, in_person, online,
               blended, train_the_trainer, other_course, completed, {sign} * COUNT(*),
               {sign} * SUM(participations), {sign} * SUM(completions), {sign} * SUM(hours)
        FROM ({people}) AS person_years
        GROUP BY {ALL_YEARS_KEY} {conflict}
    """  # noqa: S608 - table names from model metadata; values are parameters


def _cube_sqls(where: str, *, sign: int, upsert: bool) -> list[str]:
    """The statements that add or subtract the year rows in ``where``: by year, all years."""
    return [
        _cube_sql(where, sign=sign, upsert=upsert),
        _all_years_cube_sql(where, sign=sign, upsert=upsert),
    ]


@transaction.atomic
def reach_year_refresh(*, programme_id: int, person_ids: Iterable[int]) -> None:
    """Recompute the year rows of ``person_ids`` in one programme, and the cube with them."""
    ids = sorted(set(person_ids))
    reach_lock(programme_id=programme_id)
    for start in range(0, len(ids), CHUNK):
        chunk: Sequence[int] = ids[start : start + CHUNK]
        marks = ", ".join(["%s"] * len(chunk))
        mine = f"programme_id = %s AND person_id IN ({marks})"
        with connection.cursor() as cursor:
            for sql in _cube_sqls(mine, sign=-1, upsert=True):
                cursor.execute(sql, [programme_id, *chunk])
        ReachYear.objects.filter(programme_id=programme_id, person_id__in=chunk).delete()
        with connection.cursor() as cursor:
            cursor.execute(
                _insert_sql(f"AND w.programme_id = %s AND e.person_id IN ({marks})"),
                [*_params(), programme_id, *chunk],
            )
            for sql in _cube_sqls(mine, sign=1, upsert=True):
                cursor.execute(sql, [programme_id, *chunk])
        ReachCube.objects.filter(programme_id=programme_id, people=0).delete()


@transaction.atomic
def reach_year_rebuild(*, programme_id: int | None = None) -> int:
    """Rebuild the table (or one programme's rows) in one statement; the rows written."""
    reach_lock(programme_id=programme_id)
    rows = ReachYear.objects.all()
    params = _params()
    where = ""
    if programme_id is not None:
        rows = rows.filter(programme_id=programme_id)
        where = "AND w.programme_id = %s"
        params.append(programme_id)
    rows.delete()
    cube = ReachCube.objects.all()
    if programme_id is not None:
        cube = cube.filter(programme_id=programme_id)
    cube.delete()
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(where), params)
        written = cursor.rowcount
        cube_where = "1 = 1" if programme_id is None else "programme_id = %s"
        for sql in _cube_sqls(cube_where, sign=1, upsert=False):
            cursor.execute(sql, [] if programme_id is None else [programme_id])
    return written


@transaction.atomic
def reach_cube_rebuild(*, programme_id: int) -> None:
    """The cube of one programme again from its year rows."""
    reach_lock(programme_id=programme_id)
    ReachCube.objects.filter(programme_id=programme_id).delete()
    with connection.cursor() as cursor:
        for sql in _cube_sqls("programme_id = %s", sign=1, upsert=False):
            cursor.execute(sql, [programme_id])
