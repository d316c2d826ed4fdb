from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fortalece.assignments.policies import submission_policy


def menu_items(user: Any) -> list[tuple[str, Any, str]]:
    """The main menu's entry for this app: the grading queue, for those who grade."""
    if submission_policy.user_has_permission(user, "grade"):
        return [("assignments", _("Grading"), reverse("assignments:queue"))]
    return []
