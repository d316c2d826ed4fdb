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

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("referrals:service_detail", args=[self.pk])

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


class Pathway(models.Model):
    """The ordered steps a first responder follows for one kind of case in one state (or one
    municipality of it, where the route differs)."""

    class CaseKind(models.TextChoices):
        SEXUAL_VIOLENCE = "sexual_violence", _("Sexual violence")
        FAMILY_VIOLENCE = "family_violence", _("Family violence")
        FEMINICIDE_ATTEMPT = "feminicide_attempt", _("Attempted feminicide")
        TRAFFICKING = "trafficking", _("Human trafficking")
        FOREIGN_TOURIST = "foreign_tourist", _("A foreign tourist")
        GIRL = "girl", _("A girl (under 18)")

    country = models.ForeignKey("geography.Country", on_delete=models.PROTECT)
    subdivision = models.ForeignKey(
        "geography.Subdivision", on_delete=models.PROTECT, verbose_name=_("state")
    )
    municipality = models.ForeignKey(
        "geography.Municipality",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("municipality"),
        help_text=_("Only where the route differs from the rest of the state."),
    )
    case_kind = models.CharField(_("kind of case"), max_length=24, choices=CaseKind.choices)
    notes = models.TextField(_("notes"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("referral pathway")
        verbose_name_plural = _("referral pathways")
        ordering = ["subdivision__name", "municipality__name", "case_kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdivision", "case_kind"],
                condition=models.Q(municipality__isnull=True),
                name="referrals_pathway_one_per_state_kind",
                violation_error_message=_("This state already has a pathway for this case."),
            ),
            models.UniqueConstraint(
                fields=["subdivision", "municipality", "case_kind"],
                name="referrals_pathway_one_per_municipality_kind",
                violation_error_message=_("This municipality already has a pathway for this case."),
            ),
        ]

    def __str__(self) -> str:
        place = self.municipality.name if self.municipality else self.subdivision.name
        return f"{self.get_case_kind_display()} · {place}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("referrals:pathway_detail", args=[self.pk])


class PathwayStep(models.Model):
    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("order"))
    action = models.TextField(_("what to do"))
    never = models.TextField(_("what never to do"), blank=True)
    services = models.ManyToManyField(
        Service, blank=True, related_name="pathway_steps", verbose_name=_("services")
    )

    class Meta:
        verbose_name = _("pathway step")
        verbose_name_plural = _("pathway steps")
        ordering = ["pathway", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.order}. {self.action[:60]}"
