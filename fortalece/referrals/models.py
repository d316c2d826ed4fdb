from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from fortalece.referrals.hours import Slot, state_tz

HTTP_ONLY = URLValidator(schemes=["http", "https"])


class Service(models.Model):
    """A service a victim can be referred to (directory entry)."""

    class Kind(models.TextChoices):
        JUSTICE_CENTRE = "justice_centre", _("Women's justice centre")
        DIF = "dif", _("DIF (family services)")
        SHELTER = "shelter", _("Shelter")
        PROSECUTOR = "prosecutor", _("Specialised prosecutor")
        HEALTH = "health", _("Health service")
        HOTLINE = "hotline", _("Hotline")
        POLICE = "police", _("Police / 911")
        LEGAL_AID = "legal_aid", _("Legal aid")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    offer = models.TextField(_("what they offer"), blank=True)
    populations = models.JSONField(_("who they serve"), default=list, blank=True)
    languages = models.CharField(_("languages"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    country = models.ForeignKey("geography.Country", on_delete=models.PROTECT)
    subdivision = models.ForeignKey("geography.Subdivision", on_delete=models.PROTECT)
    municipality = models.ForeignKey(
        "geography.Municipality", on_delete=models.SET_NULL, null=True, blank=True
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    whatsapp = models.CharField(_("WhatsApp"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True, validators=[HTTP_ONLY])
    open_24h = models.BooleanField(_("open 24 hours"), default=False)
    open_on_holidays = models.BooleanField(_("open on public holidays"), default=False)
    verified_on = models.DateField(_("last verified on"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["latitude", "longitude"], name="referrals_service_latlon")]

    def __str__(self) -> str:
        return self.name

    @property
    def tz(self):  # type: ignore[no-untyped-def]
        return state_tz(self.subdivision.code)

    def slots(self) -> list[Slot]:
        return [Slot(h.weekday, h.opens, h.closes, h.all_day) for h in self.hours.all()]


class OpeningHours(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(_("weekday (0 = Monday)"))
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"), help_text=_("Earlier than opening: closes next day."))
    all_day = models.BooleanField(_("all day"), default=False)

    class Meta:
        ordering = ["service", "weekday", "opens"]

    def __str__(self) -> str:
        return f"{self.weekday} {self.opens}-{self.closes}"
