"""Reads that need more than a filter: a lesson's comments, a page of threads at a time."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from fortalece.messaging.models import Comment
from fortalece.messaging.services import display_name

# Threads (a comment and its replies) per page of a lesson's comments.
THREADS_PER_PAGE = 20


@dataclass(frozen=True)
class CommentPage:
    threads: list[Comment]  # newest first, each with ``reply_list`` (oldest first)
    number: int
    pages: int
    visible: int  # comments the cohort can read (not hidden, not deleted), replies included

    @property
    def has_older(self) -> bool:
        return self.number < self.pages

    @property
    def has_newer(self) -> bool:
        return self.number > 1


def _comments(item: Any, workshop: Any, *, moderator: bool) -> QuerySet[Comment]:
    rows = Comment.objects.filter(item=item, workshop=workshop).select_related("author__person")
    if moderator:
        rows = rows.annotate(
            open_reports=Count("reports", filter=Q(reports__resolved_at__isnull=True))
        )
    return rows


def _decorate(comments: Sequence[Comment], user: Any) -> None:
    for comment in comments:
        comment.name = display_name(comment.author)  # type: ignore[attr-defined]
        comment.mine = comment.author_id == user.pk  # type: ignore[attr-defined]
        for reply in getattr(comment, "reply_list", []):
            reply.name = display_name(reply.author)
            reply.mine = reply.author_id == user.pk


def _newer_first(rows: QuerySet[Comment]) -> QuerySet[Comment]:
    return rows.order_by("-created_at", "-id")


def comment_page(
    *,
    item: Any,
    workshop: Any,
    user: Any,
    moderator: bool,
    number: int | None = None,
    around: int | None = None,
    per_page: int = THREADS_PER_PAGE,
) -> CommentPage:
    """One page of the lesson's threads in the cohort, newest thread first, its replies in
    the order they were written. ``around``: a comment's id, for the page holding its thread
    (a link from a notification). Three queries whatever the number of comments (four with
    ``around``)."""
    counts = Comment.objects.filter(item=item, workshop=workshop).aggregate(
        threads=Count("id", filter=Q(parent__isnull=True)),
        visible=Count("id", filter=Q(deleted_at__isnull=True, hidden_at__isnull=True)),
    )
    pages = max(1, math.ceil(counts["threads"] / per_page))
    if number is None and around is not None:
        root = (
            Comment.objects.filter(item=item, workshop=workshop, pk=around)
            .values_list("parent_id", "pk", "created_at")
            .first()
        )
        if root is not None and root[0] is not None:
            root = (
                Comment.objects.filter(pk=root[0]).values_list("parent_id", "pk", "created_at")
            ).first()
        if root is not None:
            newer = Comment.objects.filter(
                Q(created_at__gt=root[2]) | Q(created_at=root[2], pk__gt=root[1]),
                item=item,
                workshop=workshop,
                parent__isnull=True,
            ).count()
            number = newer // per_page + 1
    number = min(max(number or 1, 1), pages)
    start = (number - 1) * per_page
    replies = _comments(item, workshop, moderator=moderator).order_by("created_at", "id")
    threads: list[Comment] = list(
        _newer_first(
            _comments(item, workshop, moderator=moderator).filter(parent__isnull=True)
        ).prefetch_related(Prefetch("replies", queryset=replies, to_attr="reply_list"))[
            start : start + per_page
        ]
    )
    _decorate(threads, user)
    return CommentPage(threads=threads, number=number, pages=pages, visible=counts["visible"])


def comment_thread(*, comment: Comment, user: Any, moderator: bool) -> Comment:
    """A comment as the page shows it after an action on it: a reply alone, a top-level
    comment with its replies (two queries)."""
    rows = _comments(comment.item_id, comment.workshop_id, moderator=moderator).filter(
        pk=comment.pk
    )
    if comment.parent_id is None:
        replies = _comments(comment.item_id, comment.workshop_id, moderator=moderator).order_by(
            "created_at", "id"
        )
        rows = rows.prefetch_related(Prefetch("replies", queryset=replies, to_attr="reply_list"))
    found = rows.get()
    _decorate([found], user)
    return found
