from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fortalece.messaging.models import DEFAULT_DELIVERY, Delivery, Kind
from fortalece.messaging.services import MAX_TEXT


class AnnouncementForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20000,
        help_text=_("Paragraphs, lists and links are kept; anything else is removed."),
    )


class PostForm(forms.Form):
    body = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}), max_length=MAX_TEXT
    )


class PreferencesForm(forms.Form):
    """One choice per kind of notification."""

    def __init__(self, *args: Any, current: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in Kind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=Delivery.choices,
                initial=current.get(kind.value, DEFAULT_DELIVERY[kind]),
                widget=forms.RadioSelect,
            )
