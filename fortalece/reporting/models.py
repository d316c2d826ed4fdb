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
