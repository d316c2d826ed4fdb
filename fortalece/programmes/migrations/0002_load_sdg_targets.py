from django.db import migrations


def load(apps, schema_editor):
    import csv
    from pathlib import Path

    SdgTarget = apps.get_model("programmes", "SdgTarget")
    path = Path(__file__).resolve().parent.parent / "data" / "sdg_targets.csv"
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            SdgTarget.objects.update_or_create(
                code=row["code"],
                defaults={"goal": int(row["goal"]), "title_en": row["title_en"], "title_es": row["title_es"]},
            )


class Migration(migrations.Migration):
    dependencies = [("programmes", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
