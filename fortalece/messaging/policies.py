"""Who may read and moderate messages, comments, announcements and notifications.

Deny by default. The unit of every rule is the cohort (``training.Workshop``):

* **Learners** reach what concerns their own live enrolments (not dropped): their cohorts'
  discussion and lesson comments, announcements to those cohorts, to their courses and to
  their programmes. No role is needed: being enrolled is enough (as for quizzes).
* **Moderators** of a cohort are its own trainers and the programme managers whose scope
  covers it (``workshop_policy`` "manage_enrolment"), and administrators. They read, hide and
  delete comments and cohort messages there, and announce to the cohort.
* **Direct messages** are read by their two members only — not even an administrator reads
  someone else's.
* **Notifications** belong to their recipient alone.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from fortalece.accounts.models import Role
from fortalece.accounts.scope import get_user_scope
from fortalece.core.policies import ModelPolicy
from fortalece.messaging.models import Announcement, Comment, Message, Notification, Thread
from fortalece.programmes.policies import programme_policy
from fortalece.training.models import Enrolment, Workshop
from fortalece.training.policies import workshop_policy

R = Role
EVERYONE = tuple(Role.values)


def learner_workshops(user: Any) -> QuerySet[Workshop]:
    """Cohorts the user takes part in as a learner (live enrolments only)."""
    scope = get_user_scope(user)
    if scope.person_id is None:
        return Workshop.objects.none()
    live = (
        Enrolment.objects.filter(person_id=scope.person_id)
        .exclude(status=Enrolment.Status.DROPPED)
        .values("workshop_id")
    )
    return Workshop.objects.filter(pk__in=live)


def moderated_workshops(user: Any) -> QuerySet[Workshop]:
    """Cohorts the user moderates: their own trainers, managers in scope, administrators."""
    return workshop_policy.instances_user_has_permission_for(user, "manage_enrolment")


def _reachable_workshops(user: Any) -> Q:
    return Q(pk__in=learner_workshops(user).values("pk")) | Q(
        pk__in=moderated_workshops(user).values("pk")
    )


class AnnouncementPolicy(ModelPolicy[Announcement]):
    model = Announcement
    actions = {"view": EVERYONE, "delete": (R.PROGRAMME_MANAGER, R.TRAINER)}

    def base_queryset(self) -> QuerySet[Announcement]:
        return Announcement.objects.select_related("course", "workshop", "programme", "author")

    def instances_user_has_permission_for(self, user: Any, action: str) -> QuerySet[Announcement]:
        self._roles_for(action)
        scope = get_user_scope(user)
        qs = self.base_queryset()
        if scope.user_id is None:
            return qs.none()
        if scope.is_admin:
            return qs
        if action == "delete":
            managed = programme_policy.instances_user_has_permission_for(user, "change")
            return qs.filter(
                Q(author_id=scope.user_id)
                | Q(programme__in=managed.values("pk"))
                | Q(course__programme__in=managed.values("pk"))
                | Q(workshop__programme__in=managed.values("pk"))
            )
        workshops = Workshop.objects.filter(_reachable_workshops(user))
        return qs.filter(
            Q(author_id=scope.user_id)
            | Q(workshop__in=workshops.values("pk"))
            | Q(course__in=workshops.values("course_id"))
            | Q(programme__in=workshops.values("programme_id"))
        )


class NotificationPolicy(ModelPolicy[Notification]):
    """One's own notifications only."""

    model = Notification
    actions = {"view": EVERYONE, "change": EVERYONE}

    def instances_user_has_permission_for(self, user: Any, action: str) -> QuerySet[Notification]:
        self._roles_for(action)
        scope = get_user_scope(user)
        if scope.user_id is None:
            return Notification.objects.none()
        return Notification.objects.filter(recipient_id=scope.user_id)


class ThreadPolicy(ModelPolicy[Thread]):
    model = Thread
    actions = {"view": EVERYONE, "post": EVERYONE, "moderate": (R.PROGRAMME_MANAGER, R.TRAINER)}

    def base_queryset(self) -> QuerySet[Thread]:
        return Thread.objects.select_related("workshop__course")

    def instances_user_has_permission_for(self, user: Any, action: str) -> QuerySet[Thread]:
        self._roles_for(action)
        scope = get_user_scope(user)
        qs = self.base_queryset()
        if scope.user_id is None:
            return qs.none()
        cohort = Q(kind=Thread.Kind.COHORT)
        if action == "moderate":
            return qs.filter(cohort, workshop__in=moderated_workshops(user).values("pk"))
        direct = Q(kind=Thread.Kind.DIRECT, members__user_id=scope.user_id)
        workshops = Workshop.objects.filter(_reachable_workshops(user)).values("pk")
        return qs.filter(
            pk__in=Thread.objects.filter(direct | (cohort & Q(workshop__in=workshops))).values("pk")
        )


class MessagePolicy(ModelPolicy[Message]):
    model = Message
    actions = {"view": EVERYONE, "moderate": (R.PROGRAMME_MANAGER, R.TRAINER)}

    def instances_user_has_permission_for(self, user: Any, action: str) -> QuerySet[Message]:
        threads = thread_policy.instances_user_has_permission_for(user, action)
        return Message.objects.filter(thread__in=threads.values("pk")).select_related("thread")


class CommentPolicy(ModelPolicy[Comment]):
    model = Comment
    actions = {
        "view": EVERYONE,
        "reply": EVERYONE,
        "report": EVERYONE,
        "moderate": (R.PROGRAMME_MANAGER, R.TRAINER),
    }

    def base_queryset(self) -> QuerySet[Comment]:
        return Comment.objects.select_related("item__module__course", "workshop")

    def instances_user_has_permission_for(self, user: Any, action: str) -> QuerySet[Comment]:
        self._roles_for(action)
        scope = get_user_scope(user)
        qs = self.base_queryset()
        if scope.user_id is None:
            return qs.none()
        if action == "moderate":
            return qs.filter(workshop__in=moderated_workshops(user).values("pk"))
        visible = qs.filter(
            workshop__in=Workshop.objects.filter(_reachable_workshops(user)).values("pk")
        )
        if action == "reply":
            return visible.filter(deleted_at__isnull=True, hidden_at__isnull=True)
        if action == "report":
            return visible.filter(deleted_at__isnull=True).exclude(author_id=scope.user_id)
        return visible


announcement_policy = AnnouncementPolicy()
notification_policy = NotificationPolicy()
thread_policy = ThreadPolicy()
message_policy = MessagePolicy()
comment_policy = CommentPolicy()
