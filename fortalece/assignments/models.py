"""Assignments, submissions, grading with rubrics or points, and gradebook overrides.

An ``Assignment`` is the settings of a ``learning.CourseItem`` of kind "assignment". A learner's
``Submission`` belongs to their ``training.Enrolment`` (so a trainer sees the submissions of
the cohorts they train); each resubmission is a new attempt. Files are stored privately under
names of our own and are only streamed by a view that asks the policy first.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fortalece.assignments.core.files import DEFAULT_TYPES


def _default_types() -> list[str]:
    return list(DEFAULT_TYPES)


class Rubric(models.Model):
    """Criteria × levels, reusable by the assignments of one course."""

    course = models.ForeignKey(
        "training.Course",
        on_delete=models.CASCADE,
        related_name="rubrics",
        verbose_name=_("course"),
    )
    title = models.CharField(_("title"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")
        ordering = ["course", "title", "id"]

    def __str__(self) -> str:
        return self.title


class Criterion(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="criteria")
    title = models.CharField(_("criterion"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["rubric", "position", "id"]

    def __str__(self) -> str:
        return self.title


class Level(models.Model):
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="levels")
    title = models.CharField(_("level"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    points = models.DecimalField(
        _("points"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0)]
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("level")
        verbose_name_plural = _("levels")
        ordering = ["criterion", "position", "id"]
        constraints = [
            models.CheckConstraint(name="level_points_not_negative", condition=Q(points__gte=0))
        ]

    def __str__(self) -> str:
        return self.title


class Assignment(models.Model):
    class LatePolicy(models.TextChoices):
        ACCEPT = "accept", _("Accept late work")
        PENALTY = "penalty", _("Take a share off per day late")
        REFUSE = "refuse", _("Refuse work more than some days late")

    class Grading(models.TextChoices):
        POINTS = "points", _("Points")
        RUBRIC = "rubric", _("Rubric")

    item = models.OneToOneField(
        "learning.CourseItem",
        on_delete=models.CASCADE,
        related_name="assignment",
        limit_choices_to={"kind": "assignment"},
        verbose_name=_("course item"),
    )
    # Sanitised with nh3 on every write (assignments/richtext.py).
    instructions = models.TextField(_("instructions"), blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    late_policy = models.CharField(
        _("late work"), max_length=8, choices=LatePolicy.choices, default=LatePolicy.ACCEPT
    )
    late_penalty_per_day = models.DecimalField(
        _("penalty per day late (%)"),
        max_digits=5,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    late_refuse_after_days = models.PositiveSmallIntegerField(
        _("refuse after (days late)"),
        null=True,
        blank=True,
        help_text=_("0 refuses any late work; empty accepts it however late."),
    )
    grading = models.CharField(
        _("graded with"), max_length=8, choices=Grading.choices, default=Grading.POINTS
    )
    max_points = models.DecimalField(
        _("points available"),
        max_digits=7,
        decimal_places=2,
        default=100,
        validators=[MinValueValidator(0.01)],
        help_text=_("With a rubric, the sum of each criterion's best level is used."),
    )
    rubric = models.ForeignKey(
        Rubric,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("rubric"),
    )
    pass_percent = models.DecimalField(
        _("pass mark (%)"),
        max_digits=5,
        decimal_places=2,
        default=60,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    allow_resubmission = models.BooleanField(
        _("learners may resubmit"),
        default=True,
        help_text=_("Until graded; after grading, the trainer decides per submission."),
    )
    accept_text = models.BooleanField(_("accept a written answer"), default=True)
    max_files = models.PositiveSmallIntegerField(
        _("files allowed"), default=3, validators=[MaxValueValidator(10)]
    )
    max_file_mb = models.PositiveSmallIntegerField(
        _("largest file (MB)"), default=10, validators=[MinValueValidator(1)]
    )
    file_types = models.JSONField(_("file types accepted"), default=_default_types)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.CheckConstraint(
                name="assignment_rubric_when_graded_by_rubric",
                condition=~Q(grading="rubric") | Q(rubric__isnull=False),
            ),
            models.CheckConstraint(
                name="assignment_refuse_has_days",
                condition=~Q(late_policy="refuse") | Q(late_refuse_after_days__isnull=False),
            ),
            models.CheckConstraint(
                name="assignment_something_to_submit",
                condition=Q(accept_text=True) | Q(max_files__gte=1),
            ),
        ]

    def __str__(self) -> str:
        return str(self.item)


class Submission(models.Model):
    """One attempt of a learner at an assignment."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting grading")
        GRADED = "graded", _("Graded")
        SUPERSEDED = "superseded", _("Replaced by a later attempt")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="submissions")
    enrolment = models.ForeignKey(
        "training.Enrolment", on_delete=models.CASCADE, related_name="submissions"
    )
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=1)
    text = models.TextField(_("written answer"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    days_late = models.PositiveSmallIntegerField(_("days late"), default=0)
    late_penalty_percent = models.DecimalField(max_digits=5, decimal_places=2, default=0)
    # Sent by the form (and later by the offline app): the same key twice is one submission.
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "enrolment", "attempt"], name="submission_attempt_unique"
            )
        ]
        indexes = [
            models.Index(fields=["assignment", "status"]),
            models.Index(fields=["enrolment", "assignment"]),
        ]

    def __str__(self) -> str:
        return f"{self.assignment} · {self.enrolment_id} · {self.attempt}"


