from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from fortalece.impact.core.pseudonym import pseudonymous_code
from fortalece.impact.models import Study, SurveyInstrument
from fortalece.imports.core.guard import check_xlsx
from fortalece.imports.core.reader import FileProblem

MAX_BYTES_HELP = _("An .xlsx file.")
NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"


def _check_size(upload: Any) -> Any:
    if upload.size > settings.FORTALECE_IMPORT_MAX_BYTES:
        raise forms.ValidationError(_("The file is too large."))
    if (upload.name or "").lower().endswith(".xlsx"):
        try:  # spreadsheet bombs are refused before anything reads them
            check_xlsx(upload)
        except FileProblem as problem:
            raise forms.ValidationError(_(problem.message) % problem.params) from problem
    return upload


class InstrumentUploadForm(forms.Form):
    programme: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, label=_("Programme")
    )
    xlsform = forms.FileField(
        label=_("XLSForm (.xlsx or .xls)"),
        help_text=_(
            "The form as used in KoboToolbox or ODK, with the columns fortalece_indices, "
            "fortalece_reverse, fortalece_correct and fortalece_missing."
        ),
    )

    def __init__(self, *args: Any, programmes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]

    def clean_xlsform(self) -> Any:
        upload = _check_size(self.cleaned_data["xlsform"])
        if not upload.name.lower().endswith((".xlsx", ".xls")):
            raise forms.ValidationError(_("Upload the XLSForm as an .xlsx or .xls file."))
        return upload


class StudyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    instrument: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, label=_("Instrument")
    )
    answers = forms.FileField(
        label=_("Answers (KoboToolbox/ODK export, .csv or .xlsx)"),
        help_text=_("Headers may be question names, group/name paths or labels."),
    )
    design = forms.ChoiceField(label=_("Design"), choices=[], initial="post", required=False)
    group_column = forms.CharField(
        label=_("Column that tells trained from comparison"), initial="group"
    )
    treated_value = forms.CharField(
        label=_("Value of that column for trained respondents"), initial="trained"
    )
    comparison_value = forms.CharField(
        label=_("Value of that column for comparison respondents"),
        required=False,
        max_length=100,
        help_text=_(
            "Leave blank when the column holds only one other value. Rows with any other value "
            "are left out and counted in the report."
        ),
    )
    subgroups = forms.CharField(
        label=_("Break the results down by (comma-separated columns)"),
        required=False,
        help_text=_(
            "e.g. sexo, profesion, estado — any column, named as in the file or the form. "
            "Blank: sex, profession and state when the file has them."
        ),
    )
    covariates = forms.CharField(
        label=_("Pre-training covariates (comma-separated columns)"),
        required=False,
        help_text=_("e.g. years_service, state, sex — measured before training, never after."),
    )
    cluster = forms.CharField(
        label=_("Cluster column"),
        required=False,
        help_text=_(
            "The unit that chose who was trained, e.g. state. Standard errors are clustered by it."
        ),
    )
    wave_column = forms.CharField(
        label=_("Wave column (before/after designs)"), required=False, initial="wave"
    )
    pre_value = forms.CharField(
        label=_("Value for answers before training"), required=False, initial="pre"
    )
    post_value = forms.CharField(
        label=_("Value for answers after training"), required=False, initial="post"
    )
    followup_value = forms.CharField(
        label=_("Value for follow-up answers (follow-up design)"),
        required=False,
        initial="followup",
    )
    within_column = forms.CharField(
        label=_("Column to pair codes within (follow-up design)"),
        required=False,
        help_text=_("e.g. the workshop: the same code in two workshops is two people."),
    )
    code_column = forms.CharField(
        label=_("Pseudonymous respondent code column"),
        required=False,
        initial="code",
        help_text=_("Links each person's answers before and after, without their name."),
    )
    unknown_as_missing = forms.BooleanField(
        label=_("Leave blank the answers that are not choices of their question"),
        required=False,
        help_text=_(
            "They are never scored either way; unticked, the file is refused so that you can "
            "correct it. Ticked, they are counted per column in the check step and the report."
        ),
    )
    seed = forms.IntegerField(label=_("Random seed"), initial=1, min_value=0)
    draws = forms.IntegerField(
        label=_("Bootstrap draws"), initial=500, min_value=50, max_value=5000
    )

    def __init__(self, *args: Any, instruments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instrument"].queryset = instruments  # type: ignore[attr-defined]
        self.fields["design"].choices = Study.Design.choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["design"] = cleaned.get("design") or "post"
        if cleaned.get("design") in ("prepost", "did"):
            for name in ("wave_column", "pre_value", "post_value", "code_column"):
                if not cleaned.get(name):
                    self.add_error(name, _("Needed for a before/after design."))
        if cleaned.get("design") == "followup":
            for name in ("wave_column", "post_value", "followup_value", "code_column"):
                if not cleaned.get(name):
                    self.add_error(name, _("Needed for a follow-up design."))
        return cleaned

    def clean_answers(self) -> Any:
        upload = _check_size(self.cleaned_data["answers"])
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload

    def covariate_list(self) -> list[str]:
        return _names(self.cleaned_data.get("covariates", ""))

    def subgroup_list(self) -> list[str]:
        return _names(self.cleaned_data.get("subgroups", ""))


def _names(text: str) -> list[str]:
    return [c.strip() for c in text.split(",") if c.strip()]


class PlanForm(forms.Form):
    """Assumptions for the next survey (typed, or filled in from a past study)."""

    n_treated = forms.IntegerField(
        label=_("Trained respondents"), min_value=2, max_value=10_000_000, required=False
    )
    n_comparison = forms.IntegerField(
        label=_("Comparison respondents"), min_value=2, max_value=10_000_000, required=False
    )
    sd = forms.FloatField(
        label=_("Standard deviation of the score (0–100 points)"),
        min_value=0.01,
        max_value=100,
    )
    clusters = forms.IntegerField(
        label=_("Clusters (e.g. states; 0 for none)"),
        min_value=0,
        max_value=100_000,
        initial=0,
        required=False,
    )
    icc = forms.FloatField(
        label=_("Intra-cluster correlation"),
        min_value=0,
        max_value=0.99,
        initial=0,
        required=False,
    )
    alpha = forms.FloatField(
        label=_("Significance level"), min_value=0.001, max_value=0.5, initial=0.05
    )
    power = forms.FloatField(label=_("Power"), min_value=0.5, max_value=0.999, initial=0.8)
    effect = forms.FloatField(
        label=_("Effect to detect (points)"),
        min_value=0.01,
        max_value=100,
        required=False,
        help_text=_("Leave empty for the smallest detectable effect of the sample above."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("effect") is None and (
            data.get("n_treated") is None or data.get("n_comparison") is None
        ):
            raise forms.ValidationError(
                _("Give both group sizes, or the effect to detect to get the sample needed.")
            )
        return data


# The instrument builder (services/instruments.py): a blank instrument, then indices and
# questions.


class BlankInstrumentForm(forms.Form):
    programme: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, label=_("Programme")
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    version = forms.CharField(label=_("Version"), max_length=40, initial="1")

    def __init__(self, *args: Any, programmes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]


class IndexForm(forms.Form):
    code = forms.RegexField(
        label=_("Code"), regex=NAME, max_length=40, help_text=_("Letters, digits and _ only.")
    )
    label = forms.CharField(label=_("Name of the index"), max_length=200)
    components = forms.CharField(
        label=_("Aggregate of (index codes, comma-separated)"),
        required=False,
        help_text=_("Leave empty for an index made of questions."),
    )


class QuestionForm(forms.Form):
    name = forms.RegexField(
        label=_("Question name"),
        regex=NAME,
        max_length=60,
        help_text=_("Letters, digits and _ only."),
    )
    label_es = forms.CharField(label=_("Question in Spanish"), max_length=300)
    label_en = forms.CharField(label=_("Question in English"), max_length=300, required=False)
    kind = forms.ChoiceField(
        label=_("Type"),
        choices=[
            ("likert", _("Agreement 1–5 (with “don't know”)")),
            ("knowledge", _("Knowledge: one right answer")),
        ],
    )
    indices = forms.CharField(label=_("Indices (codes, comma-separated)"))
    reverse = forms.BooleanField(label=_("Negatively worded: reverse the score"), required=False)
    options = forms.CharField(
        label=_("Knowledge: answer options, one per line, the right one first"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


# Answering a survey link (views/surveys.py): the pseudonymous code, then the answers.


class CodeForm(forms.Form):
    consent = forms.BooleanField(
        label=_(
            "I agree to answer. I understand my answers are anonymous and used only to improve the training."  # noqa: E501
        ),
    )
    mother = forms.CharField(
        label=_("First two letters of your mother's first name"), max_length=20
    )
    day = forms.IntegerField(label=_("Day of the month you were born"), min_value=1, max_value=31)
    phone = forms.RegexField(
        label=_("Last two digits of your phone number"),
        regex=r"^\d{2}$",
        max_length=2,
        error_messages={"invalid": _("Two digits, e.g. 07.")},
    )

    def code(self) -> str:
        return pseudonymous_code(
            self.cleaned_data["mother"], self.cleaned_data["day"], self.cleaned_data["phone"]
        )


def _label(item: dict[str, Any]) -> str:
    labels = dict(tuple(pair) for pair in item.get("labels", []))
    language = (get_language() or "es")[:2]
    for key, text in labels.items():
        if f"({language})" in key:
            return str(text)
    return str(item.get("label") or next(iter(labels.values()), item["name"]))


def answer_form(instrument: SurveyInstrument, data: Any = None) -> forms.Form:
    """A form with one radio list per scored question of the instrument."""
    form = forms.Form(data)
    for item in instrument.definition.get("items", []):
        if item["kind"] == "background" or not item.get("choices"):
            continue
        form.fields[item["name"]] = forms.ChoiceField(
            label=_label(item),
            choices=[(name, label) for name, label in item["choices"]],
            widget=forms.RadioSelect,
            required=False,
        )
    return form
