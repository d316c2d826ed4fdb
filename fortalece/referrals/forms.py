from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fortalece.core.query import query_int
from fortalece.core.widgets import DateInput
from fortalece.geography.models import Municipality, Subdivision
from fortalece.referrals.models import HTTP_ONLY, OpeningHours, Pathway, PathwayStep, Service

POPULATIONS = [
    ("women", _("Women")),
    ("girls", _("Girls")),
    ("children", _("Children")),
    ("migrants", _("Migrants")),
    ("tourists", _("Tourists")),
    ("indigenous", _("Indigenous-language speakers")),
    ("lgbti", _("LGBTI people")),
]
POPULATION_LABELS = dict(POPULATIONS)

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


def _selected_pk(form: forms.BaseForm, name: str) -> Any:
    if form.is_bound:
        return form.data.get(form.add_prefix(name)) or None
    value = form.initial.get(name)
    instance = getattr(form, "instance", None)
    if value is None and instance is not None:
        value = getattr(instance, f"{name}_id", None)
    return getattr(value, "pk", value)


class StatePlaceMixin:
    """A state select limited to the states the user keeps, and the municipalities of the
    chosen state (refreshed with htmx; without JavaScript the form is sent once more)."""

    fields: dict[str, forms.Field]

    def setup_state(self, subdivisions: QuerySet[Subdivision]) -> None:
        form: Any = self
        form.fields["subdivision"].queryset = subdivisions
        form.fields["subdivision"].widget.attrs.update(
            {
                "hx-get": reverse("geography:municipality_options"),
                "hx-target": "#id_municipality",
                "hx-trigger": "change",
                "hx-include": "this",
            }
        )
        chosen = _selected_pk(form, "subdivision")
        form.fields["municipality"].queryset = (
            Municipality.objects.filter(subdivision_id=chosen).order_by("name")
            if query_int(chosen) is not None
            else Municipality.objects.none()
        )

    def clean_place(self, cleaned: dict[str, Any]) -> None:
        form: Any = self
        subdivision, municipality = cleaned.get("subdivision"), cleaned.get("municipality")
        if municipality and subdivision and municipality.subdivision_id != subdivision.pk:
            form.add_error("municipality", _("This municipality is not in the chosen state."))


