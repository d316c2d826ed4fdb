"""The reach tables move to the training app (the writes that change reach live there; reporting
only reads). State only: the tables keep their names and rows (training/0004 takes them over)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0005_workforce_figures_framework_saved_reports"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ProgrammeReach"),
                migrations.DeleteModel(name="ReachCube"),
                migrations.DeleteModel(name="ReachYear"),
            ],
            database_operations=[],
        )
    ]
