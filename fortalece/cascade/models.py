from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AccreditationRule(models.Model):
    """What makes someone an accredited trainer for a course, and for how long."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="accreditation_rules"
    )
    course = models.ForeignKey(
        "training.Course",
        on_delete=models.CASCADE,
        related_name="accreditation_rules",
        verbose_name=_("accredited to teach"),
    )
    ttt_course = models.ForeignKey(
        "training.Course",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("train-the-trainer course to complete"),
    )
    requires_assessment = models.BooleanField(_("must pass the trainer assessment"), default=True)
    min_cofacilitations = models.PositiveSmallIntegerField(
        _("workshops co-facilitated"),
        default=1,
        help_text=_("Workshops of the course the candidate must have co-facilitated or led."),
    )
    validity_months = models.PositiveSmallIntegerField(
        _("valid for (months)"), default=24, help_text=_("0 means it never expires.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("accreditation rule")
        verbose_name_plural = _("accreditation rules")
        ordering = ["course__title"]
        constraints = [
            models.UniqueConstraint(fields=["course"], name="accreditation_rule_one_per_course")
        ]

    def __str__(self) -> str:
        return str(self.course)


class TrainerAssessment(models.Model):
    """A candidate trainer's evaluation result (e.g. a teach-back seen by a master trainer)."""

    rule = models.ForeignKey(
        AccreditationRule, on_delete=models.CASCADE, related_name="assessments"
    )
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    passed = models.BooleanField(_("passed"))
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1, null=True, blank=True)
    assessed_on = models.DateField(_("assessed on"))
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("trainer assessment")
        verbose_name_plural = _("trainer assessments")
        ordering = ["-assessed_on"]

    def __str__(self) -> str:
        return f"{self.person} · {self.rule}"


class Accreditation(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Accredited")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    rule = models.ForeignKey(
        AccreditationRule, on_delete=models.CASCADE, related_name="accreditations"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="accreditations"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    granted_on = models.DateField(_("granted on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("accreditation")
        verbose_name_plural = _("accreditations")
        ordering = ["person__family_names", "person__given_names"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "person"], name="accreditation_unique"),
            models.CheckConstraint(
                name="accreditation_expiry_after_grant",
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=models.F("granted_on")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.rule}"


class AccreditationEvent(models.Model):
    """Append-only history: every grant, renewal and withdrawal with who, when and why."""

    class Action(models.TextChoices):
        GRANTED = "granted", _("Granted")
        RENEWED = "renewed", _("Renewed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    accreditation = models.ForeignKey(
        Accreditation, on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(max_length=12, choices=Action.choices)
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("accreditation event")
        verbose_name_plural = _("accreditation events")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.accreditation}"


class Award(models.Model):
    """An award or distinction, like the Social Merit Award of Michoacán's security ministry."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="awards")
    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="awards",
        verbose_name=_("related programme"),
    )
    title = models.CharField(_("award"), max_length=200)
    awarded_by = models.CharField(_("awarded by"), max_length=200)
    awarded_on = models.DateField(_("date"))
    description = models.TextField(_("description"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["-awarded_on"]

    def __str__(self) -> str:
        return self.title
