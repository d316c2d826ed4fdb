from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fortalece.core.widgets import DateInput
from fortalece.impact.models import SurveyLink
from fortalece.programmes.policies import programme_policy


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “State registry sync”."),
    )
    can_write = forms.BooleanField(
        label=_("May change data (add people, enrolments, attendance)"), required=False
    )
    programmes: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Only these programmes"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked for every programme you may see."),
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty for a token that lasts until you revoke it."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programmes"].queryset = programme_policy.instances_user_has_permission_for(  # type: ignore[attr-defined]
            user, "view"
        ).order_by("name")

    def clean_expires_on(self) -> Any:
        value = self.cleaned_data.get("expires_on")
        if value and value <= timezone.localdate():
            raise forms.ValidationError(_("Choose a date after today."))
        return value


class KoboFeedForm(forms.Form):
    wave = forms.ChoiceField(
        label=_("When are the answers collected?"), choices=SurveyLink.Wave.choices
    )
    audience = forms.ChoiceField(label=_("Who answers?"), choices=SurveyLink.Audience.choices)
    code_field = forms.CharField(
        label=_("Pseudonymous code field (optional)"),
        max_length=100,
        required=False,
        help_text=_(
            "The name of the form's field with the respondent's code, to pair answers before "
            "and after training."
        ),
    )
