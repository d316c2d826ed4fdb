"""The assignment item's setup page, offered on the learning app's item pages
(learning.hooks)."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext

from fortalece.assignments.access import may_author
from fortalece.learning import hooks
from fortalece.learning.models import CourseItem


def _url(item: Any) -> str:
    return reverse("assignments:setup", args=[item.pk])


def register() -> None:
    hooks.register_item_setup(
        hooks.ItemSetup(
            kind=CourseItem.Kind.ASSIGNMENT,
            label=lambda: gettext("Assignment settings"),
            url=_url,
            allowed=may_author,
        )
    )
