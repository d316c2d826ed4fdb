"""Writes: announcements, messages, comments and their moderation. Views check the policy
first; these functions check what belongs to the data (a reply stays in its comment's
cohort, a direct thread links a learner and a trainer of the same cohort)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import linebreaks
from django.utils.translation import gettext as _
from django_tasks import task

from fortalece.accounts.scope import get_user_scope
from fortalece.learning import richtext
from fortalece.messaging.models import (
    Announcement,
    Comment,
    CommentReport,
    Kind,
    Message,
    Notification,
    Preference,
    PushSubscription,
    Thread,
    ThreadMember,
)
from fortalece.messaging.notify import notify
from fortalece.training.models import Enrolment, Workshop, WorkshopTrainer

User = get_user_model()
MAX_TEXT = 4000


def display_name(user: Any) -> str:
    """How a person appears to others: their name in the registry, never their e-mail."""
    if user is None:
        return _("Former user")
    person = getattr(user, "person", None)
    if person is not None:
        return f"{person.given_names} {person.family_names}".strip()
    full = user.get_full_name()
    return full or _("Fortalece user")


def _clean_text(body: str) -> str:
    text = (body or "").strip()
    if not text:
        raise ValidationError(_("Write something first."))
    if len(text) > MAX_TEXT:
        raise ValidationError(_("Keep it under %(n)d characters.") % {"n": MAX_TEXT})
    return text


# --- announcements ------------------------------------------------------------------------


def announcement_recipients(announcement: Announcement) -> QuerySet[Any]:
    """Learners (live enrolments) and trainers of the audience's cohorts, with accounts."""
    if announcement.workshop_id:
        workshops = Workshop.objects.filter(pk=announcement.workshop_id)
    elif announcement.course_id:
        workshops = Workshop.objects.filter(course_id=announcement.course_id)
    else:
        workshops = Workshop.objects.filter(programme=announcement.programme)
    learners = (
        Enrolment.objects.filter(workshop__in=workshops)
        .exclude(status=Enrolment.Status.DROPPED)
        .values("person__user")
    )
    trainers = WorkshopTrainer.objects.filter(workshop__in=workshops).values("person__user")
    return User.objects.filter(is_active=True).filter(Q(pk__in=learners) | Q(pk__in=trainers))


@transaction.atomic
def announcement_create(*, author: Any, title: str, body: str, **audience: Any) -> Announcement:
    """Save the announcement; its notifications and e-mails leave from the worker once it is
    committed (a programme may have thousands of learners)."""
    if "<" not in body:
        # Typed in the plain text box: its blank lines are the paragraphs.
        body = linebreaks(body.strip(), autoescape=True)
    clean = richtext.sanitise(body)
    if not clean:
        raise ValidationError(_("Write the announcement first."))
    announcement = Announcement.objects.create(
        author=author, title=title.strip()[:200], body=clean, **audience
    )
    announcement.recipient_count = (
        announcement_recipients(announcement).exclude(pk=author.pk).count()
    )
    announcement.save(update_fields=["recipient_count"])
    transaction.on_commit(lambda: announcement_send.enqueue(announcement.pk))
    return announcement


@task()
def announcement_send(announcement_id: int) -> int:
    """Tell the announcement's audience (bell, e-mail, push as each chose)."""
    announcement = Announcement.objects.filter(pk=announcement_id).first()
    if announcement is None:
        return 0  # deleted before the worker got to it
    recipients = announcement_recipients(announcement).exclude(pk=announcement.author_id or 0)
    url = reverse("messaging:announcement", kwargs={"pk": announcement.pk})
    title = announcement.title
    sent = notify(
        list(recipients),
        Kind.ANNOUNCEMENT,
        lambda: _("Announcement: %(title)s") % {"title": title},
        url,
    )
    return len(sent)


# --- threads and messages -----------------------------------------------------------------


def cohort_thread(workshop: Workshop, *, by: Any = None) -> Thread:
    thread, _created = Thread.objects.get_or_create(
        kind=Thread.Kind.COHORT, workshop=workshop, defaults={"created_by": by}
    )
    return thread


