# ruff: noqa: S608 - SQL text is built from the staging table's fixed name, model metadata and
# fixed fragments only; every value is a parameter or goes through COPY.
"""The set-based half of a people import on PostgreSQL.

The rows that pass the checks of one row at a time (``core.validate`` and the institution and
state lookups in ``services``) are ``COPY``-ed into a TEMP table; the checks that compare rows
with each other or with the registry (the same person twice in the file, a person already
registered) are then one statement each, returning row numbers, and the save is one
``INSERT … SELECT``. Python then holds no set of every key in the file, and no query runs per
row or per chunk.

The history of the new people (``privacy.PersonEvent``, written by a pghistory trigger for
every inserted row) is written by one ``INSERT … SELECT`` of the same columns in the same
statement: the trigger opens two subtransactions per row (its exception blocks), which made it
95 % of the save (5.1 s of 5.4 s for 20,000 rows here).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import pgtrigger
from django.db import connection
from django.utils import timezone

from fortalece.people.models import Institution, Person

TABLE = "imports_people_staging"
COLUMNS = (
    ("row", "integer"),
    ("key", "text"),  # the same person twice in the file: same email, or same name + place
    ("given_names", "text"),
    ("family_names", "text"),
    ("sex", "text"),
    ("profession", "text"),
    ("rank", "text"),
    ("email", "text"),
    ("phone", "text"),
    ("search_name", "text"),
    ("family_key", "text"),
    ("institution_id", "bigint"),  # NULL: to be created
    ("institution", "text"),  # as written in the file
    ("institution_lower", "text"),
    ("institution_key", "text"),  # folded, to create each missing institution once
    ("state_id", "bigint"),
)
HISTORY_TRIGGER = "people.Person:insert_insert"
BATCH = 5000  # rows held in memory at a time


@contextmanager
def staging_table() -> Iterator[None]:
    """A TEMP table of this connection, dropped afterwards (also when the import fails)."""
    columns = ", ".join(f"{name} {kind}" for name, kind in COLUMNS)
    # Inside a transaction the table goes with it (a failed statement there leaves nothing
    # that could run a DROP); outside one (the check) it is dropped here.
    in_transaction = connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{TABLE}")
        cursor.execute(
            f"CREATE TEMP TABLE {TABLE} ({columns}, registered boolean DEFAULT false)"
            + (" ON COMMIT DROP" if in_transaction else "")
        )
    try:
        yield
    finally:
        if not in_transaction and connection.is_usable():
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{TABLE}")


def stage(rows: Iterable[tuple[Any, ...]], progress: Callable[[int], None]) -> None:
    """COPY rows (in COLUMNS' order) into the staging table as they are read, BATCH at a
    time: between batches ``progress`` gets the last row number (the connection cannot run
    another statement while a COPY is open on it)."""
    names = ", ".join(name for name, _ in COLUMNS)
    rows = iter(rows)
    with connection.cursor() as cursor:
        while batch := list(itertools.islice(rows, BATCH)):
            # The raw cursor's COPY raises psycopg's errors: Django's, like any other query.
            with (
                connection.wrap_database_errors,
                cursor.cursor.copy(f"COPY {TABLE} ({names}) FROM STDIN") as copy,
            ):
                for row in batch:
                    copy.write_row(row)
            progress(batch[-1][0])
        cursor.execute(f"CREATE INDEX ON {TABLE} (key, row)")
        cursor.execute(f"ANALYZE {TABLE}")


def mark_registered() -> None:
    """The rule of ``services._registered``, for every staged row at once: the same email
    (any case), or without an email the same normalised name at an institution of the same
    name — anywhere in the registry, not only where the importer can see."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {TABLE} s SET registered = true
            WHERE s.email <> '' AND EXISTS (
                SELECT 1 FROM people_person p WHERE lower(p.email) = s.email
            )
            """
        )
        cursor.execute(
            f"""
            UPDATE {TABLE} s SET registered = true
            WHERE s.email = '' AND EXISTS (
                SELECT 1 FROM people_person p
                JOIN people_institution i ON i.id = p.institution_id
                WHERE p.search_name = s.search_name
                  AND (s.institution_lower = '' OR lower(i.name) = s.institution_lower)
            )
            """
        )


def repeated_rows() -> list[tuple[int, bool]]:
    """(row, has an email) of every row whose person an earlier row names already."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT row, email <> '' FROM (
                SELECT row, email, row_number() OVER (PARTITION BY key ORDER BY row) AS n
                FROM {TABLE}
            ) t WHERE n > 1 ORDER BY row
            """
        )
        return [(int(row), bool(has_email)) for row, has_email in cursor.fetchall()]


_FIRSTS = f"""
    SELECT DISTINCT ON (key) key, row, registered, institution_id FROM {TABLE}
    ORDER BY key, row
