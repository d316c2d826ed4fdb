from django import forms
from django.utils.translation import gettext_lazy as _

from fortalece.credentials.models import Certificate


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Certificate code"),
        max_length=40,
        help_text=_("As printed on the certificate, e.g. 7K3M-Q9TX-2HBD-R"),
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class IssueForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language of the certificate"), choices=Certificate.Language.choices
    )
