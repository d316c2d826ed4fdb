"""Messages of the pure core in the reader's language (``impact/texts.py``)."""

from typing import Any

from django import template

from fortalece.impact.texts import translate

register = template.Library()


@register.filter
def study_error(study: Any) -> str:
    """Why the analysis failed, translated when the core said it as a message."""
    return translate(study.error_message) if study.error_message else study.error
