from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """Append-only log of sign-ins, refused access, exports of personal data and API tokens.

    Who, what, where (path and IP address) and when (UTC). No names, emails or other personal
    data in ``detail``: a failed sign-in stores a hash of the identifier that was typed.
    """

    class Kind(models.TextChoices):
        LOGIN = "login", _("Signed in")
        LOGIN_FAILED = "login_failed", _("Sign-in failed")
        LOGOUT = "logout", _("Signed out")
        ACCESS_DENIED = "access_denied", _("Access refused")
        EXPORT = "export", _("Personal data exported")
        MFA_ENROLLED = "mfa_enrolled", _("Authenticator app set up")
        MFA_VERIFIED = "mfa_verified", _("Second factor given")
        MFA_FAILED = "mfa_failed", _("Second factor refused")
        MFA_RESET = "mfa_reset", _("Authenticator app removed by an administrator")
        ROLE_CHANGED = "role_changed", _("Role changed")
        ERASURE = "erasure", _("Personal data erased")
        TOKEN_CREATED = "token_created", _("API token created")
        TOKEN_REVOKED = "token_revoked", _("API token revoked")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    path = models.CharField(max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M:%S}"


class ScheduledRun(models.Model):
    """One row per periodic job per period: the scheduler enqueues a job only if it can insert
    this row, so two schedulers, a restart or a retry never run a period twice."""

    job = models.CharField(max_length=100)
    period = models.CharField(max_length=40)
    enqueued_at = models.DateTimeField(auto_now_add=True)
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        ordering = ["-enqueued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["job", "period"], name="scheduled_run_once_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.period}"