def contacts(user: Any) -> list[tuple[Any, Workshop]]:
    """Who the user may write to directly, with the cohort that links them: a learner's
    trainers; a trainer's learners (live enrolments)."""
    scope = get_user_scope(user)
    if scope.person_id is None:
        return []
    found: dict[int, tuple[Any, Workshop]] = {}
    mine = (
        Enrolment.objects.filter(person_id=scope.person_id)
        .exclude(status=Enrolment.Status.DROPPED)
        .values("workshop_id")
    )
    for workshop in Workshop.objects.filter(pk__in=mine).prefetch_related("trainers__user"):
        for person in workshop.trainers.all():
            account = person.user
            if account is not None and account.pk != user.pk and account.is_active:
                found.setdefault(account.pk, (account, workshop))
    taught = Workshop.objects.filter(trainers=scope.person_id)
    learners = (
        Enrolment.objects.filter(workshop__in=taught, person__user__isnull=False)
        .exclude(status=Enrolment.Status.DROPPED)
        .select_related("person__user", "workshop")
    )
    for enrolment in learners:
        other = enrolment.person.user
        if other is not None and other.pk != user.pk and other.is_active:
            found.setdefault(other.pk, (other, enrolment.workshop))
    return sorted(found.values(), key=lambda pair: display_name(pair[0]).lower())


@transaction.atomic
def direct_thread(*, user: Any, other_id: int) -> Thread:
    """The direct thread between the user and a contact (made on first use)."""
    pairs = {other.pk: (other, workshop) for other, workshop in contacts(user)}
    if other_id not in pairs:
        raise ValidationError(_("You can write only to your trainers and learners."))
    other, workshop = pairs[other_id]
    existing = (
        Thread.objects.filter(kind=Thread.Kind.DIRECT, members__user=user)
        .filter(members__user=other)
        .first()
    )
    if existing is not None:
        return existing
    thread = Thread.objects.create(kind=Thread.Kind.DIRECT, workshop=workshop, created_by=user)
    ThreadMember.objects.bulk_create(
        [ThreadMember(thread=thread, user=user), ThreadMember(thread=thread, user=other)]
    )
    return thread


def thread_recipients(thread: Thread, *, exclude: Any) -> list[Any]:
    if thread.kind == Thread.Kind.DIRECT:
        users = User.objects.filter(message_threads__thread=thread)
    else:
        learners = (
            Enrolment.objects.filter(workshop=thread.workshop)
            .exclude(status=Enrolment.Status.DROPPED)
            .values("person__user")
        )
        trainers = WorkshopTrainer.objects.filter(workshop=thread.workshop).values("person__user")
        users = User.objects.filter(Q(pk__in=learners) | Q(pk__in=trainers))
    return list(users.filter(is_active=True).exclude(pk=exclude.pk).distinct())


@transaction.atomic
def message_post(*, thread: Thread, author: Any, body: str) -> Message:
    message = Message.objects.create(thread=thread, author=author, body=_clean_text(body))
    Thread.objects.filter(pk=thread.pk).update(last_message_at=message.created_at)
    thread_read(thread=thread, user=author)
    name = display_name(author)
    url = reverse("messaging:thread", kwargs={"pk": thread.pk})
    recipients = thread_recipients(thread, exclude=author)
    # One unread message notice per thread in the bell, not one per message.
    waiting = set(
        Notification.objects.filter(
            recipient__in=recipients, kind=Kind.MESSAGE, url=url, read_at__isnull=True
        ).values_list("recipient_id", flat=True)
    )
    notify(
        [u for u in recipients if u.pk not in waiting],
        Kind.MESSAGE,
        lambda: _("New message from %(name)s") % {"name": name},
        url,
    )
    return message


def thread_read(*, thread: Thread, user: Any) -> None:
    member, _created = ThreadMember.objects.get_or_create(thread=thread, user=user)
    member.last_read_at = timezone.now()
    member.save(update_fields=["last_read_at"])
    Notification.objects.filter(
        recipient=user,
        kind=Kind.MESSAGE,
        url=reverse("messaging:thread", kwargs={"pk": thread.pk}),
        read_at__isnull=True,
    ).update(read_at=timezone.now())


