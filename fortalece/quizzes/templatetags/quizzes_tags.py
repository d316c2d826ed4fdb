"""Links into the quizzes app from other apps' pages, shown only to those allowed."""

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from fortalece.quizzes.policies import bank_policy

register = template.Library()


@register.simple_tag(takes_context=True)
def question_bank_link(context: dict[str, Any], course: Any) -> str:
    """A button to the course's question bank for its authors (nothing for anybody else)."""
    request = context.get("request")
    if request is None or not bank_policy.user_has_permission_for_instance(
        request.user, "change", course
    ):
        return ""
    return format_html(
        '<a class="btn btn--secondary" href="{}">{}</a>',
        reverse("quizzes:bank", args=[course.pk]),
        _("Question bank"),
    )


@register.simple_tag
def quiz_link(item: Any, preview: bool = False) -> str:
    """On a course item of kind quiz: the button that opens the quiz (its own pages)."""
    if getattr(item, "kind", None) != "quiz" or preview:
        return ""
    return format_html(
        '<p><a class="btn" href="{}">{}</a></p>',
        reverse("quizzes:quiz", args=[item.pk]),
        _("Open the quiz"),
    )


def _may_edit_bank(context: dict[str, Any], course_id: int) -> bool:
    """Asked once per course and page: the outline lists many quiz items."""
    request = context.get("request")
    if request is None:
        return False
    cache = context.render_context.setdefault("quizzes_bank_allowed", {})  # type: ignore[attr-defined]
    if course_id not in cache:
        cache[course_id] = (
            bank_policy.instances_user_has_permission_for(request.user, "change")
            .filter(pk=course_id)
            .exists()
        )
    return bool(cache[course_id])


@register.simple_tag(takes_context=True)
def quiz_settings_link(context: dict[str, Any], item: Any) -> str:
    """In the authoring outline: the quiz item's questions and settings, for those who may
    edit the course's bank (nothing for anybody else: no link that would answer 404)."""
    if getattr(item, "kind", None) != "quiz":
        return ""
    course_id = item.module.course_id
    if not _may_edit_bank(context, course_id):
        return ""
    return format_html(
        ' <a class="btn btn--small btn--secondary" href="{}">{}</a>'
        ' <a class="btn btn--small btn--secondary" href="{}">{}</a>',
        reverse("quizzes:settings", args=[item.pk]),
        _("Quiz settings"),
        reverse("quizzes:bank", args=[course_id]),
        _("Question bank"),
    )
