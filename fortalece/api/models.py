from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A personal access token: acts for its user, never beyond the user's own rights, and
    narrowed further to reading only and/or to some programmes. Only a hash is stored; the
    token itself is shown once, when it is created."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    can_write = models.BooleanField(_("may change data"), default=False)
    programmes = models.ManyToManyField(
        "programmes.Programme",
        blank=True,
        related_name="+",
        verbose_name=_("only these programmes"),
        help_text=_("Leave empty for every programme you may see."),
    )
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_usable(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()


class KoboFeed(models.Model):
    """Where a KoboToolbox project's "REST Services" push their submissions: each submission
    becomes a survey response of ``link`` (so it joins the instrument's collected answers),
    once per submission uuid. The secret is stored as a hash and shown once."""

    link = models.OneToOneField(
        "impact.SurveyLink", on_delete=models.CASCADE, related_name="kobo_feed"
    )
    code_field = models.CharField(
        _("pseudonymous code field"),
        max_length=100,
        blank=True,
        help_text=_(
            "The form's field holding the respondent's pseudonymous code (to pair answers "
            "before and after training). Empty: each submission is its own respondent."
        ),
    )
    secret_hash = models.CharField(max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_received_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("KoboToolbox feed")
        verbose_name_plural = _("KoboToolbox feeds")

    def __str__(self) -> str:
        return f"Kobo → {self.link}"


class KoboSubmission(models.Model):
    """A submission received from KoboToolbox, kept to make pushes idempotent."""

    feed = models.ForeignKey(KoboFeed, on_delete=models.CASCADE, related_name="submissions")
    uuid = models.CharField(max_length=64)
    response = models.ForeignKey(
        "impact.SurveyResponse", on_delete=models.CASCADE, related_name="+"
    )
    duplicate_code = models.BooleanField(default=False)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("KoboToolbox submission")
        verbose_name_plural = _("KoboToolbox submissions")
        constraints = [
            models.UniqueConstraint(fields=["feed", "uuid"], name="kobo_submission_once")
        ]

    def __str__(self) -> str:
        return self.uuid
