from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from fortalece.assignments import richtext
from fortalece.assignments.policies import assignment_policy

register = template.Library()


@register.filter
def richtext_safe(value: str) -> SafeString:
    """Stored instructions are sanitised on write; sanitised again here so that a row written
    any other way (a shell, a data migration) still cannot carry a script."""
    return mark_safe(richtext.sanitise(value or ""))  # noqa: S308 - nh3 output


@register.filter
def pct(value: object) -> str:
    """A percentage for a cell: '72.5 %' or an em dash."""
    if value is None or value == "":
        return "—"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{text} %"


@register.simple_tag(takes_context=True)
def may_view_assignment(context: dict[str, Any], assignment: Any) -> bool:
    """Whether the page's user may open the assignment (a previewing manager of another
    state may see the course's content but not its cohorts' assignments)."""
    request = context.get("request")
    if request is None or not assignment:
        return False
    return assignment_policy.user_has_permission_for_instance(request.user, "view", assignment)
