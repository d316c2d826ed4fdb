from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse

from fortalece.core.middleware import CONTENT_SECURITY_POLICY
from fortalece.learning import richtext
from fortalece.learning.models import CourseItem
from fortalece.learning.policies import course_content_policy


def course_for_author(request: HttpRequest, pk: Any):  # type: ignore[no-untyped-def]
    return course_content_policy.get_for_user(user=request.user, pk=pk, action="author")


def item_for_author(request: HttpRequest, pk: Any) -> CourseItem:
    from django.shortcuts import get_object_or_404

    item = get_object_or_404(CourseItem.objects.select_related("module__course"), pk=pk)
    course_for_author(request, item.module.course_id)
    return item


def error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def allow_video_frames(response: HttpResponse) -> HttpResponse:
    """A lesson with an embedded video: the same CSP plus frames from the video hosts."""
    response["Content-Security-Policy"] = (
        CONTENT_SECURITY_POLICY + "; frame-src " + " ".join(richtext.FRAME_SOURCES)
    )
    return response
