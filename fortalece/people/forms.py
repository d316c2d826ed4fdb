from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from fortalece.core.choices import Profession, Sex
from fortalece.geography.forms import PlaceFieldsMixin
from fortalece.geography.models import Country
from fortalece.people.models import Institution, Person


class InstitutionForm(PlaceFieldsMixin, forms.ModelForm):
    class Meta:
        model = Institution
        fields = ["name", "kind", "country", "subdivision", "municipality"]

    def __init__(
        self, *args: Any, countries: QuerySet[Country] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.setup_place_fields(countries)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.clean_places(cleaned)
        return cleaned


class PersonForm(forms.ModelForm):
    create_anyway = forms.BooleanField(
        required=False,
        label=_("This is a different person: create the record anyway"),
    )

    class Meta:
        model = Person
        fields = [
            "given_names",
            "family_names",
            "sex",
            "profession",
            "rank",
            "institution",
            "email",
            "phone",
        ]

    def __init__(
        self,
        *args: Any,
        institutions: QuerySet[Institution],
        confirm_duplicates: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions.order_by("name")  # type: ignore[attr-defined]
        if not confirm_duplicates:
            del self.fields["create_anyway"]


# More institutions than this in the reader's scope, and the filter is a name to search
# (a national force has thousands: a list of every one weighed 210 KB on each page).
INSTITUTION_CHOICES_AT_MOST = 200


class PersonFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False)
    institution = forms.ModelChoiceField(
        queryset=Institution.objects.none(), required=False, label=_("Institution")
    )
    institution_name = forms.CharField(
        label=_("Institution"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("Part of its name")}),
    )
    profession = forms.ChoiceField(required=False, label=_("Profession"))
    sex = forms.ChoiceField(required=False, label=_("Sex"))
    sort = forms.ChoiceField(
        required=False,
        label=_("Sort by"),
        choices=[("name", _("Name")), ("-created", _("Newest first"))],
    )

    def __init__(self, *args: Any, institutions: QuerySet[Institution], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

        self.fields["institution"].queryset = institutions.order_by("name")  # type: ignore[attr-defined]
        if institutions.count() > INSTITUTION_CHOICES_AT_MOST:
            # A link may still name one institution (?institution=id): kept, not listed.
            self.fields["institution"].widget = forms.HiddenInput()
        else:
            del self.fields["institution_name"]
        self.fields["profession"].choices = [("", _("All"))] + list(Profession.choices)  # type: ignore[attr-defined]
        self.fields["sex"].choices = [("", _("All"))] + list(Sex.choices)  # type: ignore[attr-defined]
