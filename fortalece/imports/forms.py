from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from fortalece.imports.core.schema import TARGETS
from fortalece.imports.models import ImportJob


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=ImportJob.Kind.choices)
    file = forms.FileField(
        label=_("File (.csv or .xlsx)"),
        help_text=_("The first row must hold the column names. Download a template below."),
    )
    workshop: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Workshop (for enrolments and attendance)")
    )
    session = forms.IntegerField(required=False, widget=forms.HiddenInput)
    create_missing_institutions = forms.BooleanField(
        required=False,
        label=_("Create institutions the registry does not have yet (needs a State column)"),
    )

    create_missing_people = forms.BooleanField(
        required=False,
        label=_(
            "Enrolment lists: add the people the registry does not have yet (needs sex, "
            "profession and institution columns; the usual duplicate checks apply)"
        ),
    )

    def __init__(
        self, *args: Any, workshops: Any, can_add_people: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["workshop"].queryset = workshops.order_by("-start_date")  # type: ignore[attr-defined]
        if not can_add_people:
            del self.fields["create_missing_people"]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.FORTALECE_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB: split it.")
                % {"mb": settings.FORTALECE_IMPORT_MAX_BYTES // (1024 * 1024)}
            )
        if not upload.name.lower().endswith((".csv", ".xlsx", ".txt", ".tsv")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind = cleaned.get("kind")
        if kind in ("enrolments", "attendance") and not cleaned.get("workshop"):
            self.add_error("workshop", _("Choose the workshop the file is about."))
        return cleaned


class MappingForm(forms.Form):
    """One select per expected field: which column of the file holds it."""

    def __init__(self, *args: Any, job: ImportJob, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.job = job
        choices = [("", _("— not in the file —"))] + [
            (str(i), f"{header or '?'}") for i, header in enumerate(job.headers)
        ]
        for target in TARGETS[job.kind]:
            self.fields[target.key] = forms.ChoiceField(
                label=_(target.label),
                choices=choices,
                required=target.required,
                initial=str(job.mapping[target.key]) if target.key in job.mapping else "",
            )
        if job.kind == "attendance":
            self.fields["session"] = forms.ModelChoiceField(
                queryset=job.workshop.sessions.all() if job.workshop else None,
                label=_("Session"),
                initial=job.session_id,
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        chosen = [v for k, v in cleaned.items() if k != "session" and v not in ("", None)]
        if len(chosen) != len(set(chosen)):
            raise forms.ValidationError(_("The same column is chosen for two fields."))
        if self.job.kind in ("enrolments", "attendance"):
            if not cleaned.get("email") and not (
                cleaned.get("given_names") and cleaned.get("family_names")
            ):
                raise forms.ValidationError(
                    _("Choose the email column, or both name columns, so each person can be found.")
                )
        return cleaned

    def mapping(self) -> dict[str, int]:
        return {
            k: int(v)
            for k, v in self.cleaned_data.items()
            if k != "session" and v not in ("", None)
        }
