"""Question bank, quizzes, attempts and responses.

A question's type-specific content (options and weights, accepted answers, numbers, pairs,
items) is the JSON shape of :class:`fortalece.quizzes.core.questions.Question`; scoring and
the GIFT/Aiken formats work on that pure form. The answer key lives only on the server: the
pages a learner sees are built from option texts alone (``quizzes/presentation.py``).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fortalece.quizzes.core.questions import QTYPE_LABELS
from fortalece.quizzes.core.questions import Question as CoreQuestion


class QuestionCategory(models.Model):
    """A group of questions of a course's bank; quizzes draw from categories."""

    course = models.ForeignKey(
        "training.Course",
        on_delete=models.CASCADE,
        related_name="question_categories",
        verbose_name=_("course"),
    )
    name = models.CharField(_("name"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("question category")
        verbose_name_plural = _("question categories")
        ordering = ["course", "name"]
        constraints = [
            models.UniqueConstraint(fields=["course", "name"], name="questioncategory_unique")
        ]

    def __str__(self) -> str:
        return self.name


QTYPE_CHOICES = [(str(t), _(label)) for t, label in QTYPE_LABELS.items()]


class QuestionQuerySet(models.QuerySet["Question"]):
    def current(self) -> QuestionQuerySet:
        """Questions of the bank as it is now (not the earlier versions answered attempts keep)."""
        return self.filter(superseded_by__isnull=True)


class Question(models.Model):
    """A bank question. Editing one that learners have answered keeps it as it was for their
    attempts and saves the edit as a new version (``superseded_by`` points to it); banks,
    draws and exports read ``Question.objects.current()``."""

    course = models.ForeignKey(
        "training.Course", on_delete=models.CASCADE, related_name="questions"
    )
    category = models.ForeignKey(
        QuestionCategory,
        on_delete=models.PROTECT,
        related_name="questions",
        verbose_name=_("category"),
    )
    qtype = models.CharField(_("type"), max_length=16, choices=QTYPE_CHOICES)
    title = models.CharField(_("title"), max_length=200, blank=True)
    text = models.TextField(_("question"))
    # Options, accepted answers, numbers, pairs or items; weights and feedback included.
    content = models.JSONField(default=dict)
    general_feedback = models.TextField(_("general feedback"), blank=True)
    mark = models.PositiveSmallIntegerField(
        _("marks"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("How much the question counts in a quiz, relative to the others."),
    )
    impact_item = models.CharField(
        _("evaluation question"),
        max_length=100,
        blank=True,
        help_text=_(
            "The name of the matching question in the impact instrument, when this quiz is "
            "its pre-test or post-test."
        ),
    )
    superseded_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["category__name", "id"]
        indexes = [models.Index(fields=["course", "category"])]

    def __str__(self) -> str:
        return self.title or self.text[:60]

    def as_core(self) -> CoreQuestion:
        """The pure question (for scoring and export)."""
        return CoreQuestion.from_dict(
            {
                **self.content,
                "qtype": self.qtype,
                "text": self.text,
                "title": self.title,
                "category": self.category.name,
                "general_feedback": self.general_feedback,
            }
        )


class Quiz(models.Model):
    """The settings of a course item of kind 'quiz'."""

    class Review(models.TextChoices):
        AFTER_ATTEMPT = "attempt", _("Right after each attempt")
        AFTER_CLOSE = "close", _("Once the quiz is closed for the learner")
        NEVER = "never", _("Never (score only)")

    class Wave(models.TextChoices):
        PRE = "pre", _("Pre-test (before training)")
        POST = "post", _("Post-test (after training)")

    item = models.OneToOneField(
        "learning.CourseItem",
        on_delete=models.CASCADE,
        related_name="quiz",
        limit_choices_to={"kind": "quiz"},
    )
    intro = models.TextField(_("instructions"), blank=True)
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=True)
    shuffle_options = models.BooleanField(_("shuffle options"), default=True)
    one_per_page = models.BooleanField(_("one question per page"), default=False)
    attempts_allowed = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=3, help_text=_("0 means no limit.")
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Empty means no limit. The server closes attempts when time is up."),
    )
    pass_mark = models.DecimalField(
        _("pass mark (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(70),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    review = models.CharField(
        _("show answers and feedback"),
        max_length=8,
        choices=Review.choices,
        default=Review.AFTER_CLOSE,
    )
    allow_offline = models.BooleanField(
        _("allow offline work"),
        default=False,
        help_text=_(
            "All questions on one page. Learners who opened the attempt may answer without "
            "signal: the phone keeps the answers and sends them once the connection returns, "
            "and each answer is accepted once even when sent again (a retry, two tabs). The time "
            "limit and closing date still count when the answers arrive."
        ),
    )
    feedback_pass = models.TextField(_("message when passed"), blank=True)
    feedback_fail = models.TextField(_("message when not passed"), blank=True)
    impact_instrument = models.ForeignKey(
        "impact.SurveyInstrument",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="quizzes",
        verbose_name=_("impact instrument"),
    )
    impact_wave = models.CharField(
        _("evaluation wave"), max_length=4, choices=Wave.choices, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        constraints = [
            models.CheckConstraint(
                name="quiz_pass_mark_range", condition=Q(pass_mark__gte=0, pass_mark__lte=100)
            ),
            models.CheckConstraint(
                name="quiz_impact_needs_wave",
                condition=Q(impact_instrument__isnull=True) | ~Q(impact_wave=""),
            ),
        ]

    def __str__(self) -> str:
        return self.item.title

    def get_absolute_url(self) -> str:
        return reverse("quizzes:quiz", kwargs={"item_id": self.item_id})


class QuizDraw(models.Model):
    """Draw ``count`` questions at random from a category (0: all of them)."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="draws")
    category = models.ForeignKey(
        QuestionCategory, on_delete=models.CASCADE, related_name="draws", verbose_name=_("category")
    )
    count = models.PositiveSmallIntegerField(_("questions"), default=0)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("quiz draw")
        verbose_name_plural = _("quiz draws")
        ordering = ["quiz", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["quiz", "category"], name="quizdraw_unique")]

    def __str__(self) -> str:
        return f"{self.quiz_id} · {self.category_id} · {self.count}"


class Attempt(models.Model):
    """One go at a quiz. Its seed alone reproduces which questions it drew and in what order."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    enrolment = models.ForeignKey(
        "training.Enrolment", on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    number = models.PositiveSmallIntegerField()
    seed = models.PositiveIntegerField()
    # The drawn questions in the order shown (ids), so later bank edits leave it unchanged.
    question_ids = models.JSONField(default=list)
    started_at = models.DateTimeField()
    deadline = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    closed_by_time = models.BooleanField(default=False)
    score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(null=True)
    # The start form's key: the same key twice means the same attempt, never a second one.
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    # The submit form's key (sent again by a retry or the offline outbox): the same key twice
    # is the same submission, answered with the same result.
    submit_key = models.CharField(max_length=64, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        ordering = ["quiz", "enrolment", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "enrolment", "number"], name="attempt_number_unique"
            ),
            models.CheckConstraint(
                name="attempt_score_range",
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100),
            ),
        ]
        indexes = [models.Index(fields=["enrolment", "quiz"])]

    def __str__(self) -> str:
        return f"{self.quiz_id} · {self.enrolment_id} · {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("quizzes:attempt", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.submitted_at is None


class Response(models.Model):
    """A learner's answer to one question of an attempt (in the question's own indices)."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="responses")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="responses")
    answer = models.JSONField(null=True)
    fraction = models.DecimalField(max_digits=6, decimal_places=5, null=True, blank=True)
    saved_at = models.DateTimeField()

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="response_unique")
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id} · {self.question_id}"
