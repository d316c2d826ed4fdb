from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    """An uploaded CSV/XLSX file on its way into the registry: preview, mapping, validation, save.

    Nothing is written to the registry until the whole file validates; then every row is
    saved in one transaction.
    """

    class Kind(models.TextChoices):
        PEOPLE = "people", _("People")
        ENROLMENTS = "enrolments", _("Enrolments")
        ATTENDANCE = "attendance", _("Attendance")

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded — map the columns")
        QUEUED = "queued", _("Waiting for the worker")
        VALIDATING = "validating", _("Checking rows")
        INVALID = "invalid", _("Errors found — nothing saved")
        READY = "ready", _("Checked — ready to import")
        SAVING = "saving", _("Saving")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed — nothing saved")

    kind = models.CharField(_("what the file holds"), max_length=16, choices=Kind.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.UPLOADED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs"
    )
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, null=True, blank=True
    )
    workshop = models.ForeignKey(
        "training.Workshop", on_delete=models.CASCADE, null=True, blank=True
    )
    session = models.ForeignKey("training.Session", on_delete=models.CASCADE, null=True, blank=True)
    create_missing_institutions = models.BooleanField(default=False)
    # Enrolment lists: add the people the registry does not have yet (duplicate checks apply).
    create_missing_people = models.BooleanField(default=False)
    file = models.FileField(upload_to="imports/%Y/%m/")
    original_name = models.CharField(max_length=255)
    headers = models.JSONField(default=list)
    mapping = models.JSONField(default=dict, blank=True)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name
