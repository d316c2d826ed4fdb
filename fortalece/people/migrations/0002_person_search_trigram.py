"""Trigram index for partial, accent-insensitive name search on PostgreSQL.

``search_name`` holds the normalised name (lower case, no accents); the search filters it with
``LIKE '%word%'``, which a B-tree cannot serve but a ``pg_trgm`` GIN index can (a 1,000,000
person registry is searched in milliseconds instead of a sequential scan). SQLite has no such
index: there the migration does nothing.
"""

from django.db import migrations

INDEX = "people_person_search_name_trgm"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON people_person "
            "USING gin (search_name gin_trgm_ops)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
