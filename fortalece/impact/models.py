from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class SurveyInstrument(models.Model):
    """A versioned questionnaire with its indices, kept as its XLSForm and as parsed JSON."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="instruments"
    )
    title = models.CharField(_("title"), max_length=200)
    version = models.CharField(_("version"), max_length=40)
    xlsform = models.FileField(upload_to="instruments/%Y/")
    definition = models.JSONField(default=dict)
    warnings = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        ordering = ["title", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "title", "version"], name="instrument_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"

    def get_absolute_url(self) -> str:
        return reverse("impact:instrument_detail", kwargs={"pk": self.pk})


class Study(models.Model):
    """A trained-vs-comparison analysis of one instrument's answers."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Check the columns, then run")
        QUEUED = "queued", _("Waiting for the worker")
        RUNNING = "running", _("Analysing")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="studies"
    )
    instrument = models.ForeignKey(
        SurveyInstrument, on_delete=models.PROTECT, related_name="studies"
    )
    title = models.CharField(_("title"), max_length=200)
    data = models.FileField(upload_to="studies/%Y/")
    data_name = models.CharField(max_length=255)
    rows = models.PositiveIntegerField(default=0)
    group_column = models.CharField(_("group column"), max_length=100)
    treated_value = models.CharField(_("value for trained respondents"), max_length=100)
    # Blank: the group column must hold exactly one other value, which is the comparison.
    comparison_value = models.CharField(
        _("value for comparison respondents"), max_length=100, blank=True, default=""
    )
    covariates = models.JSONField(default=list, blank=True)
    # Columns to break every index down by (resolved names); empty: sex, profession and state
    # when the file has them.
    subgroups = models.JSONField(default=list, blank=True)
    column_map = models.JSONField(
        default=dict, blank=True, help_text="File header -> question name overrides."
    )
    cluster = models.CharField(_("cluster column"), max_length=100, blank=True)
    reading = models.JSONField(
        default=dict,
        blank=True,
        help_text='How answers are read: {"keep": [codes], "missing": [codes], '
        '"unknown": "refuse" | "missing"}.',
    )

    class Design(models.TextChoices):
        POST = "post", _("Trained vs comparison, after training")
        PREPOST = "prepost", _("The trained, before and after")
        DID = "did", _("Both groups, before and after (difference in differences)")
        FOLLOWUP = "followup", _("The trained, after training and at a follow-up months later")

    design = models.CharField(
        _("design"), max_length=10, choices=Design.choices, default=Design.POST
    )
    wave_column = models.CharField(_("wave column"), max_length=100, blank=True)
    pre_value = models.CharField(_("value for answers before training"), max_length=100, blank=True)
    post_value = models.CharField(_("value for answers after training"), max_length=100, blank=True)
    followup_value = models.CharField(_("value for follow-up answers"), max_length=100, blank=True)
    code_column = models.CharField(_("respondent code column"), max_length=100, blank=True)
    seed = models.PositiveIntegerField(_("random seed"), default=1)
    draws = models.PositiveIntegerField(_("bootstrap draws"), default=500)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)  # English, as the command line prints it
    # The same as a message to translate (impact/texts.py): {"text", "params", "en"}.
    error_message = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("study")
        verbose_name_plural = _("studies")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("impact:study_detail", kwargs={"pk": self.pk})


class SurveyLink(models.Model):
    """A link people open on their phone to answer an instrument, with no account.

    Participants of a workshop answer before and after it; a comparison link is for people who
    were not trained. Answers are tied to a self-generated pseudonymous code, never to a name.
    """

    class Wave(models.TextChoices):
        PRE = "pre", _("Before training")
        POST = "post", _("After training")
        FOLLOWUP = "followup", _("Follow-up, months after training")

    class Audience(models.TextChoices):
        TRAINED = "trained", _("Workshop participants")
        COMPARISON = "control", _("Comparison group (not trained)")

    instrument = models.ForeignKey(SurveyInstrument, on_delete=models.PROTECT, related_name="links")
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="survey_links"
    )
    workshop = models.ForeignKey(
        "training.Workshop",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="survey_links",
    )
    wave = models.CharField(_("when"), max_length=8, choices=Wave.choices)
    audience = models.CharField(_("who answers"), max_length=10, choices=Audience.choices)
    token = models.CharField(max_length=32, unique=True, editable=False)
    active = models.BooleanField(_("open for answers"), default=True)
    # Kirkpatrick level 3: on a workshop's post-test link, a follow-up link is created and
    # e-mailed to the trainers this many days after the workshop ends (``followup.py``).
    followup_days = models.PositiveIntegerField(_("follow-up after (days)"), null=True, blank=True)
    followup_of = models.OneToOneField(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="followup",
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("survey link")
        verbose_name_plural = _("survey links")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.instrument} · {self.get_audience_display()} · {self.get_wave_display()}"

    def get_absolute_url(self) -> str:
        return reverse("impact:survey", kwargs={"token": self.token})


class SurveyResponse(models.Model):
    """One set of answers: a pseudonymous code and the answers, nothing that names the person."""

    link = models.ForeignKey(SurveyLink, on_delete=models.CASCADE, related_name="responses")
    code = models.CharField(max_length=40, db_index=True)
    answers = models.JSONField(default=dict)
    consented_at = models.DateTimeField()
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            models.UniqueConstraint(fields=["link", "code"], name="survey_response_once_per_code")
        ]

    def __str__(self) -> str:
        return f"{self.link_id} · {self.code}"
