"""The course engine: a course's content (modules → items), learners' progress, diplomas.

A cohort is a ``training.Workshop`` of an online or blended course, and a learner's place in
it is the ordinary ``training.Enrolment``: reach, targets and the dashboard count online
learners exactly as they count workshop participants.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class _Bilingual:
    """``display_title`` in the active language: English when asked for and given."""

    title: str
    title_en: str

    @property
    def display_title(self) -> str:
        language = (get_language() or "es")[:2]
        return self.title_en if language == "en" and self.title_en else self.title


class CourseModule(_Bilingual, models.Model):
    """A chapter of an online or blended course."""

    course = models.ForeignKey(
        "training.Course",
        on_delete=models.CASCADE,
        related_name="learning_modules",
        verbose_name=_("course"),
    )
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("course module")
        verbose_name_plural = _("course modules")
        ordering = ["course", "position", "id"]
        indexes = [models.Index(fields=["course", "position"])]

    def __str__(self) -> str:
        return self.title


class CourseItem(_Bilingual, models.Model):
    """One thing a learner does: read a lesson, take a quiz, hand in work, attend a session."""

    class Kind(models.TextChoices):
        LESSON = "lesson", _("Lesson")
        QUIZ = "quiz", _("Quiz")
        ASSIGNMENT = "assignment", _("Assignment")
        SESSION = "session", _("In-person session")

    module = models.ForeignKey(
        CourseModule, on_delete=models.CASCADE, related_name="items", verbose_name=_("module")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.LESSON)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    required = models.BooleanField(
        _("required"),
        default=True,
        help_text=_("Required items count towards completing the course."),
    )
    release_on = models.DateField(
        _("available from"),
        null=True,
        blank=True,
        help_text=_("Learners can open it from this date."),
    )
    release_after = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="unlocks",
        verbose_name=_("available after completing"),
        help_text=_("Learners can open it once they have completed this earlier item."),
    )
    duration_minutes = models.PositiveIntegerField(
        _("estimated duration (minutes)"), null=True, blank=True
    )
    # Sanitised with nh3 on every write (learning/richtext.py); never rendered unsanitised.
    body = models.TextField(_("text"), blank=True)
    session = models.ForeignKey(
        "training.Session",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="learning_items",
        verbose_name=_("in-person session"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("course item")
        verbose_name_plural = _("course items")
        ordering = ["module__position", "module_id", "position", "id"]
        indexes = [models.Index(fields=["module", "position"])]
        constraints = [
            models.CheckConstraint(
                name="courseitem_not_after_itself",
                condition=~Q(release_after=models.F("id")),
            )
        ]

    def __str__(self) -> str:
        return self.title


def _resource_path(instance: "Resource", filename: str) -> str:
    # The stored name is ours, never the uploader's: the original name is kept as data.
    import uuid

    return f"learning/resources/{uuid.uuid4().hex}"


class Resource(models.Model):
    """A downloadable file attached to a lesson, stored privately, served after a check."""

    item = models.ForeignKey(
        CourseItem, on_delete=models.CASCADE, related_name="resources", verbose_name=_("item")
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(upload_to=_resource_path, max_length=200)
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["item", "position", "id"]

    def __str__(self) -> str:
        return self.title


class ItemProgress(models.Model):
    """A learner's state on one item: opened, completed, and the score that completed it."""

    enrolment = models.ForeignKey(
        "training.Enrolment", on_delete=models.CASCADE, related_name="item_progress"
    )
    item = models.ForeignKey(CourseItem, on_delete=models.CASCADE, related_name="progress")
    started_at = models.DateTimeField(_("started at"))
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    score = models.DecimalField(
        _("score"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    # The last time the learner opened or finished it: "resume where you left off".
    last_seen_at = models.DateTimeField(_("last opened"))

    class Meta:
        verbose_name = _("item progress")
        verbose_name_plural = _("item progress")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "item"], name="itemprogress_unique"),
            models.CheckConstraint(
                name="itemprogress_score_range",
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100),
            ),
        ]
        indexes = [models.Index(fields=["enrolment", "last_seen_at"])]

    def __str__(self) -> str:
        return f"{self.enrolment_id} · {self.item_id}"


class Diploma(_Bilingual, models.Model):
    """A learning path: an ordered set of courses with its own rule, hours and certificate."""

    class Rule(models.TextChoices):
        ALL = "all", _("Complete every course")
        REQUIRED = "required", _("Complete every required course")
        COUNT = "count", _("Complete a number of courses")

    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.CASCADE,
        related_name="diplomas",
        verbose_name=_("programme"),
    )
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1)
    completion_rule = models.CharField(
        _("completion rule"), max_length=12, choices=Rule.choices, default=Rule.ALL
    )
    courses_needed = models.PositiveSmallIntegerField(
        _("courses needed"),
        null=True,
        blank=True,
        help_text=_("With the rule 'complete a number of courses'."),
    )
    awarding_body = models.CharField(
        _("awarding body"),
        max_length=200,
        blank=True,
        help_text=_("Named on the certificate, e.g. the university that accredits the diploma."),
    )
    courses = models.ManyToManyField(
        "training.Course", through="DiplomaCourse", related_name="diplomas", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("diploma")
        verbose_name_plural = _("diplomas")
        ordering = ["programme", "title"]
        constraints = [
            models.CheckConstraint(name="diploma_hours_positive", condition=Q(hours__gt=0)),
            models.CheckConstraint(
                name="diploma_count_rule_has_count",
                condition=~Q(completion_rule="count") | Q(courses_needed__gte=1),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class DiplomaCourse(models.Model):
    diploma = models.ForeignKey(Diploma, on_delete=models.CASCADE, related_name="entries")
    course = models.ForeignKey(
        "training.Course", on_delete=models.CASCADE, related_name="diploma_entries"
    )
    position = models.PositiveIntegerField(default=0)
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        verbose_name = _("diploma course")
        verbose_name_plural = _("diploma courses")
        ordering = ["diploma", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["diploma", "course"], name="diplomacourse_unique")
        ]

    def __str__(self) -> str:
        return f"{self.diploma} · {self.course}"


class DiplomaAward(models.Model):
    """A person completed a diploma: its own verifiable certificate (a code, like courses')."""

    diploma = models.ForeignKey(Diploma, on_delete=models.PROTECT, related_name="awards")
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="diploma_awards"
    )
    code = models.CharField(max_length=13, unique=True, editable=False)
    # Copied at award time: a certificate states what was true when it was issued.
    holder_name = models.CharField(max_length=250)
    diploma_title = models.CharField(max_length=200)
    hours = models.DecimalField(max_digits=6, decimal_places=1)
    completed_on = models.DateField()
    issued_on = models.DateField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("diploma award")
        verbose_name_plural = _("diploma awards")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["diploma", "person"], name="diplomaaward_unique")
        ]

    def __str__(self) -> str:
        return f"{self.diploma_title} · {self.holder_name}"
