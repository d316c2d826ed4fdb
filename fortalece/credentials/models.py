from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fortalece.credentials.codes import display


class Certificate(models.Model):
    """Proof that a person completed a workshop. Verifiable by anyone who has the code."""

    class Language(models.TextChoices):
        SPANISH = "es", "Español"
        ENGLISH = "en", "English"

    enrolment = models.OneToOneField(
        "training.Enrolment", on_delete=models.PROTECT, related_name="certificate"
    )
    code = models.CharField(max_length=13, unique=True, editable=False)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.SPANISH
    )
    # Copied at issue time: a certificate states what was true when it was issued.
    holder_name = models.CharField(max_length=250)
    course_title = models.CharField(max_length=200)
    completed_on = models.DateField()
    issued_on = models.DateField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.TextField(blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return self.display_code

    def get_absolute_url(self) -> str:
        return reverse("credentials:verify", kwargs={"code": self.code})

    @property
    def display_code(self) -> str:
        return display(self.code)

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
