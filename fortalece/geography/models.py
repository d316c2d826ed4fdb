from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Country(models.Model):
    """An ISO 3166-1 country, loaded by ``fortalece load_geography`` from pycountry."""

    code = models.CharField(_("ISO code"), max_length=2, unique=True)
    alpha3 = models.CharField(_("ISO alpha-3"), max_length=3, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=128)
    name_es = models.CharField(_("name (Spanish)"), max_length=128)

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["name_en"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_es if (get_language() or "").startswith("es") else self.name_en


class Subdivision(models.Model):
    """A first-level subdivision (ISO 3166-2): a Mexican federal entity, a region, a province."""

    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="subdivisions")
    code = models.CharField(_("ISO 3166-2 code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=128)
    kind = models.CharField(_("type"), max_length=64, blank=True)
    national_code = models.CharField(
        _("national statistics code"), max_length=10, blank=True, help_text=_("e.g. INEGI code")
    )
    population = models.PositiveIntegerField(_("population (2020 census)"), null=True, blank=True)
    population_female = models.PositiveIntegerField(_("women (2020 census)"), null=True, blank=True)
    population_male = models.PositiveIntegerField(_("men (2020 census)"), null=True, blank=True)

    class Meta:
        verbose_name = _("state / subdivision")
        verbose_name_plural = _("states / subdivisions")
        ordering = ["country__name_en", "name"]

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    subdivision = models.ForeignKey(
        Subdivision, on_delete=models.CASCADE, related_name="municipalities"
    )
    code = models.CharField(_("national code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=160)
    seat = models.CharField(_("municipal seat"), max_length=160, blank=True)
    # INEGI 2020 census; empty for municipalities created after the census.
    population = models.PositiveIntegerField(_("population (2020 census)"), null=True, blank=True)
    population_female = models.PositiveIntegerField(_("women (2020 census)"), null=True, blank=True)
    population_male = models.PositiveIntegerField(_("men (2020 census)"), null=True, blank=True)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["subdivision__name", "name"]
        indexes = [models.Index(fields=["subdivision", "name"])]

    def __str__(self) -> str:
        return self.name