def message_hide(*, message: Message, by: Any, hide: bool = True) -> Message:
    message.hidden_at = timezone.now() if hide else None
    message.hidden_by = by if hide else None
    message.save(update_fields=["hidden_at", "hidden_by"])
    return message


# --- comments -----------------------------------------------------------------------------


@transaction.atomic
def comment_post(
    *, item: Any, workshop: Workshop, author: Any, body: str, parent: Comment | None = None
) -> Comment:
    if workshop.course_id != item.module.course_id:
        raise ValidationError(_("This cohort does not take this course."))
    if parent is not None:
        if parent.item_id != item.pk or parent.workshop_id != workshop.pk:
            raise ValidationError(_("A reply stays with its comment."))
        parent = parent.parent or parent  # replies are one level deep
    comment = Comment.objects.create(
        item=item, workshop=workshop, author=author, body=_clean_text(body), parent=parent
    )
    if parent is not None and parent.author_id and parent.author_id != author.pk:
        name = display_name(author)
        # ?comment= opens the lesson at the page of comments that holds this thread.
        url = reverse("learning:item", kwargs={"pk": item.pk}) + (
            f"?comment={comment.pk}#comment-{comment.pk}"
        )
        notify(
            [parent.author],
            Kind.MESSAGE,
            lambda: (
                _("%(name)s replied to your comment on “%(item)s”.")
                % {"name": name, "item": item.display_title}
            ),
            url,
        )
    return comment


def comment_report(*, comment: Comment, by: Any, reason: str = "") -> CommentReport:
    report, _created = CommentReport.objects.get_or_create(
        comment=comment, reporter=by, defaults={"reason": (reason or "").strip()[:300]}
    )
    return report


def comment_hide(*, comment: Comment, by: Any, hide: bool = True) -> Comment:
    comment.hidden_at = timezone.now() if hide else None
    comment.hidden_by = by if hide else None
    comment.save(update_fields=["hidden_at", "hidden_by"])
    _resolve_reports(comment, by)
    return comment


def comment_delete(*, comment: Comment, by: Any) -> Comment:
    """The text goes; the place stays so that replies keep their thread."""
    comment.body = ""
    comment.deleted_at = timezone.now()
    comment.hidden_by = by
    comment.save(update_fields=["body", "deleted_at", "hidden_by"])
    _resolve_reports(comment, by)
    return comment


def _resolve_reports(comment: Comment, by: Any) -> None:
    comment.reports.filter(resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=by
    )


def comment_dismiss_reports(*, comment: Comment, by: Any) -> None:
    _resolve_reports(comment, by)


# --- notifications, preferences, push -----------------------------------------------------


def notification_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_read(*, notifications: QuerySet[Notification]) -> int:
    """Mark the unread ones among ``notifications`` read; returns how many."""
    return notifications.filter(read_at__isnull=True).update(read_at=timezone.now())


def announcement_read(*, announcement: Announcement, user: Any) -> int:
    """The reader's notifications of this announcement are read once they open it."""
    return notifications_read(
        notifications=Notification.objects.filter(
            recipient=user,
            kind=Kind.ANNOUNCEMENT,
            url=reverse("messaging:announcement", kwargs={"pk": announcement.pk}),
        )
    )


@transaction.atomic
def announcement_delete(*, announcement: Announcement) -> None:
    announcement.delete()


@transaction.atomic
def preferences_save(*, user: Any, deliveries: dict[str, str]) -> None:
    """How ``user`` gets each kind of notification: ``{kind: delivery}``."""
    for kind, delivery in deliveries.items():
        Preference.objects.update_or_create(user=user, kind=kind, defaults={"delivery": delivery})


def push_subscription_save(*, user: Any, endpoint: str, p256dh: str, auth: str) -> PushSubscription:
    """A browser's push endpoint; one already stored moves to ``user`` with its new keys."""
    subscription, _created = PushSubscription.objects.update_or_create(
        endpoint=endpoint, defaults={"user": user, "p256dh": p256dh, "auth": auth}
    )
    return subscription
