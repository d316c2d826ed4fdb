"""ReachCube rows over all years (year 0), filled from the year rows already there, so that
the indicators page sums them for one programme over every year instead of counting distinct
people over millions of year rows (docs/architecture.md, reach)."""

from django.db import migrations


def fill(apps, schema_editor):
    from fortalece.training.services.reach_rollups import ALL_YEARS, _all_years_cube_sql

    ReachCube = apps.get_model("training", "ReachCube")
    ReachCube.objects.filter(year=ALL_YEARS).delete()
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(_all_years_cube_sql("1 = 1", sign=1, upsert=False), [])


def empty(apps, schema_editor):
    apps.get_model("training", "ReachCube").objects.filter(year=0).delete()


class Migration(migrations.Migration):
    dependencies = [("training", "0004_reach_tables_from_reporting")]

    operations = [migrations.RunPython(fill, empty)]
