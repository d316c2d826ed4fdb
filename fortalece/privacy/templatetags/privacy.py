from typing import Any

from django import template

from fortalece.privacy.policies import person_privacy_policy

register = template.Library()


@register.filter
def can_see_privacy(user: Any, person: Any) -> bool:
    return person_privacy_policy.user_has_permission(user, "view")
