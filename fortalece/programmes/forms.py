from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from fortalece.core.widgets import DateInput
from fortalece.geography.models import Country, Subdivision
from fortalece.programmes.models import Organisation, Programme, ProgrammePartner, SdgTarget, Target


class SdgChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: SdgTarget) -> str:
        title = obj.title_es if (get_language() or "").startswith("es") else obj.title_en
        return f"{obj.code} — {title}"


class ProgrammeForm(forms.ModelForm):
    sdg_targets = SdgChoiceField(
        queryset=SdgTarget.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("SDG targets"),
    )

    class Meta:
        model = Programme
        fields = [
            "name",
            "code",
            "description",
            "countries",
            "subdivisions",
            "start_date",
            "end_date",
            "sdg_targets",
            "refresher_months",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "subdivisions": forms.CheckboxSelectMultiple,
        }
        help_texts = {"code": _("Short, unique, lower-case: e.g. mx-vulnerable-groups")}

    def __init__(
        self, *args: Any, countries: QuerySet[Country] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if countries is not None:
            self.fields["countries"].queryset = countries  # type: ignore[attr-defined]
        language = get_language() or ""
        self.fields["countries"].queryset = self.fields["countries"].queryset.order_by(  # type: ignore[attr-defined]
            "name_es" if language.startswith("es") else "name_en"
        )
        self.fields["countries"].widget.attrs["size"] = 8
        chosen: list[Any] = []
        if self.is_bound:
            chosen = self.data.getlist(self.add_prefix("countries"))  # type: ignore[attr-defined]
        elif self.instance.pk:
            chosen = list(self.instance.countries.values_list("pk", flat=True))
        elif countries is not None and countries.count() == 1:
            chosen = [countries.get().pk]
            self.initial["countries"] = chosen
        self.fields["subdivisions"].queryset = Subdivision.objects.filter(  # type: ignore[attr-defined]
            country__in=[c for c in chosen if str(c).isdigit()]
        ).order_by("name")
        self.fields["subdivisions"].help_text = _(
            "Leave empty when the programme covers whole countries. The states of the chosen "
            "countries are listed once the countries are saved."
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        countries = cleaned.get("countries") or []
        for subdivision in cleaned.get("subdivisions") or []:
            if subdivision.country not in countries:
                self.add_error(
                    "subdivisions",
                    _("%(state)s is not in the chosen countries.") % {"state": subdivision.name},
                )
        return cleaned


class PartnerForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.all(), required=False, label=_("Organisation")
    )
    role = forms.ChoiceField(
        choices=ProgrammePartner.PartnerRole.choices, required=False, label=_("Role")
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("organisation") and not cleaned.get("role"):
            self.add_error("role", _("Choose the organisation's role."))
        return cleaned


PartnerFormSet = forms.formset_factory(PartnerForm, extra=3, max_num=30)


def partners_from(formset: Any) -> list[dict[str, Any]]:
    return [
        {"organisation": f.cleaned_data["organisation"], "role": f.cleaned_data["role"]}
        for f in formset.forms
        if f.cleaned_data.get("organisation")
    ]


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "acronym", "kind"]


class TargetForm(forms.ModelForm):
    class Meta:
        model = Target
        fields = ["description", "metric", "value", "due_date", "subdivisions", "profession"]
        widgets = {"due_date": DateInput(), "subdivisions": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        states = programme.subdivisions.all()
        if not states.exists():
            states = Subdivision.objects.filter(country__in=programme.countries.all())
        self.fields["subdivisions"].queryset = states.order_by("name")  # type: ignore[attr-defined]
        self.fields["subdivisions"].help_text = _("Leave empty to count the whole programme.")