"""


def counts() -> tuple[int, int]:
    """(new, existing) over the first row of each person, as the check counts them."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT count(*) FILTER (WHERE NOT (registered AND institution_id IS NOT NULL)),
                   count(*) FILTER (WHERE registered AND institution_id IS NOT NULL)
            FROM ({_FIRSTS}) f
            """
        )
        new, existing = cursor.fetchone()
    return int(new), int(existing)


def new_rows(limit: int) -> list[dict[str, Any]]:
    """The first ``limit`` rows that would add a person (for the fuzzy duplicate hints)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT s.row, s.given_names, s.family_names, s.email, s.phone, s.institution_id
            FROM {TABLE} s JOIN ({_FIRSTS}) f ON f.row = s.row
            WHERE NOT (s.registered AND s.institution_id IS NOT NULL)
            ORDER BY s.row LIMIT %s
            """,
            [limit],
        )
        names = ("row", "given_names", "family_names", "email", "phone", "institution_id")
        return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def create_missing_institutions() -> int:
    """One new institution per (folded name, state) the file names and the registry lacks,
    spelt as its first row spells it (as the row-by-row save did). Returns how many rows are
    still without an institution (none, unless the registry changed meanwhile)."""
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH firsts AS (
                SELECT DISTINCT ON (institution_key, state_id)
                       institution_key, state_id, institution AS name
                FROM {TABLE} WHERE institution_id IS NULL
                ORDER BY institution_key, state_id, row
            ), created AS (
                INSERT INTO people_institution
                       (name, kind, country_id, subdivision_id, created_at, updated_at)
                SELECT f.name, %s, sub.country_id, f.state_id, %s, %s
                FROM firsts f JOIN geography_subdivision sub ON sub.id = f.state_id
                RETURNING id, name, subdivision_id
            )
            UPDATE {TABLE} s SET institution_id = c.id
            FROM firsts f JOIN created c ON c.name = f.name AND c.subdivision_id = f.state_id
            WHERE s.institution_id IS NULL
              AND s.institution_key = f.institution_key AND s.state_id = f.state_id
            """,
            [Institution.Kind.OTHER, now, now],
        )
        cursor.execute(f"SELECT count(*) FROM {TABLE} WHERE institution_id IS NULL")
        (left,) = cursor.fetchone()
    return int(left)


def _history() -> str | None:
    """The event table and columns the history trigger on people writes, from the trigger
    itself (pghistory's ``Event``), so that this stays in step with the privacy app."""
    for _model, trigger in pgtrigger.registered(HISTORY_TRIGGER):
        event_model = getattr(trigger, "event_model", None)
        if event_model is None:
            continue
        person_columns = {str(f.column) for f in Person._meta.concrete_fields}
        values: list[str] = []
        columns: list[str] = []
        for field in event_model._meta.concrete_fields:
            column = str(field.column)
            if column == "pgh_id":
                continue
            expression = {
                "pgh_created_at": "NOW()",
                "pgh_label": "'{}'".format(getattr(trigger, "label", "insert")),
                "pgh_obj_id": "i.id",
                "pgh_context_id": "(SELECT _pgh_attach_context())",
            }.get(column)
            if expression is None and column in person_columns:
                expression = f'i."{column}"'
            if expression is None:
                raise ValueError(f"history column {column} is not known")
            columns.append(f'"{column}"')
            values.append(expression)
        table = event_model._meta.db_table
        return f'INSERT INTO "{table}" ({", ".join(columns)}) SELECT {", ".join(values)}'
    return None


# The columns of a person an import writes (besides created_at and updated_at), in the order
# of both writers: this module's INSERT … SELECT and services' COPY.
PERSON_COLUMNS = (
    "given_names",
    "family_names",
    "sex",
    "profession",
    "rank",
    "institution_id",
    "email",
    "phone",
    "search_name",
    "family_key",
)


def person_defaults() -> dict[str, Any]:
    """The other NOT NULL columns of a person that have a default, with it."""
    written = {*PERSON_COLUMNS, "created_at", "updated_at"}
    return {
        str(f.column): f.get_default()
        for f in Person._meta.concrete_fields
        if not f.primary_key and f.column not in written and not f.null and f.has_default()
    }


def insert_people() -> int:
    """Insert one person per staged row not registered yet, in file order, with their
    history rows; returns how many."""
    now = timezone.now()
    columns = list(PERSON_COLUMNS)
    defaults = person_defaults()
    names = [*columns, "created_at", "updated_at", *defaults]
    selected = [f"s.{c}" for c in columns] + ["%s", "%s"] + ["%s"] * len(defaults)
    insert = f"""
        INSERT INTO people_person ({", ".join(names)})
        SELECT {", ".join(selected)} FROM {TABLE} s WHERE NOT s.registered ORDER BY s.row
        RETURNING *
    """
    params = [now, now, *defaults.values()]
    history = _history()
    with connection.cursor() as cursor:
        if history is None:
            cursor.execute(f"WITH i AS ({insert}) SELECT count(*) FROM i", params)
            return int(cursor.fetchone()[0])
        with pgtrigger.ignore(HISTORY_TRIGGER):
            cursor.execute(
                f"WITH i AS ({insert}), h AS ({history} FROM i) SELECT count(*) FROM i", params
            )
            return int(cursor.fetchone()[0])
