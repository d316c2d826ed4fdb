"""``{% lesson_comments item enrolment %}`` on the lesson page and
``{% inbox_summary user %}`` for "My learning"."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Count, Q

from fortalece.messaging.models import Kind, Notification
from fortalece.messaging.views import comments_context

register = template.Library()


@register.inclusion_tag("messaging/includes/comments.html", takes_context=True)
def lesson_comments(context: template.Context, item: Any, enrolment: Any) -> dict[str, Any]:
    """The lesson's comments in the learner's cohort (nothing in an author's preview)."""
    request = context.get("request")
    if request is None or enrolment is None:
        return {"hidden": True}
    return comments_context(request, item, enrolment.workshop)


@register.inclusion_tag("messaging/includes/inbox_summary.html")
def inbox_summary(user: Any) -> dict[str, Any]:
    """Unread notifications and announcements, with links: one query."""
    if user is None or not user.is_authenticated:
        return {"show": False}
    counts = Notification.objects.filter(recipient=user, read_at__isnull=True).aggregate(
        total=Count("id"),
        announcements=Count("id", filter=Q(kind=Kind.ANNOUNCEMENT)),
        messages=Count("id", filter=Q(kind=Kind.MESSAGE)),
    )
    return {"show": True, **counts}
