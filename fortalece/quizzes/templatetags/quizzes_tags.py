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
