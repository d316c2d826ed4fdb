from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from fortalece.core.choices import Profession
from fortalece.core.widgets import DateInput
from fortalece.reporting.models import ReportedFigure, ResultsIndicator, ResultsOutcome, SavedReport

HEADCOUNT_SEXES = (("female", _("Women")), ("male", _("Men")), ("not_stated", _("Not stated")))


class HeadcountForm(forms.Form):
    """One institution's headcount on one date: a number per profession and sex (a blank
    box is "not recorded", 0 is "none")."""

    institution: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, label=_("Institution")
    )
    as_of = forms.DateField(label=_("As of"), widget=DateInput(), input_formats=["%Y-%m-%d"])

    def __init__(self, *args: Any, institutions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions  # type: ignore[attr-defined]
        for code, label in Profession.choices:
            for sex, sex_label in HEADCOUNT_SEXES:
                self.fields[f"n_{code}_{sex}"] = forms.IntegerField(
                    label=f"{label} · {sex_label}",
                    min_value=0,
                    max_value=10_000_000,
                    required=False,
                )

    def grid(self) -> list[tuple[Any, list[Any]]]:
        return [
            (label, [self[f"n_{code}_{sex}"] for sex, _l in HEADCOUNT_SEXES])
            for code, label in Profession.choices
        ]

    def counts(self) -> dict[tuple[str, str], int]:
        return {
            (code, sex): self.cleaned_data[f"n_{code}_{sex}"]
            for code in Profession.values
            for sex, _l in HEADCOUNT_SEXES
            if self.cleaned_data.get(f"n_{code}_{sex}") is not None
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not self.counts():
            raise forms.ValidationError(_("Enter at least one number."))
        return data


class HeadcountImportForm(forms.Form):
    file = forms.FileField(
        label=_("Headcount file (.csv or .xlsx)"),
        help_text=_(
            "Columns: institution (name or number), as of (date), profession, sex, people. "
            "Nothing is saved unless every row is right."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.FORTALECE_IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("The file is too large."))
        if not (upload.name or "").lower().endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload


class ReportedFigureForm(forms.ModelForm):
    source_url = forms.URLField(
        label=_("Link to the source"), required=False, assume_scheme="https"
    )

    class Meta:
        model = ReportedFigure
        fields = [
            "description",
            "people",
            "women",
            "men",
            "states",
            "municipalities",
            "year_from",
            "year_to",
            "source",
            "source_date",
            "source_url",
            "note",
        ]
        widgets = {
            "source_date": DateInput(),
            "note": forms.Textarea(attrs={"rows": 2}),
        }


class PillarForm(forms.Form):
    number = forms.IntegerField(label=_("Number"), min_value=1, max_value=99)
    title = forms.CharField(label=_("Title"), max_length=300)


class OutcomeForm(forms.Form):
    pillar: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, label=_("Pillar"))
    code = forms.CharField(label=_("Code"), max_length=16)
    title = forms.CharField(label=_("Title"), max_length=300)

    def __init__(self, *args: Any, programme: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pillar"].queryset = programme.pillars.all()  # type: ignore[attr-defined]


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = ResultsIndicator
        fields = [
            "outcome",
            "title",
            "measure",
            "baseline",
            "baseline_year",
            "target",
            "target_year",
            "reported_figures",
        ]
        widgets = {"reported_figures": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, programme: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].queryset = ResultsOutcome.objects.filter(  # type: ignore[attr-defined]
            pillar__programme=programme
        ).select_related("pillar")
        self.fields["reported_figures"].queryset = programme.reported_figures.all()  # type: ignore[attr-defined]


class SavedReportForm(forms.ModelForm):
    share_with = forms.CharField(
        label=_("Share with (e-mail addresses)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "One or more addresses, separated by commas or lines. Only people who may see "
            "these programmes' indicators can open the report, and each sees it as their own "
            "role allows."
        ),
    )

    class Meta:
        model = SavedReport
        fields = ["name", "frequency"]

    def addresses(self) -> list[str]:
        text = self.cleaned_data.get("share_with") or ""
        return sorted({a.strip().lower() for a in text.replace(",", "\n").split() if a.strip()})[
            :50
        ]
