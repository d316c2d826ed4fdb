from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fortalece.core.choices import Profession, Sex


class Headcount(models.Model):
    """How many people an institution employs in one profession and sex, on a date.

    An institution's force is its headcount on the latest date on or before the day asked
    about, so a new return changes the coverage from that day on and the history stays.
    """

    institution = models.ForeignKey(
        "people.Institution",
        on_delete=models.CASCADE,
        related_name="headcounts",
        verbose_name=_("institution"),
    )
    as_of = models.DateField(_("as of"))
    profession = models.CharField(_("profession"), max_length=32, choices=Profession.choices)
    sex = models.CharField(_("sex"), max_length=12, choices=Sex.choices)
    count = models.PositiveIntegerField(_("people"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("headcount")
        verbose_name_plural = _("headcounts")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "as_of", "profession", "sex"], name="headcount_unique"
            )
        ]
        indexes = [models.Index(fields=["institution", "as_of"])]

    def __str__(self) -> str:
        return f"{self.institution_id} · {self.as_of} · {self.profession} · {self.sex}"


class ReportedFigure(models.Model):
    """A figure a programme reported with no person records behind it ("7,500 professionals
    in 26 states"), with where it was published. Shown beside the counted reach, never
    added to it."""

    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.CASCADE,
        related_name="reported_figures",
        verbose_name=_("programme"),
    )
    description = models.CharField(_("what was reported"), max_length=300)
    people = models.PositiveIntegerField(_("people"))
    women = models.PositiveIntegerField(_("of whom women"), null=True, blank=True)
    men = models.PositiveIntegerField(_("of whom men"), null=True, blank=True)
    states = models.PositiveSmallIntegerField(_("states"), null=True, blank=True)
    municipalities = models.PositiveSmallIntegerField(_("municipalities"), null=True, blank=True)
    year_from = models.PositiveSmallIntegerField(_("from (year)"))
    year_to = models.PositiveSmallIntegerField(_("to (year)"))
    source = models.CharField(_("source document"), max_length=300)
    source_date = models.DateField(_("date of the source"))
    source_url = models.URLField(_("link to the source"), blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reported figure")
        verbose_name_plural = _("reported figures")
        ordering = ["programme", "source_date", "pk"]
        constraints = [
            models.CheckConstraint(
                name="reported_figure_years_ordered",
                condition=models.Q(year_to__gte=models.F("year_from")),
                violation_error_message=_("The last year cannot be before the first."),
            ),
            models.CheckConstraint(
                name="reported_figure_parts_fit",
                condition=models.Q(women__isnull=True)
                | models.Q(men__isnull=True)
                | models.Q(people__gte=models.F("women") + models.F("men")),
                violation_error_message=_("Women and men together cannot exceed the people."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.people} · {self.source}"


class ResultsPillar(models.Model):
    """The top of a programme's results framework (Spotlight's six pillars)."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="pillars"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)

    class Meta:
        verbose_name = _("pillar")
        verbose_name_plural = _("pillars")
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="pillar_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class ResultsOutcome(models.Model):
    pillar = models.ForeignKey(ResultsPillar, on_delete=models.CASCADE, related_name="outcomes")
    code = models.CharField(_("code"), max_length=16)
    title = models.CharField(_("title"), max_length=300)

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["pillar", "code"]
        constraints = [
            models.UniqueConstraint(fields=["pillar", "code"], name="outcome_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class ResultsIndicator(models.Model):
    """An indicator of an outcome: its baseline and target, what Fortalece counts for it and
    the reported figures that speak to it."""

    class Measure(models.TextChoices):
        PEOPLE_REACHED = "people_reached", _("People trained (counted)")
        PEOPLE_COMPLETED = "people_completed", _("People who completed (counted)")
        WOMEN_REACHED = "women_reached", _("Women trained (counted)")
        WORKSHOPS_HELD = "workshops_held", _("Workshops held (counted)")
        FORCE_SHARE = "force_share", _("Share of the recorded workforce trained (%)")
        REPORTED = "reported", _("Reported figures only")

    outcome = models.ForeignKey(ResultsOutcome, on_delete=models.CASCADE, related_name="indicators")
    title = models.CharField(_("title"), max_length=300)
    measure = models.CharField(_("what Fortalece counts"), max_length=20, choices=Measure.choices)
    baseline = models.DecimalField(_("baseline"), max_digits=12, decimal_places=1, default=0)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"))
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=1)
    target_year = models.PositiveSmallIntegerField(_("target year"))
    reported_figures = models.ManyToManyField(
        ReportedFigure, blank=True, related_name="indicators", verbose_name=_("reported figures")
    )

    class Meta:
        verbose_name = _("results indicator")
        verbose_name_plural = _("results indicators")
        ordering = ["outcome", "pk"]

    def __str__(self) -> str:
        return self.title


class SavedReport(models.Model):
    """A saved indicators page (its filters), opened and shared by an opaque token."""

    class Frequency(models.TextChoices):
        NONE = "", _("Not sent by e-mail")
        WEEKLY = "weekly", _("Every week (Monday)")
        MONTHLY = "monthly", _("Every month (the 1st)")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_reports"
    )
    name = models.CharField(_("name"), max_length=120)
    query = models.CharField(max_length=1000, blank=True)
    token = models.CharField(max_length=32, unique=True)
    frequency = models.CharField(
        _("send by e-mail"), max_length=8, choices=Frequency.choices, blank=True, default=""
    )
    shared_with = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="reports_shared_with_me"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("saved report")
        verbose_name_plural = _("saved reports")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("reporting:saved_open", kwargs={"token": self.token})


class SavedReportDelivery(models.Model):
    """One e-mail of a saved report to one reader for one period: never sent twice."""

    report = models.ForeignKey(SavedReport, on_delete=models.CASCADE, related_name="deliveries")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=16)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("saved report delivery")
        verbose_name_plural = _("saved report deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "user", "period"], name="saved_report_delivery_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.report_id} · {self.user_id} · {self.period}"
