"""``{% page_panels slot obj %}``: the panels higher apps add to a page (core/pages.py)."""

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from fortalece.core import pages

register = template.Library()


@register.simple_tag(takes_context=True)
def page_panels(context: template.Context, slot: str, obj: Any) -> SafeString:
    request = context.get("request")
    html = []
    for panel in pages.panels(slot):
        extra = panel.context(request, obj)
        if extra is not None:
            page = {str(k): v for k, v in context.flatten().items()}
            html.append(render_to_string(panel.template, page | extra, request))
    # Each panel's template escapes its own values (render_to_string gives safe strings).
    return format_html_join("", "{}", ((part,) for part in html))
