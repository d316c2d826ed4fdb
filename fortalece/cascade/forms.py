from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fortalece.cascade.models import AccreditationRule, Award
from fortalece.core.widgets import DateInput


class AccreditationRuleForm(forms.ModelForm):
    class Meta:
        model = AccreditationRule
        fields = [
            "course",
            "ttt_course",
            "requires_assessment",
            "min_cofacilitations",
            "validity_months",
        ]

    def __init__(self, *args: Any, programme: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        courses = programme.courses.all()
        self.fields["course"].queryset = courses  # type: ignore[attr-defined]
        self.fields["ttt_course"].queryset = courses.filter(is_train_the_trainer=True)  # type: ignore[attr-defined]
        self.fields["ttt_course"].help_text = _(
            "Only courses marked as train-the-trainer courses are listed."
        )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (kept in the history)"), widget=forms.Textarea(attrs={"rows": 3})
    )


class AssessmentForm(forms.Form):
    passed = forms.BooleanField(label=_("Passed"), required=False)
    score = forms.DecimalField(label=_("Score"), required=False, max_digits=5, decimal_places=1)
    assessed_on = forms.DateField(label=_("Assessed on"), widget=DateInput)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AwardForm(forms.ModelForm):
    class Meta:
        model = Award
        fields = ["title", "awarded_by", "awarded_on", "programme", "description"]
        widgets = {"awarded_on": DateInput, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, programmes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]
