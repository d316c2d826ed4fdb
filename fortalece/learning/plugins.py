"""What learning adds to the apps below it, registered in ``LearningConfig.ready``: who may
follow a course page's link to its online content (core/pages.py), and the diplomas a
certificate names before the programme (credentials/hooks.py)."""

from __future__ import annotations

from typing import Any

from fortalece.core import pages
from fortalece.credentials import hooks as credentials_hooks
from fortalece.learning.models import Diploma
from fortalece.learning.policies import course_content_policy


def may_view_content(user: Any, course: Any) -> bool:
    return course_content_policy.user_has_permission_for_instance(user, "view", course)


def diploma_titles(course_id: int, language: str) -> list[str]:
    return [
        (d.title_en if language == "en" and d.title_en else d.title)
        for d in Diploma.objects.filter(entries__course_id=course_id).order_by("title")
    ]


def register() -> None:
    pages.register_link("learning:course", may_view_content)
    credentials_hooks.register_course_titles(diploma_titles)
