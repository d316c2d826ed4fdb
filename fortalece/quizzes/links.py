"""The quiz item's setup page, offered on the learning app's item pages (learning.hooks)."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext

from fortalece.learning import hooks
from fortalece.learning.models import CourseItem
from fortalece.quizzes.policies import bank_policy


def _url(item: Any) -> str:
    return reverse("quizzes:settings", args=[item.pk])


def _allowed(user: Any, course: Any) -> bool:
    return bank_policy.user_has_permission_for_instance(user, "change", course)


def register() -> None:
    hooks.register_item_setup(
        hooks.ItemSetup(
            kind=CourseItem.Kind.QUIZ,
            label=lambda: gettext("Quiz settings"),
            url=_url,
            allowed=_allowed,
        )
    )
