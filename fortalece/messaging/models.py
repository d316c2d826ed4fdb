"""Messages, comments, announcements and notifications of the learning apps.

* ``Announcement``: a trainer's or manager's word to a course, a cohort or a programme.
* ``Notification``: one line in a user's bell (and, per ``Preference``, an e-mail now or in
  the daily digest, and a web push).
* ``DigestRun`` and ``Reminder``: unique rows that make the daily jobs idempotent.
* ``Thread``/``ThreadMember``/``Message``: direct learner ↔ trainer messages and one
  trainer-moderated thread per cohort.
* ``Comment``/``CommentReport``: threaded comments on a lesson, within the learner's cohort.

Texts people write (messages, comments) are stored as typed and always escaped on output;
announcement bodies are rich text sanitised with nh3 on every write.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    GRADE = "grade", _("New grade")
    FEEDBACK = "feedback", _("Feedback")
    ANNOUNCEMENT = "announcement", _("Announcement")
    MESSAGE = "message", _("Message")
    DUE_SOON = "due_soon", _("Due soon")
    NEW_CONTENT = "new_content", _("New content")
    CERTIFICATE = "certificate", _("Certificate issued")
    REMINDER = "reminder", _("Reminder to continue a course")
    SURVEY = "survey", _("Survey to answer")


class Delivery(models.TextChoices):
    OFF = "off", _("Off")
    IMMEDIATELY = "now", _("Immediately")
    DIGEST = "digest", _("Daily digest")


# What a user gets before choosing: what concerns them now arrives now, the rest in the digest.
DEFAULT_DELIVERY = {
    Kind.GRADE: Delivery.IMMEDIATELY,
    Kind.FEEDBACK: Delivery.IMMEDIATELY,
    Kind.ANNOUNCEMENT: Delivery.IMMEDIATELY,
    Kind.MESSAGE: Delivery.IMMEDIATELY,
    Kind.DUE_SOON: Delivery.IMMEDIATELY,
    Kind.NEW_CONTENT: Delivery.DIGEST,
    Kind.CERTIFICATE: Delivery.IMMEDIATELY,
    Kind.REMINDER: Delivery.IMMEDIATELY,
    Kind.SURVEY: Delivery.IMMEDIATELY,
}


class Announcement(models.Model):
    """To exactly one of: a course (all its cohorts), a cohort, a programme."""

    course = models.ForeignKey(
        "training.Course",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="announcements",
        verbose_name=_("course"),
    )
    workshop = models.ForeignKey(
        "training.Workshop",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="announcements",
        verbose_name=_("cohort"),
    )
    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="announcements",
        verbose_name=_("programme"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    title = models.CharField(_("title"), max_length=200)
    # Sanitised with nh3 on every write (services.announcement_create); never rendered raw.
    body = models.TextField(_("text"))
    recipient_count = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="announcement_one_audience",
                condition=(
                    Q(course__isnull=False, workshop__isnull=True, programme__isnull=True)
                    | Q(course__isnull=True, workshop__isnull=False, programme__isnull=True)
                    | Q(course__isnull=True, workshop__isnull=True, programme__isnull=False)
                ),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def audience(self) -> object:
        return self.workshop or self.course or self.programme


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    text = models.CharField(_("text"), max_length=300)
    # A path on this site (never an outside address); empty when there is nothing to open.
    url = models.CharField(_("link"), max_length=300, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # When it left by e-mail (at once or in a digest); None: not (yet) e-mailed.
    emailed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["recipient"], name="notification_unread", condition=Q(read_at__isnull=True)
            ),
            models.Index(fields=["recipient", "-created_at"], name="notification_recent"),
        ]

    def __str__(self) -> str:
        return self.text


class Preference(models.Model):
    """How one user wants one kind of notification by e-mail (and push); no row: the default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    delivery = models.CharField(_("e-mail"), max_length=8, choices=Delivery.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="preference_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.kind}: {self.delivery}"


class DigestRun(models.Model):
    """One digest per user per day: inserted before sending, under a unique constraint."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    notification_count = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("digest run")
        verbose_name_plural = _("digest runs")
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="digestrun_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.day}"


class Reminder(models.Model):
    """A reminder sent to a learner about an item: never twice for the same one."""

    class Reason(models.TextChoices):
        DUE_SOON = "due_soon", _("Due soon")
        INACTIVE = "inactive", _("Inactive")

    enrolment = models.ForeignKey(
        "training.Enrolment", on_delete=models.CASCADE, related_name="reminders"
    )
    # Due soon: the quiz or assignment. Inactive: the item the learner would resume at.
    item = models.ForeignKey("learning.CourseItem", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=12, choices=Reason.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "item", "reason"], name="reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} · {self.item_id} · {self.reason}"


class PushSubscription(models.Model):
    """A browser's web push endpoint (one per installed app or browser profile)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")

    def __str__(self) -> str:
        return f"{self.user_id} · push"


class Thread(models.Model):
    class Kind(models.TextChoices):
        DIRECT = "direct", _("Direct messages")
        COHORT = "cohort", _("Cohort discussion")

    kind = models.CharField(max_length=8, choices=Kind.choices)
    # Direct: the cohort that links the learner and the trainer. Cohort: the cohort itself.
    workshop = models.ForeignKey(
        "training.Workshop", on_delete=models.CASCADE, related_name="message_threads"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_message_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("message thread")
        verbose_name_plural = _("message threads")
        ordering = ["-last_message_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop"], condition=Q(kind="cohort"), name="thread_one_per_cohort"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} · {self.workshop_id}"


class ThreadMember(models.Model):
    """Who takes part in a direct thread (and, in any thread, what they last read)."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="message_threads"
    )
    last_read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("thread member")
        verbose_name_plural = _("thread members")
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="threadmember_unique")
        ]

    def __str__(self) -> str:
        return f"{self.thread_id} · {self.user_id}"


class Message(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Plain text as typed; escaped wherever it is shown.
    body = models.TextField(_("message"), max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["thread", "created_at"])]

    def __str__(self) -> str:
        return f"{self.thread_id} · {self.pk}"


class Comment(models.Model):
    """A comment on a lesson, seen by the learner's cohort and its trainers."""

    item = models.ForeignKey(
        "learning.CourseItem", on_delete=models.CASCADE, related_name="comments"
    )
    workshop = models.ForeignKey(
        "training.Workshop", on_delete=models.CASCADE, related_name="lesson_comments"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Plain text as typed; escaped wherever it is shown. Emptied when deleted.
    body = models.TextField(_("comment"), max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["item", "workshop", "created_at"])]

    def __str__(self) -> str:
        return f"{self.item_id} · {self.pk}"


class CommentReport(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("comment report")
        verbose_name_plural = _("comment reports")
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter"], name="commentreport_unique")
        ]

    def __str__(self) -> str:
        return f"{self.comment_id} · {self.reporter_id}"
