from django.db import models
from django.utils.translation import gettext_lazy as _

from fortalece.core.choices import Profession, Sex


class ProgrammeReach(models.Model):
    """One row per person reached by a programme, kept current by ``reach_refresh``.

    A person is *reached* by a programme when at least one of their enrolments in its
    workshops is attended or completed. The person's sex, profession and state are copied
    here so that the dashboard groups one narrow table instead of joining four large ones.
    """

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="reach"
    )
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="reach")
    sex = models.CharField(max_length=12, choices=Sex.choices)
    profession = models.CharField(max_length=32, choices=Profession.choices)
    subdivision = models.ForeignKey(
        "geography.Subdivision", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    first_reached_on = models.DateField(help_text="Start date of the first workshop attended.")
    completed = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("programme reach")
        verbose_name_plural = _("programme reach")
        constraints = [
            models.UniqueConstraint(fields=["programme", "person"], name="programme_reach_unique")
        ]
        indexes = [
            models.Index(fields=["programme", "sex"]),
            models.Index(fields=["programme", "profession"]),
            models.Index(fields=["programme", "subdivision"]),
            models.Index(fields=["programme", "first_reached_on"]),
            # Covers the headline count (reached, and completed) without reading the rows.
            models.Index(fields=["programme", "completed"]),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} · {self.programme_id}"


class ReachYear(models.Model):
    """One row per person, programme and calendar year in which the person attended a workshop
    (by the workshop's start date), kept current with ``ProgrammeReach`` (``rollups.py``).

    The indicators page reads only this table: the person's attributes and place are copied
    here, and each row carries that year's participations, completions, training hours and
    what kind of courses they were, so every breakdown is one ``GROUP BY`` on it.
    """

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="reach_years"
    )
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    sex = models.CharField(max_length=12, choices=Sex.choices)
    profession = models.CharField(max_length=32, choices=Profession.choices)
    institution = models.ForeignKey(
        "people.Institution", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    institution_kind = models.CharField(max_length=32)
    country = models.ForeignKey(
        "geography.Country", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    subdivision = models.ForeignKey(
        "geography.Subdivision", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    municipality = models.ForeignKey(
        "geography.Municipality", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    participations = models.PositiveIntegerField(help_text="Workshops attended or completed.")
    completions = models.PositiveIntegerField(help_text="Workshops completed.")
    hours = models.DecimalField(max_digits=9, decimal_places=1, help_text="Course hours.")
    in_person = models.BooleanField()
    online = models.BooleanField()
    blended = models.BooleanField()
    train_the_trainer = models.BooleanField(help_text="Attended a train-the-trainer course.")
    other_course = models.BooleanField(help_text="Attended a course that is not one.")
    completed = models.BooleanField()
    last_completed_on = models.DateField(null=True)

    class Meta:
        verbose_name = _("programme reach by year")
        verbose_name_plural = _("programme reach by year")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "person", "year"], name="reach_year_unique"
            )
        ]
        indexes = [models.Index(fields=["programme", "year"]), models.Index(fields=["person"])]

    def __str__(self) -> str:
        return f"{self.person_id} · {self.programme_id} · {self.year}"


class ReachCube(models.Model):
    """``ReachYear`` counted by programme, year, sex, profession, institution and kind of
    course: a few thousand rows a year however many people. Within one programme and one
    year a person has one ``ReachYear`` row, so these sums are exact counts of people there;
    the indicators page reads this table for one programme and one year (``indicators.py``),
    and ``ReachYear`` otherwise. Kept in step by ``rollups.reach_year_refresh`` (the people's
    old rows are subtracted and their new rows added, in SQL)."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    sex = models.CharField(max_length=12)
    profession = models.CharField(max_length=32)
    # 0 when the person had no institution; no database constraint so that 0 is allowed.
    institution = models.ForeignKey(
        "people.Institution", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    in_person = models.BooleanField()
    online = models.BooleanField()
    blended = models.BooleanField()
    train_the_trainer = models.BooleanField()
    other_course = models.BooleanField()
    completed = models.BooleanField()
    people = models.IntegerField()
    participations = models.IntegerField()
    completions = models.IntegerField()
    hours = models.DecimalField(max_digits=14, decimal_places=1)

    class Meta:
        verbose_name = _("programme reach summary")
        verbose_name_plural = _("programme reach summaries")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "programme",
                    "year",
                    "sex",
                    "profession",
                    "institution",
                    "in_person",
                    "online",
                    "blended",
                    "train_the_trainer",
                    "other_course",
                    "completed",
                ],
                name="reach_cube_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme_id} · {self.year} · {self.people}"
