from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fortalece.core.choices import Profession, Sex


class Course(models.Model):
    """A curriculum. Each delivery of it is a ``Workshop``."""

    class Modality(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        BLENDED = "blended", _("Blended")

    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.CASCADE,
        related_name="courses",
        verbose_name=_("programme"),
    )
    title = models.CharField(_("title"), max_length=200)
    modality = models.CharField(_("modality"), max_length=16, choices=Modality.choices)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1)
    learning_objectives = models.TextField(_("learning objectives"), blank=True)
    audience = models.CharField(_("audience"), max_length=250, blank=True)
    is_train_the_trainer = models.BooleanField(_("train-the-trainer course"), default=False)
    completion_min_attendance = models.PositiveSmallIntegerField(
        _("attendance needed to complete (%)"),
        default=80,
        help_text=_("Share of sessions a participant must attend to complete the course."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(name="course_hours_positive", condition=Q(hours__gt=0)),
            models.CheckConstraint(
                name="course_completion_pct_range",
                condition=Q(completion_min_attendance__gte=1, completion_min_attendance__lte=100),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("training:course_detail", kwargs={"pk": self.pk})


class Workshop(models.Model):
    """A delivery of a course to a cohort: dates, venue, trainers, capacity.

    A workshop a trainer records (a roll-out of a course they were trained to give) waits for
    a programme manager's validation: its participants count in reach only once it is validated.
    """

    class Validation(models.TextChoices):
        VALIDATED = "validated", _("Validated")
        PENDING = "pending", _("Waiting for validation")
        REJECTED = "rejected", _("Rejected")

    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="workshops", verbose_name=_("course")
    )
    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.PROTECT,
        related_name="workshops",
        editable=False,
        help_text="Copied from the course so that scope filters need no join.",
    )
    title = models.CharField(_("title"), max_length=200)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
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
    venue = models.CharField(_("venue"), max_length=250, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    trainers = models.ManyToManyField(
        "people.Person",
        through="WorkshopTrainer",
        related_name="workshops_trained",
        blank=True,
        verbose_name=_("trainers"),
    )
    validation = models.CharField(
        _("validation"),
        max_length=12,
        choices=Validation.choices,
        default=Validation.VALIDATED,
        editable=False,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text="The trainer who recorded the workshop (managers' workshops leave it empty).",
    )
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    validated_at = models.DateTimeField(null=True, blank=True, editable=False)
    rejection_reason = models.TextField(_("reason for rejecting"), blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        ordering = ["-start_date", "title"]
        constraints = [
            models.CheckConstraint(
                name="workshop_dates_ordered",
                condition=Q(end_date__gte=models.F("start_date")),
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]
        indexes = [
            models.Index(fields=["programme", "start_date"]),
            models.Index(
                fields=["programme", "validation"],
                name="workshop_to_validate",
                condition=~Q(validation="validated"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("training:workshop_detail", kwargs={"pk": self.pk})

    @property
    def counts_in_reach(self) -> bool:
        return self.validation == self.Validation.VALIDATED


class WorkshopTrainer(models.Model):
    class TrainerRole(models.TextChoices):
        LEAD = "lead", _("Lead trainer")
        CO_FACILITATOR = "co_facilitator", _("Co-facilitator")

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT)
    role = models.CharField(
        _("role"), max_length=16, choices=TrainerRole.choices, default=TrainerRole.LEAD
    )

    class Meta:
        verbose_name = _("workshop trainer")
        verbose_name_plural = _("workshop trainers")
        constraints = [
            models.UniqueConstraint(fields=["workshop", "person"], name="workshop_trainer_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.workshop}"


class Session(models.Model):
    """One day (or half-day) of a workshop; attendance is taken per session."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    topic = models.CharField(_("topic"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["date", "start_time", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "date", "start_time"],
                name="session_unique_slot",
            )
        ]

    def __str__(self) -> str:
        return f"{self.workshop} · {self.date}"


class Enrolment(models.Model):
    class Status(models.TextChoices):
        NOMINATED = "nominated", _("Nominated")
        ENROLLED = "enrolled", _("Enrolled")
        ATTENDED = "attended", _("Attended")
        COMPLETED = "completed", _("Completed")
        DROPPED = "dropped", _("Dropped")

    class Source(models.TextChoices):
        """Where the status comes from, so that one source never overwrites another."""

        ATTENDANCE = "attendance", _("Attendance")
        IMPORT = "import", _("Imported record")
        ONLINE = "online", _("Online course progress")

    REACHED_STATUSES = (Status.ATTENDED, Status.COMPLETED)
    # Reach counts attended/completed enrolments of validated workshops only.
    COUNTED = Q(status__in=REACHED_STATUSES, workshop__validation=Workshop.Validation.VALIDATED)

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="enrolments")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="enrolments")
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ENROLLED
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sessions_attended = models.PositiveSmallIntegerField(default=0, editable=False)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    # Attendance recomputes only "attendance" statuses: an imported record of who attended a
    # workshop before it was in Fortalece, or a course completed online, survives later changes
    # of the workshop's sessions.
    status_source = models.CharField(
        _("status from"), max_length=12, choices=Source.choices, default=Source.ATTENDANCE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["person__family_names", "person__given_names", "id"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "person"], name="enrolment_unique")
        ]
        indexes = [
            models.Index(fields=["person", "status"]),
            # "Did this workshop reach anyone?" answered from the index for each workshop (the
            # dashboard's workshops held: 156,250 probes, 0.22 s → 0.11 s at 1M people).
            models.Index(fields=["workshop", "status"], name="enrolment_workshop_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.workshop}"


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    present = models.BooleanField(_("present"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="attendance_unique")
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} · {self.session.date}"


# --- Reach: who each programme reached, kept in step by the writes that change it ---------
# (services/reach.py, services/reach_rollups.py); reporting only reads these tables.


class ProgrammeReach(models.Model):
    """One row per person reached by a programme, kept current by ``reach_refresh``.

    A person is *reached* by a programme when at least one of their enrolments in its
    workshops is attended or completed. The person's sex, profession and state are copied
    here so that the dashboard groups one narrow table instead of joining four large ones.
    """

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="reach"
    )
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="reach")
    sex = models.CharField(max_length=12, choices=Sex.choices)
    profession = models.CharField(max_length=32, choices=Profession.choices)
    subdivision = models.ForeignKey(
        "geography.Subdivision", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    first_reached_on = models.DateField(help_text="Start date of the first workshop attended.")
    completed = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        # Kept from when reporting held the reach tables (moved without touching the data).
        db_table = "reporting_programmereach"
        verbose_name = _("programme reach")
        verbose_name_plural = _("programme reach")
        constraints = [
            models.UniqueConstraint(fields=["programme", "person"], name="programme_reach_unique")
        ]
        indexes = [
            models.Index(fields=["programme", "sex"]),
            models.Index(fields=["programme", "profession"]),
            models.Index(fields=["programme", "subdivision"]),
            models.Index(fields=["programme", "first_reached_on"]),
            # Covers the headline count (reached, and completed) without reading the rows.
            models.Index(fields=["programme", "completed"]),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} · {self.programme_id}"


class ReachYear(models.Model):
    """One row per person, programme and calendar year in which the person attended a workshop
    (by the workshop's start date), kept current with ``ProgrammeReach`` (``rollups.py``).

    The indicators page reads only this table: the person's attributes and place are copied
    here, and each row carries that year's participations, completions, training hours and
    what kind of courses they were, so every breakdown is one ``GROUP BY`` on it.
    """

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="reach_years"
    )
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    sex = models.CharField(max_length=12, choices=Sex.choices)
    profession = models.CharField(max_length=32, choices=Profession.choices)
    institution = models.ForeignKey(
        "people.Institution", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    institution_kind = models.CharField(max_length=32)
    country = models.ForeignKey(
        "geography.Country", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    subdivision = models.ForeignKey(
        "geography.Subdivision", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    municipality = models.ForeignKey(
        "geography.Municipality", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    participations = models.PositiveIntegerField(help_text="Workshops attended or completed.")
    completions = models.PositiveIntegerField(help_text="Workshops completed.")
    hours = models.DecimalField(max_digits=9, decimal_places=1, help_text="Course hours.")
    in_person = models.BooleanField()
    online = models.BooleanField()
    blended = models.BooleanField()
    train_the_trainer = models.BooleanField(help_text="Attended a train-the-trainer course.")
    other_course = models.BooleanField(help_text="Attended a course that is not one.")
    completed = models.BooleanField()
    last_completed_on = models.DateField(null=True)

    class Meta:
        # Kept from when reporting held the reach tables (moved without touching the data).
        db_table = "reporting_reachyear"
        verbose_name = _("programme reach by year")
        verbose_name_plural = _("programme reach by year")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "person", "year"], name="reach_year_unique"
            )
        ]
        indexes = [models.Index(fields=["programme", "year"]), models.Index(fields=["person"])]

    def __str__(self) -> str:
        return f"{self.person_id} · {self.programme_id} · {self.year}"


class ReachCube(models.Model):
    """``ReachYear`` counted by programme, year, sex, profession, institution and kind of
    course: a few thousand rows a year however many people. Within one programme and one
    year a person has one ``ReachYear`` row, so these sums are exact counts of people there;
    the indicators page reads this table for one programme and one year (``indicators.py``),
    and ``ReachYear`` otherwise. Kept in step by ``rollups.reach_year_refresh`` (the people's
    old rows are subtracted and their new rows added, in SQL)."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    sex = models.CharField(max_length=12)
    profession = models.CharField(max_length=32)
    # 0 when the person had no institution; no database constraint so that 0 is allowed.
    institution = models.ForeignKey(
        "people.Institution", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    in_person = models.BooleanField()
    online = models.BooleanField()
    blended = models.BooleanField()
    train_the_trainer = models.BooleanField()
    other_course = models.BooleanField()
    completed = models.BooleanField()
    people = models.IntegerField()
    participations = models.IntegerField()
    completions = models.IntegerField()
    hours = models.DecimalField(max_digits=14, decimal_places=1)

    class Meta:
        # Kept from when reporting held the reach tables (moved without touching the data).
        db_table = "reporting_reachcube"
        verbose_name = _("programme reach summary")
        verbose_name_plural = _("programme reach summaries")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "programme",
                    "year",
                    "sex",
                    "profession",
                    "institution",
                    "in_person",
                    "online",
                    "blended",
                    "train_the_trainer",
                    "other_course",
                    "completed",
                ],
                name="reach_cube_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme_id} · {self.year} · {self.people}"