class ServiceForm(StatePlaceMixin, forms.ModelForm):
    populations = forms.MultipleChoiceField(
        label=_("Who they serve"),
        choices=POPULATIONS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    website = forms.URLField(
        label=_("Website"),
        required=False,
        assume_scheme="https",
        validators=[HTTP_ONLY],
        help_text=_("Only http:// or https:// addresses."),
    )

    class Meta:
        model = Service
        fields = [
            "name",
            "kind",
            "offer",
            "populations",
            "languages",
            "address",
            "subdivision",
            "municipality",
            "latitude",
            "longitude",
            "phone",
            "whatsapp",
            "website",
            "open_24h",
            "open_on_holidays",
            "verified_on",
        ]
        labels = {"subdivision": _("State")}
        widgets = {
            "offer": forms.Textarea(attrs={"rows": 3}),
            "verified_on": DateInput(),
            "latitude": forms.NumberInput(attrs={"step": "any", "min": -90, "max": 90}),
            "longitude": forms.NumberInput(attrs={"step": "any", "min": -180, "max": 180}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "whatsapp": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }

    def __init__(self, *args: Any, subdivisions: QuerySet[Subdivision], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_state(subdivisions)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.clean_place(cleaned)
        lat, lon = cleaned.get("latitude"), cleaned.get("longitude")
        if (lat is None) != (lon is None):
            self.add_error("longitude", _("Give both latitude and longitude, or neither."))
        if lat is not None and not -90 <= lat <= 90:
            self.add_error("latitude", _("Latitude is between -90 and 90."))
        if lon is not None and not -180 <= lon <= 180:
            self.add_error("longitude", _("Longitude is between -180 and 180."))
        return cleaned

    def save(self, commit: bool = True) -> Service:
        service = super().save(commit=False)
        service.country_id = service.subdivision.country_id
        if commit:
            service.save()
        return service


class OpeningHoursForm(forms.ModelForm):
    # An empty first choice: an untouched extra line stays unchanged (and is skipped).
    weekday = forms.TypedChoiceField(
        label=_("Day"), choices=[("", "—"), *WEEKDAYS], coerce=int, empty_value=None
    )

    class Meta:
        model = OpeningHours
        fields = ["weekday", "opens", "closes", "all_day"]
        widgets = {
            "opens": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "closes": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["opens"].required = False
        self.fields["closes"].required = False

    def clean(self) -> dict[str, Any]:
        import datetime as dt

        cleaned = super().clean() or {}
        if cleaned.get("all_day"):
            cleaned["opens"] = cleaned.get("opens") or dt.time(0)
            cleaned["closes"] = cleaned.get("closes") or dt.time(0)
        elif cleaned.get("opens") is None or cleaned.get("closes") is None:
            self.add_error("closes", _("Give the opening and closing times, or tick all day."))
        return cleaned


OpeningHoursFormSet = forms.inlineformset_factory(
    Service, OpeningHours, form=OpeningHoursForm, extra=2, can_delete=True, max_num=50
)


class ServiceFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    subdivision = forms.ModelChoiceField(
        label=_("State"), queryset=Subdivision.objects.none(), required=False
    )
    kind = forms.ChoiceField(
        label=_("Type"), choices=[("", _("All"))] + list(Service.Kind.choices), required=False
    )
    stale = forms.BooleanField(label=_("Only entries to re-verify"), required=False)

    def __init__(self, *args: Any, subdivisions: QuerySet[Subdivision], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subdivision"].queryset = subdivisions  # type: ignore[attr-defined]


class SearchForm(forms.Form):
    """What the officer looks for: a type, and either the phone's location or a place."""

    kind = forms.ChoiceField(
        label=_("Type of service"),
        choices=[("", _("Any type"))] + list(Service.Kind.choices),
        required=False,
    )
    subdivision = forms.ModelChoiceField(
        label=_("State"), queryset=Subdivision.objects.none(), required=False
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.none(), required=False
    )
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)
    lang = forms.ChoiceField(
        required=False,
        choices=[("es", "Español"), ("en", "English")],
        widget=forms.HiddenInput,
    )

    def __init__(
        self,
        *args: Any,
        subdivisions: QuerySet[Subdivision],
        municipalities: QuerySet[Municipality],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subdivision"].queryset = subdivisions  # type: ignore[attr-defined]
        self.fields["municipality"].queryset = municipalities  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (cleaned.get("lat") is None) != (cleaned.get("lon") is None):
            cleaned["lat"] = cleaned["lon"] = None
        municipality, state = cleaned.get("municipality"), cleaned.get("subdivision")
        if municipality and state and municipality.subdivision_id != state.pk:
            cleaned["municipality"] = None
        return cleaned


class PathwayForm(StatePlaceMixin, forms.ModelForm):
    class Meta:
        model = Pathway
        fields = ["subdivision", "municipality", "case_kind", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, subdivisions: QuerySet[Subdivision], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_state(subdivisions)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.clean_place(cleaned)
        return cleaned

    def _post_clean(self) -> None:
        # The constraints name the country through the state: set it before they are checked.
        if self.cleaned_data.get("subdivision") is not None:
            self.instance.country_id = self.cleaned_data["subdivision"].country_id
        super()._post_clean()  # type: ignore[misc]


class PathwayStepForm(forms.ModelForm):
    class Meta:
        model = PathwayStep
        fields = ["order", "action", "never", "services"]
        widgets = {
            "action": forms.Textarea(attrs={"rows": 3}),
            "never": forms.Textarea(attrs={"rows": 2}),
            "services": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, services: QuerySet[Service], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["services"].queryset = services  # type: ignore[attr-defined]


PathwayStepFormSet = forms.inlineformset_factory(
    Pathway, PathwayStep, form=PathwayStepForm, extra=2, can_delete=True, max_num=40
)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"), help_text=_("CSV or Excel (.xlsx), with the columns of the export.")
    )
