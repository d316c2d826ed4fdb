"""Country → state → municipality selects that narrow each other (htmx, no page reload)."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fortalece.geography.models import Country, Municipality, Subdivision


def _selected(form: forms.BaseForm, name: str) -> Any:
    """The pk chosen in the submitted data, else the initial/instance value."""
    if form.is_bound:
        return form.data.get(form.add_prefix(name)) or None
    value = form.initial.get(name)
    instance = getattr(form, "instance", None)
    if value is None and instance is not None:
        value = getattr(instance, f"{name}_id", None)
    return getattr(value, "pk", value)


class PlaceFieldsMixin:
    """For forms with ``country`` and optional ``subdivision`` and ``municipality`` fields.

    Lists only the states of the chosen country and the municipalities of the chosen state,
    refreshes them when the choice above changes, and checks they belong together.
    """

    fields: dict[str, forms.Field]

    def setup_place_fields(self, countries: QuerySet[Country] | None = None) -> None:
        form: Any = self
        country_field = form.fields.get("country")
        if country_field is not None:
            if countries is not None:
                country_field.queryset = countries
            country_field.widget.attrs.update(
                {
                    "hx-get": reverse("geography:subdivision_options"),
                    "hx-target": f"#{form.auto_id % form.add_prefix('subdivision')}"
                    if isinstance(form.auto_id, str)
                    else "#id_subdivision",
                    "hx-trigger": "change",
                    "hx-include": "this",
                }
            )
        country = _selected(form, "country")
        subdivision = _selected(form, "subdivision")
        if "subdivision" in form.fields:
            field = form.fields["subdivision"]
            field.queryset = (
                Subdivision.objects.filter(country_id=country)
                if country
                else Subdivision.objects.none()
            )
            if "municipality" in form.fields:
                field.widget.attrs.update(
                    {
                        "hx-get": reverse("geography:municipality_options"),
                        "hx-target": f"#{form.auto_id % form.add_prefix('municipality')}"
                        if isinstance(form.auto_id, str)
                        else "#id_municipality",
                        "hx-trigger": "change",
                        "hx-include": "this",
                    }
                )
        if "municipality" in form.fields:
            self._add_municipality_search(form, subdivision)
            form.fields["municipality"].queryset = (  # type: ignore[attr-defined]
                Municipality.objects.filter(subdivision_id=subdivision)
                if subdivision
                else Municipality.objects.none()
            )

    @staticmethod
    def _add_municipality_search(form: Any, subdivision: Any) -> None:
        """A search box just above the municipality select: typing narrows the list (htmx)
        to the municipalities of the chosen state whose name, seat or INEGI key matches."""
        target = (
            f"#{form.auto_id % form.add_prefix('municipality')}"
            if isinstance(form.auto_id, str)
            else "#id_municipality"
        )
        search = forms.CharField(
            label=_("Search municipality"),
            required=False,
            help_text=_("Type part of the name or the INEGI key; the list below narrows."),
            widget=forms.TextInput(
                attrs={
                    "type": "search",
                    "autocomplete": "off",
                    "hx-get": reverse("geography:municipality_options"),
                    "hx-target": target,
                    "hx-trigger": "input changed delay:300ms, search",
                    "hx-include": f"this, [name='{form.add_prefix('subdivision')}']",
                }
            ),
        )
        fields = {}
        for name, field in form.fields.items():
            if name == "municipality":
                fields["municipality_search"] = search
            fields[name] = field
        form.fields = fields

    def clean_places(self, cleaned: dict[str, Any]) -> None:
        form: Any = self
        cleaned.pop("municipality_search", None)  # only narrows the list; nothing to save
        country = cleaned.get("country")
        subdivision = cleaned.get("subdivision")
        municipality = cleaned.get("municipality")
        if subdivision and country and subdivision.country_id != country.pk:
            form.add_error("subdivision", _("This state is not in the chosen country."))
        if municipality and subdivision and municipality.subdivision_id != subdivision.pk:
            form.add_error("municipality", _("This municipality is not in the chosen state."))
        if municipality and not subdivision:
            form.add_error("subdivision", _("Choose the state of the municipality."))
