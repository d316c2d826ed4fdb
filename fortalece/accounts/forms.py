from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from fortalece.accounts.models import Role, RoleAssignment, User


class UserCreateForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    language = forms.ChoiceField(
        label=_("Preferred language"), choices=[("es", "Español"), ("en", "English")]
    )
    password = forms.CharField(
        label=_("Initial password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters. Share it safely; the user can change it."),
    )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account with this email already exists."))
        return email

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password = cleaned.get("password")
        if password:
            user = User(email=cleaned.get("email", ""), first_name=cleaned.get("first_name", ""))
            try:
                validate_password(password, user)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class UserUpdateForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "language", "is_active"]
        labels = {"is_active": _("Active (can sign in)")}


class RoleAssignmentForm(forms.ModelForm):
    class Meta:
        model = RoleAssignment
        fields = ["role", "country", "subdivision", "programme", "institution"]
        help_texts = {
            "role": _(
                "Administrators need no scope. Every other role is limited to one country, "
                "state, programme or institution."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subdivision"].queryset = self.fields["subdivision"].queryset.select_related(  # type: ignore[attr-defined]
            "country"
        )
        self.fields["subdivision"].label_from_instance = lambda s: f"{s.name} ({s.country.code})"  # type: ignore[attr-defined]
        for name in ("country", "subdivision", "programme", "institution"):
            self.fields[name].required = False

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        scopes = [
            n for n in ("country", "subdivision", "programme", "institution") if cleaned.get(n)
        ]
        role = cleaned.get("role")
        if role == Role.ADMINISTRATOR and scopes:
            raise forms.ValidationError(_("An administrator has no scope: leave the scope empty."))
        if role not in (None, Role.ADMINISTRATOR, Role.LEARNER) and len(scopes) != 1:
            raise forms.ValidationError(
                _("Choose exactly one scope: a country, a state, a programme or an institution.")
            )
        if role == Role.FOCAL_POINT and scopes != ["institution"]:
            self.add_error("institution", _("A focal point is scoped to their institution."))
        return cleaned
