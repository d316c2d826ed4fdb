"""Access-checked fetches and request limits shared by the views."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from fortalece.accounts.scope import get_user_scope
from fortalece.assignments.models import Assignment
from fortalece.assignments.policies import author_q, gradebook_policy
from fortalece.training.models import Course, Workshop


def course_for_gradebook(user: Any, course_pk: int, action: str = "view") -> tuple[Course, Any]:
    """The course and the cohorts of it whose gradebook the user may use (404 when none)."""
    course = Course.objects.select_related("programme").filter(pk=course_pk).first()
    if course is None:
        raise Http404
    cohorts: QuerySet[Workshop] = gradebook_policy.instances_user_has_permission_for(
        user, action
    ).filter(course=course)
    if not cohorts.exists():
        raise Http404
    return course, cohorts.order_by("-start_date", "title")


def may_author(user: Any, course: Course) -> bool:
    scope = get_user_scope(user)
    if scope.user_id is None:
        return False
    if scope.is_admin:
        return True
    condition = author_q(scope, "programme__")
    return condition is not None and Course.objects.filter(condition, pk=course.pk).exists()


def request_limit(assignment: Assignment) -> int:
    """The largest request body a submission may send: its files plus the form."""
    per_file = min(
        assignment.max_file_mb * 1024 * 1024, settings.FORTALECE_ASSIGNMENT_MAX_FILE_BYTES
    )
    return assignment.max_files * per_file + 1024 * 1024


def body_too_large(request: HttpRequest, limit: int) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > limit