def _submission_path(instance: "SubmissionFile", filename: str) -> str:
    # Our own name in storage; the learner's (sanitised) name is kept as data.
    return f"assignments/submissions/{uuid.uuid4().hex}"


class SubmissionFile(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=_submission_path, max_length=200)
    filename = models.CharField(_("file name"), max_length=120)
    size = models.PositiveIntegerField(_("size"))
    content_type = models.CharField(max_length=100)

    class Meta:
        verbose_name = _("submitted file")
        verbose_name_plural = _("submitted files")
        ordering = ["submission", "id"]

    def __str__(self) -> str:
        return self.filename


class Grade(models.Model):
    submission = models.OneToOneField(Submission, on_delete=models.CASCADE, related_name="grade")
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=2)
    max_points = models.DecimalField(max_digits=7, decimal_places=2)
    # Percent after any late penalty: what the gradebook shows.
    score = models.DecimalField(
        _("score (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    passed = models.BooleanField(_("passed"))
    feedback = models.TextField(_("feedback"), blank=True)
    resubmission_allowed = models.BooleanField(_("may resubmit"), default=False)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    graded_at = models.DateTimeField(_("graded at"))

    class Meta:
        verbose_name = _("grade")
        verbose_name_plural = _("grades")
        constraints = [
            models.CheckConstraint(
                name="grade_score_range", condition=Q(score__gte=0, score__lte=100)
            ),
            models.CheckConstraint(
                name="grade_points_range",
                condition=Q(points__gte=0, points__lte=models.F("max_points")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.submission} · {self.score}"


class GradeSelection(models.Model):
    """The level a grader chose for one criterion of the rubric."""

    grade = models.ForeignKey(Grade, on_delete=models.CASCADE, related_name="selections")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("rubric selection")
        verbose_name_plural = _("rubric selections")
        constraints = [
            models.UniqueConstraint(fields=["grade", "criterion"], name="gradeselection_unique")
        ]

    def __str__(self) -> str:
        return f"{self.grade_id} · {self.criterion_id} → {self.level_id}"


class ItemWeight(models.Model):
    """An item's weight in the course's weighted total (graded items without a row weigh 1)."""

    item = models.OneToOneField(
        "learning.CourseItem", on_delete=models.CASCADE, related_name="gradebook_weight"
    )
    weight = models.DecimalField(
        _("weight"), max_digits=5, decimal_places=2, default=1, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("gradebook weight")
        verbose_name_plural = _("gradebook weights")
        constraints = [
            models.CheckConstraint(name="itemweight_not_negative", condition=Q(weight__gte=0))
        ]

    def __str__(self) -> str:
        return f"{self.item_id} × {self.weight}"


class GradeOverride(models.Model):
    """Append-only history of gradebook overrides; the latest row per learner and item is in
    force (``new_score`` empty: the override was removed and the computed score shows again)."""

    enrolment = models.ForeignKey(
        "training.Enrolment", on_delete=models.CASCADE, related_name="grade_overrides"
    )
    item = models.ForeignKey(
        "learning.CourseItem", on_delete=models.CASCADE, related_name="grade_overrides"
    )
    old_score = models.DecimalField(
        _("score before"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    new_score = models.DecimalField(
        _("score after"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    reason = models.TextField(_("reason"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        verbose_name = _("grade override")
        verbose_name_plural = _("grade overrides")
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["enrolment", "item", "changed_at"])]
        constraints = [
            models.CheckConstraint(
                name="gradeoverride_score_range",
                condition=Q(new_score__isnull=True) | Q(new_score__gte=0, new_score__lte=100),
            ),
            models.CheckConstraint(name="gradeoverride_has_reason", condition=~Q(reason="")),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} · {self.item_id}: {self.old_score} → {self.new_score}"
