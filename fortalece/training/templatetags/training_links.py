"""Links shown only to readers the policies let follow them (the crawl test)."""

from typing import Any

from django import template

from fortalece.core import pages
from fortalece.training.policies import course_policy

register = template.Library()


@register.filter
def may_view_course(user: Any, course: Any) -> bool:
    return course_policy.user_has_permission_for_instance(user, "view", course)


@register.filter
def may_view_content(user: Any, course: Any) -> bool:
    # Learning sits above training: it says who may follow the link (learning/plugins.py).
    return pages.may_follow("learning:course", user, course)
