from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fortalece.core.choices import Profession, Sex


class Institution(models.Model):
    class Kind(models.TextChoices):
        SECURITY_SECRETARIAT = "security_secretariat", _("Security secretariat")
        POLICE = "police", _("Police force")
        EMERGENCY_CENTRE = "emergency_centre", _("911 / emergency centre")
        PROSECUTION = "prosecution", _("Prosecutor's office (Fiscalía)")
        COURT = "court", _("Court / judiciary")
        FORENSIC = "forensic", _("Forensic service")
        LEGAL_AID = "legal_aid", _("Legal aid")
        WOMENS_JUSTICE_CENTRE = "womens_justice_centre", _("Women's Justice Centre")
        GOVERNMENT = "government", _("Other government agency")
        HOTEL = "hotel", _("Hotel / tourism business")
        NGO = "ngo", _("NGO / civil society")
        UNIVERSITY = "university", _("University")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=250)
    kind = models.CharField(_("type"), max_length=32, choices=Kind.choices)
    country = models.ForeignKey(
        "geography.Country", on_delete=models.PROTECT, verbose_name=_("country")
    )
    subdivision = models.ForeignKey(
        "geography.Subdivision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("state / subdivision"),
    )
    municipality = models.ForeignKey(
        "geography.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("municipality"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "country", "subdivision"], name="institution_unique_per_place"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("people:institution_detail", kwargs={"pk": self.pk})


class Person(models.Model):
    """One human being, however many courses they take."""

    given_names = models.CharField(_("given names"), max_length=120)
    family_names = models.CharField(_("family names"), max_length=120)
    sex = models.CharField(_("sex"), max_length=12, choices=Sex.choices, default=Sex.NOT_STATED)
    profession = models.CharField(_("profession"), max_length=32, choices=Profession.choices)
    rank = models.CharField(_("rank / position"), max_length=120, blank=True)
    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="people",
        verbose_name=_("institution"),
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("account"),
    )
    # Normalised copies for duplicate detection (lower case, no accents, single spaces).
    search_name = models.CharField(max_length=250, editable=False, db_index=True)
    family_key = models.CharField(max_length=60, editable=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["family_names", "given_names", "id"]
        indexes = [
            models.Index(fields=["email"], name="person_email_idx", condition=~Q(email="")),
            models.Index(fields=["phone"], name="person_phone_idx", condition=~Q(phone="")),
            # The people list's order: its first page without sorting a million rows.
            models.Index(
                fields=["family_names", "given_names", "id"], name="person_name_order_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("people:person_detail", kwargs={"pk": self.pk})

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_names}".strip()


class PersonMerge(models.Model):
    """A record that a duplicate was merged into ``kept``: who, when, and what was moved."""

    kept = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="merges")
    merged_person_id = models.BigIntegerField()
    merged_name = models.CharField(max_length=250)
    moved_enrolments = models.PositiveIntegerField(default=0)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    merged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("person merge")
        verbose_name_plural = _("person merges")
        ordering = ["-merged_at"]

    def __str__(self) -> str:
        return f"{self.merged_name} → {self.kept}"
