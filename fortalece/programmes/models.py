from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fortalece.core.choices import Profession


class Organisation(models.Model):
    """A donor, implementing agency or partner (EU, US INL, the Embassy of Canada, IBERO…)."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Government or embassy")
        MULTILATERAL = "multilateral", _("Multilateral organisation")
        UN = "un", _("UN entity")
        ACADEMIC = "academic", _("University or academic")
        CIVIL_SOCIETY = "civil_society", _("Civil society")
        PRIVATE = "private", _("Private sector")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    acronym = models.CharField(_("acronym"), max_length=32, blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.OTHER)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.acronym or self.name


class SdgTarget(models.Model):
    """A Sustainable Development Goal target (5.2, 16.1 …), loaded from a data file."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    goal = models.PositiveSmallIntegerField(_("goal"))
    title_en = models.CharField(_("title (English)"), max_length=400)
    title_es = models.CharField(_("title (Spanish)"), max_length=400)

    class Meta:
        verbose_name = _("SDG target")
        verbose_name_plural = _("SDG targets")
        ordering = ["goal", "code"]

    def __str__(self) -> str:
        return self.code


class Programme(models.Model):
    name = models.CharField(_("name"), max_length=200)
    code = models.SlugField(_("short code"), max_length=40, unique=True)
    description = models.TextField(_("description"), blank=True)
    countries = models.ManyToManyField(
        "geography.Country", related_name="programmes", verbose_name=_("countries")
    )
    subdivisions = models.ManyToManyField(
        "geography.Subdivision",
        related_name="programmes",
        blank=True,
        verbose_name=_("states / subdivisions"),
        help_text=_("Leave empty when the programme covers whole countries."),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    sdg_targets = models.ManyToManyField(SdgTarget, blank=True, verbose_name=_("SDG targets"))
    organisations = models.ManyToManyField(
        Organisation, through="ProgrammePartner", related_name="programmes", blank=True
    )
    refresher_months = models.PositiveSmallIntegerField(
        _("refresher due after (months)"),
        null=True,
        blank=True,
        help_text=_(
            "People who completed a course are due for a refresher this many months later. "
            "Leave empty when the programme has none."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-start_date", "name"]
        constraints = [
            models.CheckConstraint(
                name="programme_dates_ordered",
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                violation_error_message=_("The end date cannot be before the start date."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programmes:detail", kwargs={"pk": self.pk})


class ProgrammePartner(models.Model):
    class PartnerRole(models.TextChoices):
        DONOR = "donor", _("Donor")
        IMPLEMENTER = "implementer", _("Implementing partner")
        PARTNER = "partner", _("Partner")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT)
    role = models.CharField(_("role"), max_length=16, choices=PartnerRole.choices)

    class Meta:
        verbose_name = _("programme partner")
        verbose_name_plural = _("programme partners")
        ordering = ["role", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "organisation", "role"], name="programme_partner_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class Target(models.Model):
    """A programme target such as "75 people in 3 cities" or "600 liaisons"."""

    class Metric(models.TextChoices):
        PEOPLE_REACHED = "people_reached", _("People reached")
        PEOPLE_COMPLETED = "people_completed", _("People who completed a course")
        WORKSHOPS_HELD = "workshops_held", _("Workshops held")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="targets")
    description = models.CharField(_("description"), max_length=200)
    metric = models.CharField(
        _("what is counted"), max_length=20, choices=Metric.choices, default=Metric.PEOPLE_REACHED
    )
    value = models.PositiveIntegerField(_("target value"))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    subdivisions = models.ManyToManyField(
        "geography.Subdivision",
        blank=True,
        verbose_name=_("only in these states"),
    )
    profession = models.CharField(
        _("only this profession"), max_length=32, blank=True, choices=Profession.choices
    )

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["programme", "id"]
        constraints = [
            models.CheckConstraint(name="target_value_positive", condition=Q(value__gt=0))
        ]

    def __str__(self) -> str:
        return self.description
