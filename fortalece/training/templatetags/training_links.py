"""Links shown only to readers the policies let follow them (the crawl test)."""

from typing import Any

from django import template

register = template.Library()


@register.filter
def may_view_course(user: Any, course: Any) -> bool:
    from fortalece.training.policies import course_policy

    return course_policy.user_has_permission_for_instance(user, "view", course)


@register.filter
def may_view_content(user: Any, course: Any) -> bool:
    # Local: training sits below learning in the layers; only this link looks up.
    from fortalece.learning.policies import course_content_policy

    return course_content_policy.user_has_permission_for_instance(user, "view", course)
