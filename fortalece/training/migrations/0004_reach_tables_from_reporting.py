"""The reach tables, from the reporting app (see reporting/0006): state only, the tables and
their rows stay as they are."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('geography', '0002_population_2020'),
        ('people', '0002_person_search_trigram'),
        ('programmes', '0003_programme_refresher_months'),
        ('training', '0003_workshop_validation'),
        ('reporting', '0006_reach_tables_move_to_training'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ProgrammeReach',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('sex', models.CharField(choices=[('female', 'Female'), ('male', 'Male'), ('other', 'Other'), ('not_stated', 'Not stated')], max_length=12)),
                        ('profession', models.CharField(choices=[('police', 'Police officer'), ('emergency_operator', '911 / emergency call operator'), ('prosecutor', 'Prosecutor'), ('judge', 'Judge'), ('forensic', 'Forensic doctor / expert'), ('legal_aid', 'Legal aid'), ('victim_services', 'Victim service provider'), ('tourism', 'Hotel / tourism staff'), ('civil_society', 'Civil-society liaison'), ('public_official', 'Public official'), ('other', 'Other')], max_length=32)),
                        ('first_reached_on', models.DateField(help_text='Start date of the first workshop attended.')),
                        ('completed', models.BooleanField(default=False)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reach', to='people.person')),
                        ('programme', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reach', to='programmes.programme')),
                        ('subdivision', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='geography.subdivision')),
                    ],
                    options={
                        'verbose_name': 'programme reach',
                        'verbose_name_plural': 'programme reach',
                        'db_table': 'reporting_programmereach',
                        'indexes': [models.Index(fields=['programme', 'sex'], name='reporting_p_program_0ee619_idx'), models.Index(fields=['programme', 'profession'], name='reporting_p_program_5ab291_idx'), models.Index(fields=['programme', 'subdivision'], name='reporting_p_program_977a8e_idx'), models.Index(fields=['programme', 'first_reached_on'], name='reporting_p_program_caa914_idx'), models.Index(fields=['programme', 'completed'], name='reporting_p_program_94e465_idx')],
                        'constraints': [models.UniqueConstraint(fields=('programme', 'person'), name='programme_reach_unique')],
                    },
                ),
                migrations.CreateModel(
                    name='ReachCube',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField()),
                        ('sex', models.CharField(max_length=12)),
                        ('profession', models.CharField(max_length=32)),
                        ('in_person', models.BooleanField()),
                        ('online', models.BooleanField()),
                        ('blended', models.BooleanField()),
                        ('train_the_trainer', models.BooleanField()),
                        ('other_course', models.BooleanField()),
                        ('completed', models.BooleanField()),
                        ('people', models.IntegerField()),
                        ('participations', models.IntegerField()),
                        ('completions', models.IntegerField()),
                        ('hours', models.DecimalField(decimal_places=1, max_digits=14)),
                        ('institution', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='people.institution')),
                        ('programme', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='programmes.programme')),
                    ],
                    options={
                        'verbose_name': 'programme reach summary',
                        'verbose_name_plural': 'programme reach summaries',
                        'db_table': 'reporting_reachcube',
                        'constraints': [models.UniqueConstraint(fields=('programme', 'year', 'sex', 'profession', 'institution', 'in_person', 'online', 'blended', 'train_the_trainer', 'other_course', 'completed'), name='reach_cube_key')],
                    },
                ),
                migrations.CreateModel(
                    name='ReachYear',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField()),
                        ('sex', models.CharField(choices=[('female', 'Female'), ('male', 'Male'), ('other', 'Other'), ('not_stated', 'Not stated')], max_length=12)),
                        ('profession', models.CharField(choices=[('police', 'Police officer'), ('emergency_operator', '911 / emergency call operator'), ('prosecutor', 'Prosecutor'), ('judge', 'Judge'), ('forensic', 'Forensic doctor / expert'), ('legal_aid', 'Legal aid'), ('victim_services', 'Victim service provider'), ('tourism', 'Hotel / tourism staff'), ('civil_society', 'Civil-society liaison'), ('public_official', 'Public official'), ('other', 'Other')], max_length=32)),
                        ('institution_kind', models.CharField(max_length=32)),
                        ('participations', models.PositiveIntegerField(help_text='Workshops attended or completed.')),
                        ('completions', models.PositiveIntegerField(help_text='Workshops completed.')),
                        ('hours', models.DecimalField(decimal_places=1, help_text='Course hours.', max_digits=9)),
                        ('in_person', models.BooleanField()),
                        ('online', models.BooleanField()),
                        ('blended', models.BooleanField()),
                        ('train_the_trainer', models.BooleanField(help_text='Attended a train-the-trainer course.')),
                        ('other_course', models.BooleanField(help_text='Attended a course that is not one.')),
                        ('completed', models.BooleanField()),
                        ('last_completed_on', models.DateField(null=True)),
                        ('country', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='geography.country')),
                        ('institution', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='people.institution')),
                        ('municipality', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='geography.municipality')),
                        ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='people.person')),
                        ('programme', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reach_years', to='programmes.programme')),
                        ('subdivision', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='geography.subdivision')),
                    ],
                    options={
                        'verbose_name': 'programme reach by year',
                        'verbose_name_plural': 'programme reach by year',
                        'db_table': 'reporting_reachyear',
                        'indexes': [models.Index(fields=['programme', 'year'], name='reporting_r_program_19d60f_idx'), models.Index(fields=['person'], name='reporting_r_person__fa92ce_idx')],
                        'constraints': [models.UniqueConstraint(fields=('programme', 'person', 'year'), name='reach_year_unique')],
                    },
                ),
            ],
            database_operations=[],
        )
    ]
